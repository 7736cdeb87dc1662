package dev.lifeboat.github;

import dev.lifeboat.Durations;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Redactor;
import dev.lifeboat.spi.ProviderContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The GitHub Releases provider's settings, read from a {@link ProviderContext} and checked at
 * once: a malformed or out-of-range value is a {@code CONFIGURATION} error (exit 2) naming the key.
 * The token is registered with the {@link Redactor} before anything else and never printed.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>(secret) {@code GITHUB_TOKEN}, else {@code GH_TOKEN}</td><td>required</td><td>a token that may write the repository's contents (releases)</td></tr>
 * <tr><td>{@code github.apiUrl}</td><td>secret {@code GITHUB_API_URL}, else {@value #DEFAULT_API_URL}</td><td>the REST API base (GitHub Enterprise: {@code https://HOST/api/v3})</td></tr>
 * <tr><td>{@code github.partSize}</td><td>{@value #DEFAULT_PART_SIZE} bytes</td><td>largest asset; a longer archive is split into numbered parts (1 KiB to 2,000,000,000)</td></tr>
 * <tr><td>{@code github.retry.maxAttempts}</td><td>{@code 6}</td><td>tries per request for rate-limit answers, 5xx and lost answers (1 to 100)</td></tr>
 * <tr><td>{@code github.retry.maxTime}</td><td>{@code 15m}</td><td>longest wait for one request, rate-limit resets included (100ms to 2h)</td></tr>
 * <tr><td>{@code github.retry.initialBackoff}</td><td>{@code 500ms}</td><td>base of the full-jitter backoff after a 5xx or a lost answer</td></tr>
 * <tr><td>{@code github.pace.perMinute}, {@code github.pace.perHour}</td><td>{@code 80}, {@code 500}</td><td>most calls that create or change content (uploads, releases, deletes) per minute and per hour: GitHub's secondary rate limit</td></tr>
 * <tr><td>{@code github.retry.rateLimitPause}</td><td>{@code 60s}</td><td>least wait after a rate-limit answer that names no time (doubles per retry), as GitHub asks</td></tr>
 * </table>
 */
final class GitHubSettings {
  /** GitHub's public REST API. */
  static final String DEFAULT_API_URL = "https://api.github.com";
  /**
   * Below GitHub's 2 GiB per asset, which in practice behaves like 2 GB (a file of exactly 2 GiB
   * fails with a 500), with room to spare.
   */
  static final long DEFAULT_PART_SIZE = 1_900_000_000L;
  static final long MAX_PART_SIZE = 2_000_000_000L;
  static final Set<String> KEYS = Set.of("github.apiUrl", "github.partSize", "github.retry.maxAttempts", "github.retry.maxTime",
      "github.retry.initialBackoff", "github.retry.rateLimitPause", "github.pace.perMinute", "github.pace.perHour");

  private final String token;
  private final String apiUrl;
  private final long partSize;
  private final int maxAttempts;
  private final Duration maxRetryTime;
  private final Duration initialBackoff;
  private final Duration rateLimitPause;
  private final Path scratchDir;
  private final int pacePerMinute;
  private final int pacePerHour;

  private GitHubSettings(Map<String, String> s, String token, String apiUrl) {
    Redactor.register(token);
    this.token = token;
    this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
    this.partSize = number(s, "github.partSize", DEFAULT_PART_SIZE, 1024, MAX_PART_SIZE);
    this.maxAttempts = (int) number(s, "github.retry.maxAttempts", 6, 1, 100);
    this.maxRetryTime = duration(s, "github.retry.maxTime", Duration.ofMinutes(15), Duration.ofMillis(100), Duration.ofHours(2));
    this.initialBackoff = duration(s, "github.retry.initialBackoff", Duration.ofMillis(500), Duration.ofMillis(1), Duration.ofMinutes(1));
    this.rateLimitPause = duration(s, "github.retry.rateLimitPause", Duration.ofSeconds(60), Duration.ofMillis(1), Duration.ofMinutes(30));
    this.pacePerMinute = (int) number(s, "github.pace.perMinute", CreationPacer.PER_MINUTE, 1, 100_000);
    this.pacePerHour = (int) number(s, "github.pace.perHour", CreationPacer.PER_HOUR, 1, 1_000_000);
    String scratch = s.get("lifeboat.scratchDir");
    this.scratchDir = Path.of(scratch == null || scratch.isBlank() ? System.getProperty("java.io.tmpdir") : scratch);
  }

  /**
   * Reads the settings: the token from the secret {@code GITHUB_TOKEN} or {@code GH_TOKEN} (a
   * missing one is a {@code CONFIGURATION} error), the API base from {@code github.apiUrl} or
   * {@code GITHUB_API_URL}.
   */
  static GitHubSettings from(ProviderContext context) {
    Map<String, String> s = context.settings();
    String token = context.secrets().resolve("GITHUB_TOKEN").filter(v -> !v.isBlank())
        .or(() -> context.secrets().resolve("GH_TOKEN").filter(v -> !v.isBlank()))
        .orElseThrow(() -> new LifeboatException(ErrorCode.CONFIGURATION,
            "No GitHub token. Set GITHUB_TOKEN (or GH_TOKEN) to a token that may write the repository's contents "
                + "(fine-grained: Contents read and write; classic: repo scope; in GitHub Actions: permissions: contents: write)."));
    String url = Optional.ofNullable(s.get("github.apiUrl")).filter(v -> !v.isBlank())
        .or(() -> context.secrets().resolve("GITHUB_API_URL").filter(v -> !v.isBlank()))
        .orElse(DEFAULT_API_URL);
    return new GitHubSettings(s, token.trim(), url.trim());
  }

  /** The token. Never log it. */
  String token() { return token; }
  String apiUrl() { return apiUrl; }
  long partSize() { return partSize; }
  int maxAttempts() { return maxAttempts; }
  Duration maxRetryTime() { return maxRetryTime; }
  Duration initialBackoff() { return initialBackoff; }
  Duration rateLimitPause() { return rateLimitPause; }
  Path scratchDir() { return scratchDir; }
  int pacePerMinute() { return pacePerMinute; }
  int pacePerHour() { return pacePerHour; }

  /** The settings without the token. */
  @Override
  public String toString() {
    return "GitHubSettings{apiUrl=" + Redactor.redact(apiUrl) + ", partSize=" + partSize + ", maxAttempts=" + maxAttempts + "}";
  }

  private static Duration duration(Map<String, String> s, String key, Duration fallback, Duration min, Duration max) {
    String v = s.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    Duration d = Durations.parse(v).orElseThrow(() -> new LifeboatException(ErrorCode.CONFIGURATION,
        "Setting '" + key + "' is not a duration: '" + v.trim() + "'. Use " + Durations.ACCEPTED_FORMS + "."));
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Setting '" + key + "' must be from " + Durations.format(min) + " to "
          + Durations.format(max) + "; it is '" + v.trim() + "'. Leave it out for " + Durations.format(fallback) + ".");
    }
    return d;
  }

  private static long number(Map<String, String> s, String key, long fallback, long min, long max) {
    String v = s.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    String range = "a whole number from " + min + " to " + max;
    long n;
    try {
      n = Long.parseLong(v.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Setting '" + key + "' must be " + range + "; it is '" + v.trim() + "'.");
    }
    if (n < min || n > max) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Setting '" + key + "' must be " + range + "; it is " + n + ".");
    }
    return n;
  }
}
