package dev.lifeboat.junit.samples;

import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import org.junit.jupiter.api.Test;

/** A Neon project the API does not know; the test must fail with one clear line. */
@LifeboatTest
public class NeonWrongProjectSample {
  @Test
  void unknownProject(@Restored(target = "neon://no-such-project-404") RestoredDatabase db) {}
}
