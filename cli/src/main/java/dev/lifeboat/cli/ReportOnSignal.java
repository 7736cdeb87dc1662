package dev.lifeboat.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * While a command works (a restore, a branch being made): a JVM shutdown hook for SIGTERM and
 * Ctrl-C. It gives the command's own thread a bounded time to fail and clean up behind it (drop a
 * database it created, find out whether the platform made the branch), which it would not get if
 * the JVM halted at once, and then says in one line what was left. The JVM exits with 128 + the
 * signal's number (143, 130). A child process such as pg_restore is stopped by the JVM itself; a
 * wait on a platform is not, so for that the hook interrupts the command's thread.
 */
final class ReportOnSignal implements AutoCloseable {
  /** As for a backup: long enough to drop a database, short enough for service managers' stop timeouts. */
  static final Duration WAIT = StopOnSignal.WAIT;

  private final Thread hook;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean fired;
  private volatile String outcome;

  private ReportOnSignal(String command, Thread toInterrupt, String fallback, PrintWriter err) {
    this.hook = new Thread(() -> {
      fired = true;
      if (toInterrupt != null) {
        toInterrupt.interrupt();
      }
      boolean done;
      try {
        done = ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        done = false;
      }
      err.println("lifeboat: " + command + " interrupted by a signal; " + (done && outcome != null ? outcome : fallback));
      err.flush();
    }, "lifeboat-report-on-signal");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Watches {@code command} (as the line names it) running on the calling thread.
   *
   * @param interrupt whether the signal interrupts the calling thread (a wait nothing else stops)
   * @param fallback what to say when the command does not report within {@link #WAIT}
   */
  static ReportOnSignal install(String command, boolean interrupt, String fallback, PrintWriter err) {
    return new ReportOnSignal(command, interrupt ? Thread.currentThread() : null, fallback, err);
  }

  /** Whether the JVM began to stop while the command ran; the hook reports it. */
  boolean fired() {
    return fired;
  }

  /** The command ended after the signal; {@code state} says what was left (the rest of the hook's line). */
  void ended(String state) {
    outcome = state;
    ended.countDown();
  }

  @Override
  public void close() {
    ended.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs or ran already; it reports the interruption itself.
    }
  }
}
