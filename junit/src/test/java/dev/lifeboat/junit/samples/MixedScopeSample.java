package dev.lifeboat.junit.samples;

import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import dev.lifeboat.junit.Scope;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The same snapshot asked for per class and per method in one class, and per class again in a
 * nested class: each scope must get its own copy, not the one of an enclosing scope.
 */
@LifeboatTest
public class MixedScopeSample {
  @Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}", scope = Scope.CLASS)
  static RestoredDatabase shared;

  @Test
  void methodScopeIsNotTheClassCopy(@Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}")
      RestoredDatabase own) {
    Seen.record("mixed.class", shared.name());
    Seen.record("mixed.method", own.name());
  }

  @Nested
  class Inner {
    @Test
    void nestedClassScopeIsItsOwn(@Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}",
        scope = Scope.CLASS) RestoredDatabase inner) {
      Seen.record("mixed.outer", shared.name());
      Seen.record("mixed.inner", inner.name());
    }
  }
}
