package dev.lifeboat.junit.samples;

import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Scope.METHOD where only the class lives: a static field, and a @BeforeAll parameter. */
public class MisusedScopeSample {
  @LifeboatTest
  public static class StaticField {
    @Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}")
    static DataSource db;

    @Test
    void never() {}
  }

  @LifeboatTest
  public static class BeforeAllParameter {
    @BeforeAll
    static void before(@Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}") RestoredDatabase db) {}

    @Test
    void never() {}
  }

  /** Not a misuse: a nested class's tests get copies too, with the enclosing class's extension. */
  @LifeboatTest
  public static class Outer {
    @Nested
    class Inner {
      @Test
      void getsACopy(@Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}") RestoredDatabase db) {
        Seen.record("nested.name", db.name());
      }
    }
  }
}
