package dev.lifeboat.junit.samples;

import dev.lifeboat.junit.Fixture;
import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** Copies of a live Neon branch: as it is now, and as it was at an instant. */
@LifeboatTest
public class NeonBranchSample {
  @Test
  void copiesALiveBranch(
      @Restored(target = "${sys:lifeboat.sample.neonTarget}", branch = "main") RestoredDatabase now,
      @Restored(target = "${sys:lifeboat.sample.neonTarget}", branch = "main", at = "${sys:lifeboat.sample.neonAt}")
      RestoredDatabase then) throws Exception {
    for (RestoredDatabase db : new RestoredDatabase[] {now, then}) {
      try (Connection c = db.dataSource().getConnection()) {
        Seen.record("neonBranch.orders", Fixture.orders(c));
      }
      Seen.record("neonBranch.names", db.name());
      Seen.record("neonBranch.snapshot", db.snapshotId());
    }
  }
}
