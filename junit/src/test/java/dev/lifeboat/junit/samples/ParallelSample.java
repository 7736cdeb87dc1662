package dev.lifeboat.junit.samples;

import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Three tests that hold their copies at the same time: each waits at a barrier for the other two,
 * so the class passes only when JUnit really ran them in parallel.
 */
@LifeboatTest
@Execution(ExecutionMode.CONCURRENT)
public class ParallelSample {
  private static CyclicBarrier barrier;

  @BeforeAll
  static void newBarrier() {
    barrier = new CyclicBarrier(3);
  }

  @Test
  void one(@Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}") RestoredDatabase db) throws Exception {
    meet(db);
  }

  @Test
  void two(@Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}") RestoredDatabase db) throws Exception {
    meet(db);
  }

  @Test
  void three(@Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}") RestoredDatabase db) throws Exception {
    meet(db);
  }

  private static void meet(RestoredDatabase db) throws Exception {
    Seen.record("parallel.names", db.name());
    barrier.await(60, TimeUnit.SECONDS);
  }
}
