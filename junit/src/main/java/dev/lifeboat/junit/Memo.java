package dev.lifeboat.junit;

import java.util.function.Supplier;

/**
 * A value computed once, by the first caller, while later callers wait; a failure is kept too, so
 * that every test asking for a snapshot that cannot be prepared fails at once with the same
 * message instead of trying again.
 */
final class Memo<T> {
  private final Supplier<T> supplier;
  private T value;
  private RuntimeException failure;
  private boolean done;

  Memo(Supplier<T> supplier) {
    this.supplier = supplier;
  }

  synchronized T get() {
    if (!done) {
      try {
        value = supplier.get();
      } catch (RuntimeException e) {
        failure = e;
      }
      done = true;
    }
    if (failure != null) {
      throw failure;
    }
    return value;
  }

  /** The value if it was computed successfully, without computing it. */
  synchronized T peek() {
    return done ? value : null;
  }
}
