package dev.lifeboat.supabase;

import dev.lifeboat.Durations;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Redactor;
import dev.lifeboat.spi.ProviderContext;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the Supabase provider reads: the Management API token ({@code SUPABASE_ACCESS_TOKEN}) and
 * URL ({@code SUPABASE_API_URL}), the database password ({@code SUPABASE_DB_PASSWORD}) and
 * override ({@code SUPABASE_DB_URL}), and the settings below with their ranges. The token and the
 * password are registered with the {@link Redactor} as they are read, as is the password inside
 * {@code SUPABASE_DB_URL} when it is parsed; none is printed by {@link #toString()}.
 */
final class SupabaseSettings {
  static final String DEFAULT_API_URL = "https://api.supabase.com";
  /** Every setting key, declared by the provider. */
  static final Set<String> KEYS = Set.of("supabase.apiUrl", "supabase.restoreTimeout", "supabase.restorePollInterval",
      "supabase.retry.maxAttempts", "supabase.retry.maxTime", "supabase.retry.initialBackoff", "supabase.retry.maxBackoff",
      "supabase.connectTimeout", "supabase.sslMode");

  private final ProviderContext context;
  private final String apiUrl;
  final Duration restoreTimeout;
  final Duration restorePollInterval;
  final int maxAttempts;
  final Duration maxRetryTime;
  final Duration initialBackoff;
  final Duration maxBackoff;
  final Duration connectTimeout;
  /** libpq's sslmode for the project's own hosts (direct and pooler); {@code require} unless set. */
  final String sslMode;

  private SupabaseSettings(ProviderContext context) {
    this.context = context;
    Map<String, String> s = context.settings();
    this.apiUrl = Optional.ofNullable(s.get("supabase.apiUrl")).filter(v -> !v.isBlank())
        // An address, not a secret: read without masking it in messages.
        .or(() -> context.secrets().resolve("SUPABASE_API_URL").filter(v -> !v.isBlank())).map(String::trim).map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
        .orElse(DEFAULT_API_URL);
    this.restoreTimeout = duration(s, "supabase.restoreTimeout", Duration.ofHours(2), Duration.ofMillis(100), Duration.ofDays(7));
    this.restorePollInterval = duration(s, "supabase.restorePollInterval", Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofMinutes(10));
    this.maxAttempts = integer(s, "supabase.retry.maxAttempts", 5, 1, 100);
    this.maxRetryTime = duration(s, "supabase.retry.maxTime", Duration.ofSeconds(120), Duration.ofMillis(100), Duration.ofHours(1));
    this.initialBackoff = duration(s, "supabase.retry.initialBackoff", Duration.ofMillis(500), Duration.ofMillis(1), Duration.ofMinutes(1));
    this.maxBackoff = duration(s, "supabase.retry.maxBackoff", Duration.ofSeconds(30), Duration.ofMillis(1), Duration.ofMinutes(10));
    this.sslMode = Optional.ofNullable(s.get("supabase.sslMode")).map(String::trim).orElse("require");
    if (!Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full").contains(sslMode)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Setting 'supabase.sslMode' must be one of disable, allow, prefer,"
          + " require, verify-ca, verify-full; it is '" + sslMode + "'. Leave it out for require.");
    }
    this.connectTimeout = duration(s, "supabase.connectTimeout", Duration.ofSeconds(5), Duration.ofMillis(10), Duration.ofMinutes(2));
  }

  static SupabaseSettings from(ProviderContext context) {
    return new SupabaseSettings(context);
  }

  String apiUrl() {
    return apiUrl;
  }

  /** The Management API token, or a configuration error saying where to get one. Never log it. */
  String accessToken() {
    return secret("SUPABASE_ACCESS_TOKEN").map(String::trim).orElseThrow(() -> new LifeboatException(ErrorCode.CONFIGURATION,
        "No Supabase access token. Set SUPABASE_ACCESS_TOKEN to a personal access token from the Supabase dashboard"
            + " (Account > Access Tokens)."));
  }

  /** {@code SUPABASE_DB_PASSWORD}, the password of the project's {@code postgres} user. */
  Optional<String> dbPassword() {
    return secret("SUPABASE_DB_PASSWORD");
  }

  /** {@code SUPABASE_DB_URL}, a full {@code postgresql://} URI that replaces the project's own hosts. */
  Optional<String> dbUrl() {
    // Not masked whole (messages name the host it reaches); its password is, when the URI is parsed.
    return context.secrets().resolve("SUPABASE_DB_URL").filter(x -> !x.isBlank()).map(String::trim);
  }

  private Optional<String> secret(String name) {
    Optional<String> v = context.secrets().resolve(name).filter(x -> !x.isBlank());
    v.ifPresent(Redactor::register);
    return v;
  }

  private static Duration duration(Map<String, String> s, String key, Duration fallback, Duration min, Duration max) {
    String v = s.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    Duration d = Durations.parse(v).orElseThrow(() -> new LifeboatException(ErrorCode.CONFIGURATION,
        "Setting '" + key + "' is not a duration: '" + v.trim() + "'. Use " + Durations.ACCEPTED_FORMS + "."));
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Setting '" + key + "' must be from " + Durations.format(min)
          + " to " + Durations.format(max) + "; it is '" + v.trim() + "'. Leave it out for " + Durations.format(fallback) + ".");
    }
    return d;
  }

  private static int integer(Map<String, String> s, String key, int fallback, int min, int max) {
    String v = s.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // Reported below with the accepted range.
    }
    throw new LifeboatException(ErrorCode.CONFIGURATION, "Setting '" + key + "' must be a whole number from " + min + " to "
        + max + "; it is '" + v.trim() + "'.");
  }

  @Override
  public String toString() {
    return "SupabaseSettings{apiUrl=" + Redactor.redact(apiUrl) + ", restoreTimeout=" + restoreTimeout + "}";
  }
}
