package dev.lifeboat;

/**
 * Receives the {@link LifeboatEvent}s of a {@link Lifeboat} instance: every backup, restore and
 * verification starting, succeeding or failing. Register one with
 * {@link LifeboatBuilder#listener(LifeboatListener)}. Called on the thread that runs the
 * operation; a listener that throws is logged and ignored, never failing the operation.
 */
@FunctionalInterface
public interface LifeboatListener {
  void onEvent(LifeboatEvent event);
}
