package dev.lifeboat.notify;

import dev.lifeboat.Durations;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * Sends one notification or ping: 10 s per attempt, at most 3 attempts, retrying connection
 * failures, 429 and 5xx with exponential backoff (or the server's {@code Retry-After}), never
 * retrying other answers: a 3xx is not followed, a 4xx (Slack's 404 {@code no_service}, 410
 * {@code channel_is_archived}) means the URL is wrong or revoked and will not heal by itself.
 */
final class Delivery {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final int MAX_ATTEMPTS = 3;
  /** A Retry-After longer than this is not waited for: a notification must not hold the job up. */
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
  private static final Pattern ERROR_WORD = Pattern.compile("[a-z_]{2,40}");

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  private final Duration backoff;

  /** @param backoff the wait before the second attempt; doubled for each further one */
  Delivery(Duration backoff) {
    this.backoff = backoff;
  }

  static Delivery standard() {
    return new Delivery(Duration.ofSeconds(1));
  }

  /** What came of a delivery: the successful response, or why there was none. */
  record Outcome(HttpResponse<String> response, String failure) {
    boolean delivered() {
      return failure == null;
    }
  }

  /**
   * Sends the request {@code attempt} builds (1-based; a webhook signs each attempt with its own
   * timestamp) until it succeeds or may not be retried.
   */
  Outcome send(IntFunction<HttpRequest> attempt) {
    String last = "not sent";
    for (int n = 1; n <= MAX_ATTEMPTS; n++) {
      Duration wait;
      int attemptNo = n;
      try {
        HttpResponse<String> response = exchange(attempt.apply(n));
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return new Outcome(response, null);
        }
        last = "HTTP " + status + errorWord(response.body());
        if (status != 429 && status < 500) {
          return new Outcome(null, last + " (not retried)");
        }
        Optional<Duration> retryAfter = retryAfter(response);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(MAX_RETRY_AFTER) > 0) {
          return new Outcome(null, last + " asking to retry after " + retryAfter.get().toSeconds() + " s (not waited for)");
        }
        wait = retryAfter.orElseGet(() -> backoff(attemptNo));
      } catch (HttpTimeoutException e) {
        last = "no answer within " + TIMEOUT.toSeconds() + " s";
        wait = backoff(n);
      } catch (ConnectException e) {
        last = "connection refused";
        wait = backoff(n);
      } catch (IOException e) {
        last = "network error (" + e.getClass().getSimpleName() + ")";
        wait = backoff(n);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Outcome(null, "interrupted");
      }
      if (n < MAX_ATTEMPTS && !sleep(wait)) {
        return new Outcome(null, "interrupted");
      }
    }
    return new Outcome(null, last + " after " + MAX_ATTEMPTS + " attempts");
  }

  /**
   * One attempt, bounded as a whole by {@link #TIMEOUT}: the request's own timeout ends when the
   * headers arrive, so without this bound a body sent one byte at a time would hold the job forever.
   */
  private static HttpResponse<String> exchange(HttpRequest request) throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<String>> response = CLIENT.sendAsync(request, CappedBody.handler());
    try {
      return response.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | CancellationException e) {
      response.cancel(true);
      throw new HttpTimeoutException("no answer within " + TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      response.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    }
  }

  static HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("User-Agent", "lifeboat");
  }

  // Slack answers errors with one word (no_service, channel_is_archived); anything else is not echoed.
  private static String errorWord(String body) {
    String text = body == null ? "" : body.strip();
    return ERROR_WORD.matcher(text).matches() ? " " + text : "";
  }

  private static Optional<Duration> retryAfter(HttpResponse<String> response) {
    return response.headers().firstValue("Retry-After").flatMap(Durations::retryAfter);
  }


  private Duration backoff(int attempt) {
    long base = backoff.toMillis() << (attempt - 1);
    // Jitter keeps many jobs that failed together from retrying in step.
    return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
  }

  private static boolean sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
