package dev.lifeboat.github;

import dev.lifeboat.Redactor;
import java.util.regex.Pattern;

/**
 * Makes what GitHub (or a proxy in front of it) sends safe to show: an error body may echo the
 * request's {@code Authorization} header or the token itself, and none of it may reach a message
 * or a log line.
 */
final class ServerText {
  /** The most characters of a server's text kept in one message. */
  static final int MAX_MESSAGE = 300;

  private static final Pattern AUTHORIZATION =
      Pattern.compile("(?i)(\\bauthorization[\"']?\\s*[:=]\\s*[\"']?\\s*)(?:(?:bearer|basic|token)\\s+)?[^\\s\"',;}\\]]+");
  private static final Pattern BEARER = Pattern.compile("(?i)(\\b(?:bearer|token)\\s+)[A-Za-z0-9._~+/=-]{6,}");
  /** GitHub's token formats: classic, fine-grained, Actions, OAuth, app tokens. */
  private static final Pattern GITHUB_TOKEN = Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})");
  private static final Pattern MARKUP = Pattern.compile("(?s)<(script|style)\\b.*?</\\1\\s*>|<[^>]*>");
  private static final Pattern BLANKS = Pattern.compile("\\s+");

  private ServerText() {}

  /**
   * The text with every registered secret, token-shaped word and authorization value masked, on
   * one line, cut to {@code max} characters. Masking comes before cutting.
   */
  static String oneLine(String text, int max) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    String safe = Redactor.redact(text);
    safe = AUTHORIZATION.matcher(safe).replaceAll("$1" + Redactor.MASK);
    safe = BEARER.matcher(safe).replaceAll("$1" + Redactor.MASK);
    safe = GITHUB_TOKEN.matcher(safe).replaceAll(Redactor.MASK);
    safe = BLANKS.matcher(safe).replaceAll(" ").trim();
    return safe.length() <= max ? safe : safe.substring(0, max) + "…";
  }

  /** An HTML error page as its words. */
  static String withoutMarkup(String text) {
    return text == null ? "" : MARKUP.matcher(text).replaceAll(" ");
  }
}
