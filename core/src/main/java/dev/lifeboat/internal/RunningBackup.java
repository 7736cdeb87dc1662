package dev.lifeboat.internal;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.spi.Dump;
import dev.lifeboat.spi.PendingSnapshot;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup in flight, as {@link dev.lifeboat.Lifeboat#abortBackups} sees it: the dump and the pending
 * snapshot it has opened so far, and whether it has ended. Aborting discards the pending snapshot
 * first (so that no truncated dump can be committed) and then closes the dump, which stops the
 * dump tool. A native snapshot has neither: its thread waits on the platform, which nothing but an
 * interrupt stops, so aborting interrupts that thread and the provider says what the platform holds.
 */
final class RunningBackup implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningBackup.class);
  private final String description;
  private final CountDownLatch ended = new CountDownLatch(1);
  private Dump dump;
  private PendingSnapshot pending;
  private Thread waiting;
  private boolean aborted;

  RunningBackup(String description) {
    this.description = description;
  }

  /** Holds {@code value} for an abort; closes it and throws when the backup was aborted already. */
  synchronized Dump attach(Dump value) {
    if (aborted) {
      closeQuietly(value);
      throw stopped(null);
    }
    dump = value;
    return value;
  }

  /** Holds {@code value} for an abort; discards it and throws when the backup was aborted already. */
  synchronized PendingSnapshot attach(PendingSnapshot value) {
    if (aborted) {
      closeQuietly(value);
      throw stopped(null);
    }
    pending = value;
    return value;
  }

  /**
   * Marks the calling thread as waiting on a platform for a native snapshot, so that an abort
   * interrupts it; throws when the backup was aborted already.
   */
  synchronized void waitingOnPlatform() {
    if (aborted) {
      throw stopped(null);
    }
    waiting = Thread.currentThread();
  }

  /** The native snapshot's wait ended; clears the interrupt an abort gave the thread, which has been acted on. */
  synchronized void doneWaiting() {
    if (waiting == Thread.currentThread() && aborted) {
      Thread.interrupted();
    }
    waiting = null;
  }

  synchronized boolean aborted() {
    return aborted;
  }

  /** Discards the pending snapshot and stops the dump; the backup's own thread then fails with {@link ErrorCode#ABORTED}. */
  void abort() {
    Dump d;
    PendingSnapshot p;
    synchronized (this) {
      if (aborted) {
        return;
      }
      aborted = true;
      d = dump;
      p = pending;
      if (waiting != null) {
        waiting.interrupt();
      }
    }
    LOG.info("Aborting {}", description);
    if (p != null) {
      closeQuietly(p);
    }
    if (d != null) {
      closeQuietly(d);
    }
  }

  /** Waits until the backup's own thread has let go of everything; false when {@code wait} passed first. */
  boolean awaitEnd(Duration wait) throws InterruptedException {
    return ended.await(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
  }

  /** The error the backup's thread throws once it was aborted; {@code cause} is what the abort made fail. */
  LifeboatException stopped(Throwable cause) {
    return new LifeboatException(ErrorCode.ABORTED, description + " was stopped before it finished; nothing was stored.", cause);
  }

  /**
   * The error a native snapshot's thread throws once it was aborted: what the platform holds is for
   * the provider to say ({@code cause}), since a platform may have made something before it stopped.
   */
  LifeboatException stoppedOnPlatform(RuntimeException cause) {
    String said = cause.getMessage() == null ? "" : " " + cause.getMessage();
    return new LifeboatException(ErrorCode.ABORTED, description + " was stopped before it finished." + said, cause);
  }

  @Override
  public void close() {
    ended.countDown();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception | LinkageError e) {
      LOG.debug("Closing {} while aborting failed: {}", c, e.getMessage());
    }
  }
}
