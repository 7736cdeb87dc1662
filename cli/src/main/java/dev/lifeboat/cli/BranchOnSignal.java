package dev.lifeboat.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * While {@code branch create} waits for the platform: a JVM shutdown hook for SIGTERM and Ctrl-C.
 * Nothing local stops the wait (no child process dies with the JVM), so the hook interrupts the
 * command's thread, gives it a bounded time to find out whether the branch was made, and says in
 * one line what was left on the platform. The JVM exits with 128 + the signal's number (143, 130).
 */
final class BranchOnSignal implements AutoCloseable {
  static final Duration WAIT = StopOnSignal.WAIT;

  private final Thread hook;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean fired;
  private volatile String outcome;

  private BranchOnSignal(Thread worker, String fallback, PrintWriter err) {
    this.hook = new Thread(() -> {
      fired = true;
      worker.interrupt();
      boolean done;
      try {
        done = ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        done = false;
      }
      err.println("lifeboat: branch create interrupted by a signal; " + (done && outcome != null ? outcome : fallback));
      err.flush();
    }, "lifeboat-branch-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Watches the calling thread.
   *
   * @param fallback what to say when the thread does not report within {@link #WAIT}
   */
  static BranchOnSignal install(String fallback, PrintWriter err) {
    return new BranchOnSignal(Thread.currentThread(), fallback, err);
  }

  boolean fired() {
    return fired;
  }

  /** The command ended after the signal; {@code state} says what is on the platform now. */
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
