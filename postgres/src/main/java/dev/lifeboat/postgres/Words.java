package dev.lifeboat.postgres;

import java.util.List;

/**
 * Small helpers that keep messages grammatical: counted nouns, sentences that end once, short
 * lists. Every PostgreSQL-backed provider words its messages with them.
 */
public final class Words {
  private Words() {}

  /** {@code 1 index}, {@code 2 indexes}. */
  public static String count(long n, String singular, String plural) {
    return n + " " + (n == 1 ? singular : plural);
  }

  /**
   * {@code text} without its closing full stop and trailing blanks, so that a message built
   * around a server's or tool's own sentence ends with exactly one.
   */
  public static String clause(String text) {
    if (text == null) {
      return "";
    }
    String out = text.strip();
    while (out.endsWith(".")) {
      out = out.substring(0, out.length() - 1).stripTrailing();
    }
    return out;
  }

  /** The first {@code max} items joined with commas, then {@code and N more}. */
  public static String firstOf(List<String> items, int max) {
    if (items.size() <= max) {
      return String.join(", ", items);
    }
    return String.join(", ", items.subList(0, max)) + " and " + (items.size() - max) + " more";
  }
}
