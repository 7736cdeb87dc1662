package dev.lifeboat.supabase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.lifeboat.Durations;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Redactor;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to the Supabase Management API and reads their answers: the one place that
 * speaks HTTP. Every request carries the bearer token (never logged). A 429 is retried after its
 * {@code Retry-After} or {@code X-RateLimit-Reset} seconds, or, naming neither, after at least a
 * second that doubles per retry; a 503 and, for calls
 * that are safe to resend (GET), any 5xx or lost connection are retried with full-jitter
 * exponential backoff, all within {@code supabase.retry.maxAttempts} and
 * {@code supabase.retry.maxTime}. Any other error answer is one {@link SupabaseApiException}
 * showing Supabase's {@code message}, redacted.
 */
final class SupabaseTransport {
  private static final Logger LOG = LoggerFactory.getLogger(SupabaseTransport.class);
  private static final MediaType JSON = MediaType.get("application/json");
  static final ObjectMapper MAPPER = new ObjectMapper();
  /** The longest server text shown in a message. */
  static final int MAX_MESSAGE = 300;
  /** The least wait after a 429 that names none. */
  static final Duration RATE_LIMIT_PAUSE = Duration.ofSeconds(1);
  /** A Supabase personal or scoped access token. */
  private static final Pattern ACCESS_TOKEN = Pattern.compile("\\bsbp_[A-Za-z0-9_]{16,}");

  private final OkHttpClient http;
  private final HttpUrl base;
  private final String token;
  private final SupabaseSettings settings;

  SupabaseTransport(SupabaseSettings settings, OkHttpClient shared) {
    HttpUrl parsed = HttpUrl.parse(settings.apiUrl());
    if (parsed == null) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "The Supabase API URL '" + Location.redact(settings.apiUrl())
          + "' is not an http(s) URL. Fix SUPABASE_API_URL (or the setting supabase.apiUrl).");
    }
    this.base = parsed;
    this.http = shared;
    this.settings = settings;
    this.token = settings.accessToken();
  }

  /** GET, safe to resend. */
  JsonNode get(List<String> segments, Map<String, List<String>> query) {
    return send("GET", segments, query, null);
  }

  /** POST with a JSON body; resent only after answers that promise nothing was done (429, 503). */
  JsonNode post(List<String> segments, Object body) {
    return send("POST", segments, Map.of(), body);
  }

  private JsonNode send(String method, List<String> segments, Map<String, List<String>> query, Object body) {
    String path = "/" + String.join("/", segments);
    boolean idempotent = method.equals("GET");
    long deadline = System.nanoTime() + settings.maxRetryTime.toNanos();
    AtomicInteger attempts = new AtomicInteger();
    IntervalBiFunction<JsonNode> interval = (attempt, outcome) -> {
      Transient t = outcome.isLeft() && outcome.getLeft() instanceof Transient tf ? tf : null;
      if (t != null && t.wait != null) {
        return t.wait.toMillis();
      }
      int doublings = Math.min(20, Math.max(0, attempt - 1));
      long cap = Math.min(settings.maxBackoff.toMillis(), settings.initialBackoff.toMillis() << doublings);
      long wait = ThreadLocalRandom.current().nextLong(cap + 1);
      if (t != null && t.status == 429) {
        // A 429 that names no wait: Supabase refuses the rest of the minute, so a quick retry only
        // spends an attempt. At least one second, doubling, but never past supabase.retry.maxBackoff.
        long floor = Math.min(Math.max(settings.maxBackoff.toMillis(), RATE_LIMIT_PAUSE.toMillis()),
            RATE_LIMIT_PAUSE.toMillis() << Math.min(doublings, 10));
        wait = Math.max(wait, floor);
      }
      long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      return Math.max(0, Math.min(wait, remaining));
    };
    RetryConfig config = RetryConfig.<JsonNode>custom()
        .maxAttempts(settings.maxAttempts)
        .intervalBiFunction(interval)
        .retryOnException(e -> e instanceof Transient t && (idempotent || !t.mayHaveApplied()) && t.fitsBefore(deadline))
        .build();
    Retry retry = Retry.of("supabase", config);
    retry.getEventPublisher().onRetry(e -> LOG.info("Supabase API {} {}: {}; retry {} in {} ms", method, path,
        e.getLastThrowable().getMessage(), e.getNumberOfRetryAttempts(), e.getWaitInterval().toMillis()));
    try {
      return retry.executeCallable(() -> once(method, segments, query, body, attempts.incrementAndGet()));
    } catch (Transient t) {
      throw gaveUp(method, path, idempotent, t, attempts.get(), deadline);
    } catch (LifeboatException e) {
      throw e;
    } catch (Exception e) {
      throw new LifeboatException(ErrorCode.REMOTE_API, "Supabase API " + method + " " + path + " failed: "
          + oneLine(e.toString()), e);
    }
  }

  private JsonNode once(String method, List<String> segments, Map<String, List<String>> query, Object body, int attempt) {
    HttpUrl.Builder url = base.newBuilder();
    segments.forEach(url::addPathSegment);
    query.forEach((k, values) -> values.forEach(v -> url.addQueryParameter(k, v)));
    RequestBody rb = null;
    if (body != null) {
      try {
        rb = RequestBody.create(MAPPER.writeValueAsBytes(body), JSON);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    Request request = new Request.Builder().url(url.build()).method(method, rb)
        .header("Authorization", "Bearer " + token).header("Accept", "application/json").build();
    String path = "/" + String.join("/", segments);
    try (Response response = http.newCall(request).execute()) {
      int status = response.code();
      ResponseBody responseBody = response.body();
      String text = responseBody == null ? "" : responseBody.string();
      LOG.debug("Supabase API {} {} -> {} (attempt {})", method, path, status, attempt);
      if (status >= 200 && status < 300) {
        return text.isBlank() ? MissingNode.getInstance() : parse(text, method, path);
      }
      String message = serverMessage(text);
      if (status == 429) {
        throw new Transient(status, "status 429 (rate limit): " + message,
            rateLimitWait(response.header("Retry-After"), response.header("X-RateLimit-Reset")));
      }
      if (status >= 500) {
        throw new Transient(status, "status " + status + ": " + message, null);
      }
      throw answered(method, path, status, message);
    } catch (IOException e) {
      throw new Transient(0, "no answer (" + oneLine(String.valueOf(e.getMessage())) + ")", null);
    }
  }

  /**
   * A transient failure that outlasted the retries, with what to do. A POST that may have reached
   * Supabase (a 5xx other than 503, or no answer) may have started what it asked for, a restore
   * above all: sending it again would start a second one, so the message says to look first.
   */
  private SupabaseApiException gaveUp(String method, String path, boolean idempotent, Transient t, int attempts, long deadline) {
    String what = "Supabase API " + method + " " + path + " failed after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ")
        + t.getMessage() + ". ";
    if (t.status == 429) {
      String hint = t.wait != null && !t.fitsBefore(deadline)
          ? "Supabase asked to wait " + t.wait.toSeconds() + " s, longer than supabase.retry.maxTime allows; try again then, or raise it."
          : "The Management API allows 120 requests a minute per project; wait a minute and try again, or raise supabase.retry.maxTime.";
      return new SupabaseApiException(ErrorCode.QUOTA_EXCEEDED, what + hint, t.status);
    }
    if (!idempotent && t.mayHaveApplied()) {
      return new SupabaseApiException(ErrorCode.REMOTE_API, what + "Supabase may have accepted the request: look at the project"
          + " (its status in the dashboard, or lifeboat list) before sending it again.", t.status);
    }
    if (t.status == 0) {
      return new SupabaseApiException(ErrorCode.CONNECTION, what + "Check the network and SUPABASE_API_URL (or supabase.apiUrl).", 0);
    }
    return new SupabaseApiException(ErrorCode.REMOTE_API, what + "Check https://status.supabase.com and try again.", t.status);
  }

  private static SupabaseApiException answered(String method, String path, int status, String message) {
    String what = "Supabase API " + method + " " + path + " answered " + status + ": " + message + ". ";
    return switch (status) {
      case 401 -> new SupabaseApiException(ErrorCode.AUTHENTICATION, what
          + "Check SUPABASE_ACCESS_TOKEN: it is missing, expired or revoked.", status);
      case 403 -> new SupabaseApiException(ErrorCode.AUTHENTICATION, what
          + "The access token may not do this on this project (a scoped token needs the backups permissions).", status);
      case 404 -> new SupabaseApiException(ErrorCode.NOT_FOUND, what
          + "Check the project ref and that the token's account can see the project.", status);
      case 402 -> new SupabaseApiException(ErrorCode.UNSUPPORTED, what + "The project's plan does not include this.", status);
      default -> new SupabaseApiException(ErrorCode.REMOTE_API, what + "Nothing was changed by Lifeboat after this answer.", status);
    };
  }

  private static JsonNode parse(String text, String method, String path) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.REMOTE_API, "Supabase API " + method + " " + path + " answered with text that is"
          + " not JSON: " + oneLine(Redactor.withoutMarkup(text)) + ". Check SUPABASE_API_URL (or supabase.apiUrl) and any proxy in between.");
    }
  }

  /**
   * The {@code message} of an error body or, when the body is not Supabase's JSON (a proxy's HTML
   * page), its words; made safe to print.
   */
  static String serverMessage(String text) {
    String message = Redactor.withoutMarkup(text);
    try {
      JsonNode n = MAPPER.readTree(text);
      if (n != null && n.path("message").isTextual()) {
        message = n.path("message").asText();
      }
    } catch (IOException | RuntimeException notJson) {
      // Shown as text below.
    }
    message = oneLine(message);
    return message.isEmpty() ? "no error text" : message;
  }

  /**
   * Server text made safe to show ({@link Redactor#serverLine}): registered secrets, URI passwords,
   * echoed {@code Authorization} values and bearer tokens masked, and any Supabase access token
   * ({@code sbp_…}), since an error page may echo one Lifeboat never read; on one line, at most
   * {@link #MAX_MESSAGE} characters.
   */
  static String oneLine(String text) {
    String safe = ACCESS_TOKEN.matcher(text == null ? "" : text).replaceAll(Redactor.MASK);
    return Redactor.serverLine(safe, MAX_MESSAGE);
  }

  /** 2001-09-09 as a Unix time: more seconds than any wait for a rate limit, so a reset at least this large is a time. */
  private static final long UNIX_TIME_FLOOR = 1_000_000_000L;

  /**
   * The wait a 429 asks for: its {@code Retry-After} (seconds or an HTTP date; Supabase documents
   * none, but a proxy in front of it may send one), else its {@code X-RateLimit-Reset} (seconds
   * until the limit resets); {@code null} when it names neither, and backoff decides.
   */
  static Duration rateLimitWait(String retryAfter, String reset) {
    Duration after = Durations.retryAfter(retryAfter).orElse(null);
    if (after != null) {
      return after;
    }
    if (reset != null) {
      try {
        long value = Long.parseLong(reset.trim());
        // Documented as seconds until the reset. A value that can only be a Unix time (the style of
        // other APIs, which a proxy in front may use) names the instant of the reset instead.
        long seconds = value >= UNIX_TIME_FLOOR ? value - Instant.now().getEpochSecond() : value;
        return Duration.ofSeconds(Math.max(0, seconds));
      } catch (NumberFormatException ignored) {
        // Treated as absent.
      }
    }
    return null;
  }

  /** An answer worth another try; its text is already safe to show. */
  static final class Transient extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final Duration wait;

    Transient(int status, String message, Duration wait) {
      super(message, null, false, false);
      this.status = status;
      this.wait = wait;
    }

    /** No answer, or a 5xx other than 503: Supabase may have applied the call. */
    boolean mayHaveApplied() {
      return status == 0 || (status >= 500 && status != 503);
    }

    boolean fitsBefore(long deadline) {
      long remaining = deadline - System.nanoTime();
      return remaining > 0 && (wait == null || wait.toNanos() <= remaining);
    }
  }
}
