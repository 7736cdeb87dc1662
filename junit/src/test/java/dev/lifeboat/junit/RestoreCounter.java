package dev.lifeboat.junit;

import dev.lifeboat.LifeboatEvent;
import dev.lifeboat.LifeboatListener;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the restores the extension starts, registered through
 * {@link LifeboatExtension#LISTENER_PARAMETER}; tests read and reset it between engine runs.
 */
public final class RestoreCounter implements LifeboatListener {
  private static final AtomicInteger RESTORES = new AtomicInteger();

  @Override
  public void onEvent(LifeboatEvent event) {
    if (event.operation().equals("restore") && event.phase() == LifeboatEvent.Phase.STARTED) {
      RESTORES.incrementAndGet();
    }
  }

  /** The restores counted since the last call, which starts counting again. */
  public static int takeCount() {
    return RESTORES.getAndSet(0);
  }
}
