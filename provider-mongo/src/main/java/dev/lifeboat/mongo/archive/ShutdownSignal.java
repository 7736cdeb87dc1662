package dev.lifeboat.mongo.archive;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the JVM has begun to stop (SIGTERM, Ctrl-C, {@code System.exit}). A restore of an
 * archive (into MongoDB or a JSONB standby) runs inside this JVM, with no child process whose
 * death would end it, so without this it would go on loading until the JVM halts it at an
 * arbitrary point, leaving staging collections or a created database behind. The restorers ask
 * between batches and stop in time to clean up.
 */
public final class ShutdownSignal {
  private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();
  private static volatile boolean stopping;

  private ShutdownSignal() {}

  /** Starts watching for the JVM's shutdown; called before work that must stop with it. */
  public static void watch() {
    if (HOOK_INSTALLED.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping = true, "lifeboat-mongo-shutdown"));
    }
  }

  /** Whether the JVM is stopping. */
  public static boolean stopping() {
    return stopping;
  }
}
