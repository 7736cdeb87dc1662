package dev.lifeboat.cli;

import dev.lifeboat.Lifeboat;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * While a backup runs: a JVM shutdown hook that, when the process is told to stop (SIGTERM, or
 * SIGINT from Ctrl-C), aborts the backup, waits a bounded time for its unfinished snapshot to be
 * discarded and its dump tool stopped, and says so in one line on standard error. The JVM then
 * exits with 128 + the signal's number (143, 130). A backup into a folder, S3 or GitHub killed with
 * SIGKILL cannot clean up; the next backup into the same target removes what it left. A native
 * snapshot (a Neon backup branch) is made by the platform, not stored by Lifeboat: the command
 * hands the hook what the platform was left holding ({@link #ended}), and the line says that.
 */
final class StopOnSignal implements AutoCloseable {
  /** Long enough to delete a partial snapshot and stop pg_dump; short enough for service managers' stop timeouts. */
  static final Duration WAIT = Duration.ofSeconds(10);

  private final Thread hook;
  private final CountDownLatch reported = new CountDownLatch(1);
  private volatile boolean fired;
  private volatile String outcome;

  private StopOnSignal(Lifeboat lifeboat, String target, PrintWriter err) {
    this.hook = new Thread(() -> {
      fired = true;
      long deadline = System.nanoTime() + WAIT.toNanos();
      boolean ended = lifeboat.abortBackups(WAIT);
      if (ended) {
        try {
          // The backup's thread has let go; give the command the moment it needs to say what was left.
          reported.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      String said = outcome;
      err.println("lifeboat: backup interrupted by a signal; " + (said != null ? said
          : ended ? "the unfinished snapshot was removed and nothing was stored."
          : "it did not stop within " + WAIT.toSeconds() + " s, so an unfinished snapshot may remain: check with 'lifeboat list --target "
              + target + "' (the next backup into a folder, S3 or GitHub target removes it)."));
      err.flush();
    }, "lifeboat-stop-on-signal");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Aborts {@code lifeboat}'s backups into {@code target} (as the line names it) if the JVM is told to stop before {@link #close()}. */
  static StopOnSignal install(Lifeboat lifeboat, String target, PrintWriter err) {
    return new StopOnSignal(lifeboat, target, err);
  }

  /** Whether the JVM began to stop and the backup was aborted; the hook has reported it. */
  boolean fired() {
    return fired;
  }

  /**
   * The backup ended; {@code state} says what the target holds (the rest of the hook's line), or
   * {@code null} for what an aborted archive backup leaves: nothing.
   */
  void ended(String state) {
    outcome = state;
    reported.countDown();
  }

  @Override
  public void close() {
    reported.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs or ran already; it reports the interruption itself.
    }
  }
}
