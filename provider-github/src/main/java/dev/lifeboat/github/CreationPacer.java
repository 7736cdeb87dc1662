package dev.lifeboat.github;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces the calls that create or change content (POST, PATCH, PUT, DELETE): GitHub's secondary
 * rate limit allows about {@value #PER_MINUTE} of them a minute and {@value #PER_HOUR} an hour per
 * user, and an integration that keeps going past it can be banned. Before each such call, waits
 * until the call fits in both windows (the limits are the settings
 * {@code github.pace.perMinute} and {@code github.pace.perHour}). Thread-safe; shared by every
 * store of one process.
 */
final class CreationPacer {
  static final int PER_MINUTE = 80;
  static final int PER_HOUR = 500;
  private static final java.util.Map<String, CreationPacer> BY_LIMITS = new java.util.concurrent.ConcurrentHashMap<>();
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
  private static final long HOUR = TimeUnit.HOURS.toNanos(1);

  /** Waits; the tests replace it to see the waits without sleeping. */
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final int perMinute;
  private final int perHour;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private final Deque<Long> calls = new ArrayDeque<>();

  /** The pacer of the process for these limits: GitHub counts per user, not per store. */
  static CreationPacer shared(int perMinute, int perHour) {
    return BY_LIMITS.computeIfAbsent(perMinute + "/" + perHour,
        k -> new CreationPacer(perMinute, perHour, System::nanoTime, nanos -> TimeUnit.NANOSECONDS.sleep(nanos)));
  }

  CreationPacer(int perMinute, int perHour, LongSupplier nanoTime, Sleeper sleeper) {
    this.perMinute = perMinute;
    this.perHour = perHour;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /** Blocks until one more creating call keeps within both windows, then counts it. */
  synchronized void beforeCreatingCall() throws InterruptedException {
    while (true) {
      long now = nanoTime.getAsLong();
      while (!calls.isEmpty() && now - calls.peekFirst() >= HOUR) {
        calls.removeFirst();
      }
      long wait = 0;
      if (calls.size() >= perHour) {
        wait = calls.peekFirst() + HOUR - now;
      }
      long[] inWindow = calls.stream().filter(t -> now - t < MINUTE).mapToLong(Long::longValue).toArray();
      if (inWindow.length >= perMinute) {
        // Calls are kept oldest first: once this one leaves the window, it holds perMinute - 1.
        long leaves = inWindow[inWindow.length - perMinute];
        wait = Math.max(wait, leaves + MINUTE - now);
      }
      if (wait <= 0) {
        calls.addLast(now);
        return;
      }
      sleeper.sleep(wait);
    }
  }
}
