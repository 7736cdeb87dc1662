package dev.lifeboat.github;

import dev.lifeboat.Redactor;
import java.util.regex.Pattern;

/**
 * Makes what GitHub (or a proxy in front of it) sends safe to show: an error body may echo the
 * request's {@code Authorization} header or the token itself, and none of it may reach a message
 * or a log line. Core's {@link Redactor#serverLine} does the work; GitHub adds its token shapes.
 */
final class ServerText {
  /** The most characters of a server's text kept in one message. */
  static final int MAX_MESSAGE = 300;

  /** {@code token ghp_…} as GitHub's own examples write the header value. */
  private static final Pattern TOKEN_WORD = Pattern.compile("(?i)(\\btoken\\s+)[A-Za-z0-9._~+/=-]{20,}");
  /** GitHub's token formats: classic, fine-grained, Actions, OAuth, app tokens. */
  private static final Pattern GITHUB_TOKEN = Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})");

  private ServerText() {}

  /** The text with every secret and token-shaped word masked, on one line, cut to {@code max} characters. */
  static String oneLine(String text, int max) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    String safe = GITHUB_TOKEN.matcher(text).replaceAll(Redactor.MASK);
    safe = TOKEN_WORD.matcher(safe).replaceAll("$1" + Redactor.MASK);
    return Redactor.serverLine(safe, max);
  }

  /** An HTML error page as its words. */
  static String withoutMarkup(String text) {
    return Redactor.withoutMarkup(text);
  }
}
