package dev.lifeboat.junit.samples;

import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import org.junit.jupiter.api.Test;

/** A Neon project the API does not know, and branch attributes that cannot go together; each test must fail with one clear line. */
@LifeboatTest
public class NeonWrongProjectSample {
  @Test
  void unknownProject(@Restored(target = "neon://no-such-project-404") RestoredDatabase db) {}

  @Test
  void atWithoutBranch(@Restored(target = "${sys:lifeboat.sample.neonTarget}", at = "2026-01-01T00:00:00Z") RestoredDatabase db) {}

  @Test
  void atNotAnInstant(@Restored(target = "${sys:lifeboat.sample.neonTarget}", branch = "main", at = "yesterday") RestoredDatabase db) {}

  @Test
  void snapshotAndBranch(@Restored(target = "${sys:lifeboat.sample.neonTarget}", snapshot = "backup-20260101T000000Z",
      branch = "main") RestoredDatabase db) {}
}
