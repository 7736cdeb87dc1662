package dev.lifeboat.neon;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.spi.ProviderContext;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Neon provider's settings, read from a {@link ProviderContext}. The API key is kept apart and
 * never printed.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code neon.apiKey}</td><td>secret {@code NEON_API_KEY}</td><td>the API key</td></tr>
 * <tr><td>{@code neon.apiUrl}</td><td>secret {@code NEON_API_URL}, else {@value #DEFAULT_API_URL}</td><td>the API base URL</td></tr>
 * <tr><td>{@code neon.backupPrefix}</td><td>{@code backup-}</td><td>names of backup branches</td></tr>
 * <tr><td>{@code neon.operationTimeout}</td><td>{@code 10m}</td><td>how long to wait for operations</td></tr>
 * <tr><td>{@code neon.operationPollInterval}</td><td>{@code 1s}</td><td>first wait between polls (grows to 5 s)</td></tr>
 * <tr><td>{@code neon.retry.maxAttempts}</td><td>{@code 5}</td><td>tries per request for 423, 429, 503, resets</td></tr>
 * <tr><td>{@code neon.retry.maxTime}</td><td>{@code 60s}</td><td>total time one request may spend retrying</td></tr>
 * <tr><td>{@code neon.retry.initialBackoff}</td><td>{@code 250ms}</td><td>base of the full-jitter backoff</td></tr>
 * <tr><td>{@code neon.retry.maxBackoff}</td><td>{@code 10s}</td><td>cap of the backoff and of Retry-After</td></tr>
 * <tr><td>{@code neon.health.minHistory}</td><td>{@code 48h}</td><td>shortest acceptable history window</td></tr>
 * <tr><td>{@code neon.health.rpo}</td><td>{@code 24h}</td><td>oldest acceptable newest backup branch</td></tr>
 * <tr><td>{@code neon.branchLimit}</td><td>the plan's, when Neon reports it</td><td>branches a project may have</td></tr>
 * </table>
 *
 * <p>Durations are ISO-8601 ({@code PT10M}) or a number with {@code ms}, {@code s}, {@code m},
 * {@code h} or {@code d}.
 */
public final class NeonSettings {
  /** Neon's public API. */
  public static final String DEFAULT_API_URL = "https://console.neon.tech/api/v2";

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private final String apiUrl;
  private final String apiKey;
  private final String backupPrefix;
  private final Duration operationTimeout;
  private final Duration operationPollInterval;
  private final int maxAttempts;
  private final Duration maxRetryTime;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration minHistory;
  private final Duration rpo;
  private final Integer branchLimit;

  private NeonSettings(Map<String, String> s, String apiKey, String apiUrl) {
    this.apiKey = apiKey;
    this.apiUrl = stripSlash(apiUrl);
    this.backupPrefix = s.getOrDefault("neon.backupPrefix", "backup-");
    this.operationTimeout = duration(s, "neon.operationTimeout", Duration.ofMinutes(10));
    this.operationPollInterval = duration(s, "neon.operationPollInterval", Duration.ofSeconds(1));
    this.maxAttempts = integer(s, "neon.retry.maxAttempts", 5);
    this.maxRetryTime = duration(s, "neon.retry.maxTime", Duration.ofSeconds(60));
    this.initialBackoff = duration(s, "neon.retry.initialBackoff", Duration.ofMillis(250));
    this.maxBackoff = duration(s, "neon.retry.maxBackoff", Duration.ofSeconds(10));
    this.minHistory = duration(s, "neon.health.minHistory", Duration.ofHours(48));
    this.rpo = duration(s, "neon.health.rpo", Duration.ofHours(24));
    this.branchLimit = s.containsKey("neon.branchLimit") ? integer(s, "neon.branchLimit", 0) : null;
    if (backupPrefix.isBlank()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Setting 'neon.backupPrefix' is empty. Leave it out for 'backup-' or give a prefix.");
    }
    if (maxAttempts < 1) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Setting 'neon.retry.maxAttempts' must be at least 1, was " + maxAttempts + ".");
    }
  }

  /**
   * Reads the settings. The API key comes from the secret {@code NEON_API_KEY} or the setting
   * {@code neon.apiKey}; a missing key is a {@code CONFIGURATION} error.
   */
  public static NeonSettings from(ProviderContext context) {
    Map<String, String> s = context.settings();
    String key = context.secrets().resolve("NEON_API_KEY").filter(v -> !v.isBlank())
        .or(() -> Optional.ofNullable(s.get("neon.apiKey")).filter(v -> !v.isBlank()))
        .orElseThrow(() -> new LifeboatException(ErrorCode.CONFIGURATION,
            "No Neon API key. Set the environment variable NEON_API_KEY (or the setting neon.apiKey) to an API key "
                + "from the Neon console (Account or Organization settings, API keys)."));
    String url = Optional.ofNullable(s.get("neon.apiUrl")).filter(v -> !v.isBlank())
        .or(() -> context.secrets().resolve("NEON_API_URL").filter(v -> !v.isBlank()))
        .orElse(DEFAULT_API_URL);
    return new NeonSettings(s, key, url);
  }

  /** Settings from plain values, for tools and tests that build a client directly. */
  public static NeonSettings of(String apiUrl, String apiKey, Map<String, String> settings) {
    if (apiKey == null || apiKey.isBlank()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "No Neon API key. Set NEON_API_KEY.");
    }
    return new NeonSettings(settings, apiKey, apiUrl == null ? DEFAULT_API_URL : apiUrl);
  }

  public String apiUrl() { return apiUrl; }
  /** The API key. Never log it. */
  String apiKey() { return apiKey; }
  public String backupPrefix() { return backupPrefix; }
  public Duration operationTimeout() { return operationTimeout; }
  public Duration operationPollInterval() { return operationPollInterval; }
  public int maxAttempts() { return maxAttempts; }
  public Duration maxRetryTime() { return maxRetryTime; }
  public Duration initialBackoff() { return initialBackoff; }
  public Duration maxBackoff() { return maxBackoff; }
  public Duration minHistory() { return minHistory; }
  public Duration rpo() { return rpo; }
  /** The branch limit set by hand, if any. */
  public Optional<Integer> branchLimit() { return Optional.ofNullable(branchLimit); }

  /** The settings without the key. */
  @Override
  public String toString() {
    return "NeonSettings{apiUrl=" + apiUrl + ", backupPrefix=" + backupPrefix + ", operationTimeout=" + operationTimeout
        + ", maxAttempts=" + maxAttempts + ", maxRetryTime=" + maxRetryTime + "}";
  }

  /** Parses {@code PT10M}, {@code 10m}, {@code 500ms}, {@code 2h}, {@code 1d}. */
  public static Duration parseDuration(String key, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("pt") || t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
    } catch (java.time.format.DateTimeParseException e) {
      throw badDuration(key, text);
    }
    Matcher m = SHORT_DURATION.matcher(t);
    if (!m.matches()) {
      throw badDuration(key, text);
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms": return Duration.ofMillis(n);
      case "s": return Duration.ofSeconds(n);
      case "m": return Duration.ofMinutes(n);
      case "h": return Duration.ofHours(n);
      default: return Duration.ofDays(n);
    }
  }

  private static LifeboatException badDuration(String key, String text) {
    return new LifeboatException(ErrorCode.CONFIGURATION,
        "Setting '" + key + "' is not a duration: '" + text + "'. Use e.g. 10m, 30s, 500ms or PT10M.");
  }

  private static Duration duration(Map<String, String> s, String key, Duration fallback) {
    String v = s.get(key);
    return v == null || v.isBlank() ? fallback : parseDuration(key, v);
  }

  private static int integer(Map<String, String> s, String key, int fallback) {
    String v = s.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Setting '" + key + "' is not a whole number: '" + v + "'.");
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
