package dev.lifeboat.cli;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Snapshot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** File targets filled with snapshots of the test's fake source taken at chosen times. */
final class Stores {
  private Stores() {}

  /** One snapshot of {@code fake://db/gen-20} (20 generated rows) in {@code store} per instant, in order. */
  static List<Snapshot> snapshotsAt(Path store, Instant... times) {
    List<Snapshot> taken = new ArrayList<>();
    for (Instant t : times) {
      try (Lifeboat lifeboat = Lifeboat.builder().clock(Clock.fixed(t, ZoneOffset.UTC)).build()) {
        taken.add(lifeboat.backup(BackupRequest.builder("fake://db/gen-20", "file:" + store).build()));
      }
    }
    return taken;
  }
}
