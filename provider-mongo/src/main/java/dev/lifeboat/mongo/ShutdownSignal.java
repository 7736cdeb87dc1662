package dev.lifeboat.mongo;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the JVM has begun to stop (SIGTERM, Ctrl-C, {@code System.exit}). A restore into MongoDB
 * runs inside this JVM, with no child process whose death would end it, so without this it would
 * go on loading until the JVM halts it at an arbitrary point and its staging collections stay
 * behind. The restorer asks between batches and stops in time to drop them.
 */
final class ShutdownSignal {
  private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();
  private static volatile boolean stopping;

  private ShutdownSignal() {}

  /** Starts watching for the JVM's shutdown; called before work that must stop with it. */
  static void watch() {
    if (HOOK_INSTALLED.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping = true, "lifeboat-mongo-shutdown"));
    }
  }

  /** Whether the JVM is stopping. */
  static boolean stopping() {
    return stopping;
  }
}
