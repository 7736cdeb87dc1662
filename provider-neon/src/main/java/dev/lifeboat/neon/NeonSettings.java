package dev.lifeboat.neon;

import dev.lifeboat.Durations;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Redactor;
import dev.lifeboat.spi.ProviderContext;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The Neon provider's settings, read from a {@link ProviderContext} and checked at once: a value
 * that is malformed or out of range is a {@code CONFIGURATION} error (exit 2) naming the key and
 * what it accepts, before any call to Neon. The API key is kept apart, registered with the
 * {@link Redactor} (so an API or proxy that echoes it cannot make Lifeboat print it) and never
 * printed.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>key</th><th>default</th><th>range</th><th>meaning</th></tr>
 * <tr><td>{@code neon.apiKey}</td><td>secret {@code NEON_API_KEY}</td><td></td><td>the API key</td></tr>
 * <tr><td>{@code neon.apiUrl}</td><td>secret {@code NEON_API_URL}, else {@value #DEFAULT_API_URL}</td><td>http(s) URL</td><td>the API base URL</td></tr>
 * <tr><td>{@code neon.backupPrefix}</td><td>{@code backup-}</td><td>not blank</td><td>names of backup branches</td></tr>
 * <tr><td>{@code neon.operationTimeout}</td><td>{@code 10m}</td><td>100ms to 24h</td><td>how long to wait for operations</td></tr>
 * <tr><td>{@code neon.operationPollInterval}</td><td>{@code 1s}</td><td>10ms to 5m</td><td>first wait between polls (grows to 5 s)</td></tr>
 * <tr><td>{@code neon.retry.maxAttempts}</td><td>{@code 5}</td><td>1 to 100</td><td>tries per request for 423, 429, 503, other 5xx and resets</td></tr>
 * <tr><td>{@code neon.retry.maxTime}</td><td>{@code 60s}</td><td>100ms to 1h</td><td>total time one request may spend retrying; a longer Retry-After gives up at once</td></tr>
 * <tr><td>{@code neon.retry.initialBackoff}</td><td>{@code 250ms}</td><td>1ms to 1m</td><td>base of the full-jitter backoff</td></tr>
 * <tr><td>{@code neon.retry.maxBackoff}</td><td>{@code 10s}</td><td>1ms to 10m, at least initialBackoff</td><td>cap of the backoff (not of Retry-After)</td></tr>
 * <tr><td>{@code neon.health.minHistory}</td><td>{@code 48h}</td><td>0s to 30d</td><td>shortest acceptable history window</td></tr>
 * <tr><td>{@code neon.health.rpo}</td><td>{@code 24h}</td><td>1m to 365d</td><td>oldest acceptable newest backup branch</td></tr>
 * <tr><td>{@code neon.branchLimit}</td><td>the plan's, when Neon reports it</td><td>1 to 100000</td><td>branches a project may have</td></tr>
 * </table>
 *
 * <p>Durations are read by {@link Durations}: ISO-8601 ({@code PT10M}) or short forms
 * ({@code 500ms}, {@code 90s}, {@code 30m}, {@code 2h}, {@code 7d}, {@code 1h30m}), as the
 * command line's duration options are.
 */
final class NeonSettings {
  /** Neon's public API. */
  public static final String DEFAULT_API_URL = "https://console.neon.tech/api/v2";

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
    // First, so that no message below (nor any later one) can carry the key.
    Redactor.register(apiKey);
    this.apiKey = apiKey;
    this.apiUrl = stripSlash(apiUrl);
    this.backupPrefix = s.getOrDefault("neon.backupPrefix", "backup-");
    this.operationTimeout = duration(s, "neon.operationTimeout", Duration.ofMinutes(10), Duration.ofMillis(100), Duration.ofHours(24));
    this.operationPollInterval = duration(s, "neon.operationPollInterval", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMinutes(5));
    this.maxAttempts = integer(s, "neon.retry.maxAttempts", 5, 1, 100);
    this.maxRetryTime = duration(s, "neon.retry.maxTime", Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofHours(1));
    this.initialBackoff = duration(s, "neon.retry.initialBackoff", Duration.ofMillis(250), Duration.ofMillis(1), Duration.ofMinutes(1));
    this.maxBackoff = duration(s, "neon.retry.maxBackoff", Duration.ofSeconds(10), Duration.ofMillis(1), Duration.ofMinutes(10));
    this.minHistory = duration(s, "neon.health.minHistory", Duration.ofHours(48), Duration.ZERO, Duration.ofDays(30));
    this.rpo = duration(s, "neon.health.rpo", Duration.ofHours(24), Duration.ofMinutes(1), Duration.ofDays(365));
    this.branchLimit = s.containsKey("neon.branchLimit") ? integer(s, "neon.branchLimit", 0, 1, 100_000) : null;
    if (backupPrefix.isBlank()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Setting 'neon.backupPrefix' is empty. Leave it out for 'backup-' or give a prefix.");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Setting 'neon.retry.maxBackoff' (" + Durations.format(maxBackoff) + ") must be at least neon.retry.initialBackoff ("
              + Durations.format(initialBackoff) + "). Raise the one or lower the other.");
    }
  }

  /**
   * Reads the settings. The API key comes from the secret {@code NEON_API_KEY} or the setting
   * {@code neon.apiKey}; a missing key, or a setting that is malformed or out of range, is a
   * {@code CONFIGURATION} error.
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
    return new NeonSettings(s, key.trim(), url.trim());
  }

  /** Settings from plain values, for tools and tests that build a client directly. */
  public static NeonSettings of(String apiUrl, String apiKey, Map<String, String> settings) {
    if (apiKey == null || apiKey.isBlank()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "No Neon API key. Set NEON_API_KEY.");
    }
    return new NeonSettings(settings, apiKey.trim(), apiUrl == null ? DEFAULT_API_URL : apiUrl.trim());
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
    return "NeonSettings{apiUrl=" + Redactor.redact(apiUrl) + ", backupPrefix=" + backupPrefix + ", operationTimeout=" + operationTimeout
        + ", maxAttempts=" + maxAttempts + ", maxRetryTime=" + maxRetryTime + "}";
  }

  /**
   * Reads a duration setting the way {@link Durations} does; anything else is a
   * {@code CONFIGURATION} error naming the key and the accepted forms.
   */
  public static Duration parseDuration(String key, String text) {
    return Durations.parse(text).orElseThrow(() -> new LifeboatException(ErrorCode.CONFIGURATION,
        "Setting '" + key + "' is not a duration: '" + text.trim() + "'. Use " + Durations.ACCEPTED_FORMS + "."));
  }

  private static Duration duration(Map<String, String> s, String key, Duration fallback, Duration min, Duration max) {
    String v = s.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    Duration d = parseDuration(key, v);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Setting '" + key + "' must be from " + Durations.format(min) + " to " + Durations.format(max) + "; it is '" + v.trim()
              + "'. Leave it out for " + Durations.format(fallback) + ".");
    }
    return d;
  }

  private static int integer(Map<String, String> s, String key, int fallback, int min, int max) {
    String v = s.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    String range = "a whole number from " + min + " to " + max;
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Setting '" + key + "' must be " + range + "; it is '" + v.trim() + "'.");
    }
    if (n < min || n > max) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Setting '" + key + "' must be " + range + "; it is " + n + ".");
    }
    return n;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
