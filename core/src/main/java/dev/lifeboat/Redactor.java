package dev.lifeboat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is printed, logged or stored: passwords and secret query
 * parameters of URI-like text ({@link Location#redact(String)}), and every secret value registered
 * here (API keys, tokens, passwords read from the environment or from URIs), wherever it appears —
 * also when a server echoes it back in an error body.
 *
 * <p>Providers register each secret they read ({@link #register(String)}); secrets resolved through
 * a provider context and passwords of parsed {@link Location}s are registered automatically.
 * {@link LifeboatException#getMessage()} is redacted, and the CLI redacts every line it prints.
 *
 * <p>The registry is process-wide on purpose: an exception message may be printed by code that
 * never saw the Lifeboat instance whose provider read the secret. Values shorter than
 * {@value #MIN_LENGTH} characters are not registered, since replacing them would garble ordinary
 * text; a password that short protects nothing anyway.
 */
public final class Redactor {
  /** What a removed secret is replaced with. */
  public static final String MASK = "***";
  static final int MIN_LENGTH = 4;

  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
  private static volatile List<String> longestFirst = List.of();

  private Redactor() {}

  /**
   * Registers a secret so that {@link #redact(String)} removes it, in its plain, percent-encoded
   * and Base64 forms (the last as HTTP Basic authentication would carry it). Null, blank and very
   * short values are ignored.
   */
  public static void register(String secret) {
    if (secret == null || secret.isBlank() || secret.length() < MIN_LENGTH) {
      return;
    }
    boolean added = SECRETS.add(secret);
    added |= SECRETS.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
    added |= SECRETS.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
    if (added) {
      synchronized (SECRETS) {
        List<String> sorted = new ArrayList<>(SECRETS);
        // Longest first, so a secret that contains another is removed whole.
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        longestFirst = List.copyOf(sorted);
      }
    }
  }

  /** The text with URI passwords, secret parameters and every registered secret replaced by {@value #MASK}. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = Location.redact(text);
    for (String secret : longestFirst) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }

  /** {@code Authorization: Bearer …}, {@code "authorization":"…"}: the value goes, whatever scheme it names. */
  private static final Pattern AUTHORIZATION =
      Pattern.compile("(?i)(\\bauthorization[\"']?\\s*[:=]\\s*[\"']?\\s*)(?:(?:bearer|basic|token)\\s+)?[^\\s\"',;}\\]]+");
  /** A bearer token standing alone, as a proxy's error page may print it. */
  private static final Pattern BEARER = Pattern.compile("(?i)(\\bbearer\\s+)[A-Za-z0-9._~+/=-]{6,}");
  private static final Pattern MARKUP = Pattern.compile("(?s)<(script|style)\\b.*?</\\1\\s*>|<[^>]*>");
  private static final Pattern BLANKS = Pattern.compile("\\s+");

  /**
   * Text a server sent (an error body, a proxy's page) made safe to show: {@link #redact}, then
   * every {@code Authorization} value and bearer token masked, on one line, cut to {@code max}
   * characters. Masking comes before cutting, so a cut never leaves part of a secret behind. An API
   * client adds its own token shapes before calling this.
   */
  public static String serverLine(String text, int max) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    String safe = redact(text);
    safe = AUTHORIZATION.matcher(safe).replaceAll("$1" + MASK);
    safe = BEARER.matcher(safe).replaceAll("$1" + MASK);
    safe = BLANKS.matcher(safe).replaceAll(" ").trim();
    return safe.length() <= max ? safe : safe.substring(0, max) + "\u2026";
  }

  /** An HTML page (a proxy's 502 says little more than its title) as its words. */
  public static String withoutMarkup(String text) {
    return text == null ? "" : MARKUP.matcher(text).replaceAll(" ");
  }
}
