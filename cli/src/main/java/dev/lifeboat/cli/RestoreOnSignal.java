package dev.lifeboat.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * While a restore runs: a JVM shutdown hook for SIGTERM and Ctrl-C. The JVM kills the restore
 * tool as it stops (pg_restore's transaction rolls back); this hook gives the restore's own thread
 * a bounded time to fail and clean up behind it (drop a database it created, delete its scratch
 * files), which it would not get if the JVM halted at once, and then says in one line what became
 * of the destination. The JVM exits with 128 + the signal's number (143, 130).
 */
final class RestoreOnSignal implements AutoCloseable {
  /** As for a backup: long enough to drop a database, short enough for service managers' stop timeouts. */
  static final Duration WAIT = StopOnSignal.WAIT;

  private final Thread hook;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean fired;
  private volatile String outcome;

  private RestoreOnSignal(PrintWriter err) {
    this.hook = new Thread(() -> {
      fired = true;
      boolean done;
      try {
        done = ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        done = false;
      }
      err.println("lifeboat: restore interrupted by a signal; " + (done && outcome != null ? outcome
          : "it did not stop within " + WAIT.toSeconds() + " s: check the destination before using it, and restore again with --replace."));
      err.flush();
    }, "lifeboat-restore-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  static RestoreOnSignal install(PrintWriter err) {
    return new RestoreOnSignal(err);
  }

  /** Whether the JVM began to stop during the restore; the hook reports it. */
  boolean fired() {
    return fired;
  }

  /** The restore failed after the signal: {@code state} says what became of the destination. */
  void failed(String state) {
    outcome = state;
    ended.countDown();
  }

  /** The restore finished before the signal could stop it. */
  void finished(String summary) {
    outcome = "it had already finished: " + summary;
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
