package dev.lifeboat.neon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.Durations;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import io.github.resilience4j.retry.Retry;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to the Neon API v2 and reads their answers: the one place that speaks HTTP.
 *
 * <p>Every request carries the bearer key (added by an interceptor, never logged) and a fresh
 * {@code X-Request-ID}. Transient answers are retried as {@link NeonRetry} decides; every other
 * error status is one {@link NeonApiException} ({@link NeonErrors}). Nothing a server sends
 * reaches a message or log line unfiltered ({@link ServerText}), and the passwords and connection
 * URIs of every successful answer are registered as secrets as it arrives.
 *
 * <p>Thread-safe.
 */
final class NeonTransport {
  private static final Logger LOG = LoggerFactory.getLogger(NeonTransport.class);
  private static final MediaType JSON = MediaType.get("application/json");
  /** Empty pages in a row, each with a fresh {@code next}, after which a listing stops. */
  static final int MAX_EMPTY_PAGES = 10;

  private final OkHttpClient http;
  private final HttpUrl base;
  private final NeonRetry retry;
  private final NeonErrors errors;

  /** A transport on {@code shared}'s connection pool and threads, with the key interceptor added. */
  NeonTransport(NeonSettings settings, OkHttpClient shared) {
    HttpUrl parsed = HttpUrl.parse(settings.apiUrl());
    if (parsed == null) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "The Neon API URL '" + Location.redact(settings.apiUrl()) + "' is not an http(s) URL. Fix neon.apiUrl or NEON_API_URL.");
    }
    this.base = parsed;
    this.http = shared.newBuilder().addInterceptor(new KeyInterceptor(settings.apiKey())).build();
    this.retry = new NeonRetry(settings);
    this.errors = new NeonErrors(settings.apiUrl());
  }

  /** GET; returns the parsed body. */
  JsonNode get(List<String> segments, Map<String, String> query) {
    return send(NeonCall.get(segments, query));
  }

  /**
   * Reads a cursor-paged list: calls {@code onPage} with each page until it returns false, the
   * page's {@code pagination.<cursorField>} is absent or empty, or a cursor repeats (a server that
   * loops must not keep Lifeboat asking for ever). A page shorter than the {@code limit} asked for
   * is not the last: Neon, or a proxy in front of it, may answer with fewer items.
   *
   * <p>An empty page ends the listing only when {@code emptyPageEnds}: Neon's keyset cursors
   * ({@code pagination.cursor}, required by the spec) are present on every page, the last one too,
   * so emptiness is their only end. An opaque {@code pagination.next} is followed "until it is
   * absent", also past an empty page, but not past {@value #MAX_EMPTY_PAGES} empty pages in a row.
   */
  void pages(List<String> segments, Map<String, String> query, String itemsField, String cursorField, boolean emptyPageEnds,
      Predicate<JsonNode> onPage) {
    Set<String> cursors = new HashSet<>();
    String cursor = null;
    int emptyInARow = 0;
    while (true) {
      Map<String, String> q = new LinkedHashMap<>(query);
      if (cursor != null) {
        q.put("cursor", cursor);
      }
      JsonNode page = get(segments, q);
      boolean empty = page.path(itemsField).size() == 0;
      if (!onPage.test(page) || (empty && emptyPageEnds)) {
        return;
      }
      String next = page.path("pagination").path(cursorField).asText("");
      if (next.isEmpty()) {
        return;
      }
      emptyInARow = empty ? emptyInARow + 1 : 0;
      if (emptyInARow >= MAX_EMPTY_PAGES) {
        LOG.warn("Neon API GET /{} answered {} empty pages in a row, each with a new cursor; stopping the listing there",
            String.join("/", segments), MAX_EMPTY_PAGES);
        return;
      }
      if (!cursors.add(next)) {
        LOG.warn("Neon API GET /{} handed back cursor '{}' a second time; stopping the listing there", String.join("/", segments),
            ServerText.oneLine(next, 80));
        return;
      }
      cursor = next;
    }
  }

  /** Sends with retries; returns the parsed body, or a missing node for an empty answer. */
  JsonNode send(NeonCall call) {
    AtomicInteger attempts = new AtomicInteger();
    long deadline = retry.deadline();
    Retry policy = retry.forCall(call, deadline);
    try {
      AtomicBoolean mayHaveApplied = new AtomicBoolean();
      return policy.executeCallable(() -> {
        try {
          return once(call, attempts.incrementAndGet(), mayHaveApplied.get());
        } catch (TransientFailure t) {
          if (t.mayHaveApplied()) {
            mayHaveApplied.set(true);
          }
          throw t;
        }
      });
    } catch (TransientFailure t) {
      throw errors.gaveUp(call, t, attempts.get(), deadline);
    } catch (LifeboatException e) {
      throw e;
    } catch (Exception e) {
      throw new LifeboatException(ErrorCode.REMOTE_API,
          "Neon API " + call.method() + " " + call.path() + " failed: " + ServerText.oneLine(e.toString(), ServerText.MAX_MESSAGE), e);
    }
  }

  /** One attempt: a transient answer is thrown as {@link TransientFailure}, any other error as {@link NeonApiException}. */
  private JsonNode once(NeonCall call, int attempt, boolean earlierMayHaveApplied) {
    String requestId = UUID.randomUUID().toString();
    HttpUrl.Builder url = base.newBuilder();
    call.segments().forEach(url::addPathSegment);
    call.query().forEach(url::addQueryParameter);
    RequestBody body = null;
    if (call.body() != null) {
      body = RequestBody.create(NeonJson.write(call.body()), JSON);
    } else if (!call.method().equals("GET") && !call.method().equals("DELETE")) {
      body = RequestBody.create(new byte[0], null);
    }
    Request request = new Request.Builder().url(url.build()).method(call.method(), body)
        .header("X-Request-ID", requestId).build();
    try (Response response = http.newCall(request).execute()) {
      int status = response.code();
      ResponseBody rb = response.body();
      String text = rb == null ? "" : rb.string();
      LOG.debug("Neon API {} {} -> {} (request id {}, attempt {})", call.method(), call.path(), status, requestId, attempt);
      if (status >= 200 && status < 300) {
        if (text.isBlank()) {
          return NeonJson.missing();
        }
        JsonNode answer = NeonJson.parse(text, call);
        // Passwords and connection URIs in the answer: masked in whatever is printed from now on.
        ServerText.registerSecrets(answer);
        return answer;
      }
      // Everything taken from an error answer is made safe here, before anything can print it.
      JsonNode error = NeonJson.parseQuietly(text);
      String code = ServerText.oneLine(error.path("code").asText(""), 100);
      String message = ServerText.oneLine(error.path("message").isTextual() ? error.path("message").asText() : ServerText.withoutMarkup(text),
          ServerText.MAX_MESSAGE);
      if (message.isEmpty()) {
        message = "no error text";
      }
      String echoed = ServerText.oneLine(error.path("request_id").asText(requestId), 100);
      if (status == 423 || status == 429 || status == 503 || (status >= 500 && call.safeToResend())) {
        throw new TransientFailure(status, Durations.retryAfter(response.header("Retry-After")).orElse(null), code, message, echoed);
      }
      throw errors.answered(call, status, code, message, echoed, attempt, earlierMayHaveApplied);
    } catch (IOException e) {
      throw new TransientFailure(e, requestId);
    }
  }

  /** Adds the bearer key and the JSON and request-id headers; the only place the key is used. */
  private static final class KeyInterceptor implements Interceptor {
    private final String key;

    KeyInterceptor(String key) {
      this.key = key;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
      Request original = chain.request();
      Request.Builder b = original.newBuilder()
          .header("Authorization", "Bearer " + key)
          .header("Accept", "application/json");
      if (original.header("X-Request-ID") == null) {
        b.header("X-Request-ID", UUID.randomUUID().toString());
      }
      return chain.proceed(b.build());
    }

    @Override
    public String toString() {
      return "KeyInterceptor[key hidden]";
    }
  }
}
