package dev.lifeboat.cli;

import dev.lifeboat.Lifeboat;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * While a backup runs: a JVM shutdown hook that, when the process is told to stop (SIGTERM, or
 * SIGINT from Ctrl-C), aborts the backup, waits a bounded time for its unfinished snapshot to be
 * discarded and its dump tool stopped, and says so in one line on standard error. The JVM then
 * exits with 128 + the signal's number (143, 130). A backup killed with SIGKILL cannot clean up;
 * the next backup into the same target removes what it left.
 */
final class StopOnSignal implements AutoCloseable {
  /** Long enough to delete a partial snapshot and stop pg_dump; short enough for service managers' stop timeouts. */
  static final Duration WAIT = Duration.ofSeconds(10);

  private final Thread hook;
  private volatile boolean fired;

  private StopOnSignal(Lifeboat lifeboat, PrintWriter err) {
    this.hook = new Thread(() -> {
      fired = true;
      boolean ended = lifeboat.abortBackups(WAIT);
      err.println(ended
          ? "lifeboat: backup interrupted by a signal; the unfinished snapshot was removed and nothing was stored."
          : "lifeboat: backup interrupted by a signal; it did not stop within " + WAIT.toSeconds()
              + " s, so an unfinished snapshot may remain (the next backup into the target removes it).");
      err.flush();
    }, "lifeboat-stop-on-signal");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Aborts {@code lifeboat}'s backups if the JVM is told to stop before {@link #close()}. */
  static StopOnSignal install(Lifeboat lifeboat, PrintWriter err) {
    return new StopOnSignal(lifeboat, err);
  }

  /** Whether the JVM began to stop and the backup was aborted; the hook has reported it. */
  boolean fired() {
    return fired;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs or ran already; it reports the interruption itself.
    }
  }
}
