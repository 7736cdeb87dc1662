package dev.lifeboat.neon;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a request to Neon is sent again, and after how long. A {@link TransientFailure} is retried
 * when it promises that Neon applied nothing (423, 429, 503) or the call is safe to resend, within
 * {@code neon.retry.maxAttempts} and {@code neon.retry.maxTime}; a {@code Retry-After} is honoured,
 * and one that does not fit in the time left gives up at once. Otherwise the wait is full-jitter
 * exponential backoff ({@code neon.retry.initialBackoff}, capped by {@code neon.retry.maxBackoff}).
 */
final class NeonRetry {
  private static final Logger LOG = LoggerFactory.getLogger(NeonRetry.class);
  /** The least wait after a 429 that names none. */
  static final Duration RATE_LIMIT_PAUSE = Duration.ofSeconds(1);

  private final NeonSettings settings;

  NeonRetry(NeonSettings settings) {
    this.settings = settings;
  }

  /** The {@link System#nanoTime()} by which a call started now must stop retrying. */
  long deadline() {
    return System.nanoTime() + settings.maxRetryTime().toNanos();
  }

  /** The retry of one call, which logs each retry it makes. */
  Retry forCall(NeonCall call, long deadline) {
    IntervalBiFunction<JsonNode> interval = (attempt, outcome) -> {
      TransientFailure t = outcome.isLeft() && outcome.getLeft() instanceof TransientFailure tf ? tf : null;
      if (t != null && t.retryAfter != null) {
        return t.retryAfter.toMillis();
      }
      long wait = backoff(attempt, t != null && t.rateLimited());
      long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      return Math.max(0, Math.min(wait, remaining));
    };
    RetryConfig config = RetryConfig.<JsonNode>custom()
        .maxAttempts(settings.maxAttempts())
        .intervalBiFunction(interval)
        .retryOnException(e -> e instanceof TransientFailure t
            && (!t.mayHaveApplied() || call.safeToResend())
            && fitsBefore(t.retryAfter, deadline))
        .build();
    Retry retry = Retry.of("neon", config);
    retry.getEventPublisher().onRetry(e -> LOG.info("Neon API {} {}: {}; retry {} in {} ms", call.method(), call.path(),
        describe(e.getLastThrowable()), e.getNumberOfRetryAttempts(), e.getWaitInterval().toMillis()));
    return retry;
  }

  /**
   * Full-jitter exponential backoff. After a 429 without {@code Retry-After} the wait is at least
   * {@link #RATE_LIMIT_PAUSE}, doubling with each attempt: Neon counts requests per second and per
   * minute, so a quicker retry would only be refused again and use up the budget.
   */
  private long backoff(int attempt, boolean rateLimited) {
    int doublings = Math.min(20, Math.max(0, attempt - 1));
    long cap = Math.min(settings.maxBackoff().toMillis(), settings.initialBackoff().toMillis() << doublings);
    long wait = ThreadLocalRandom.current().nextLong(cap + 1);
    if (rateLimited) {
      long floor = Math.min(Math.max(settings.maxBackoff().toMillis(), RATE_LIMIT_PAUSE.toMillis()),
          RATE_LIMIT_PAUSE.toMillis() << Math.min(doublings, 10));
      wait = Math.max(wait, floor);
    }
    return wait;
  }

  /** Whether there is time left before {@code deadline}, and {@code wait} (if any) fits in it. */
  static boolean fitsBefore(Duration wait, long deadline) {
    long remaining = deadline - System.nanoTime();
    return remaining > 0 && (wait == null || wait.toNanos() <= remaining);
  }

  private static String describe(Throwable t) {
    if (t instanceof TransientFailure tf) {
      return tf.describe();
    }
    return ServerText.oneLine(String.valueOf(t), ServerText.MAX_MESSAGE);
  }
}
