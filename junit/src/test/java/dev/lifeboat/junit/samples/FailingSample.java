package dev.lifeboat.junit.samples;

import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import org.junit.jupiter.api.Test;

/** A test that fails after getting its copy: the copy must still be dropped. */
@LifeboatTest
public class FailingSample {
  @Test
  void fails(@Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}") RestoredDatabase db) {
    Seen.record("failing.name", db.name());
    throw new AssertionError("failed on purpose");
  }
}
