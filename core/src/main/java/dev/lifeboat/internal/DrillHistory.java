package dev.lifeboat.internal;

import dev.lifeboat.spi.SnapshotCatalog;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Where prune and health learn which restore drills ran on a store. This is the seam the drill
 * records plug into: until a reader of recorded drills is wired here, {@link #NOT_RECORDED} is
 * used, which knows of no drill, so prune protects only the snapshots its caller names as proven
 * and health reports "no drill recorded" as information.
 */
public interface DrillHistory {
  /** No drill records are read: no drill is known. */
  DrillHistory NOT_RECORDED = new DrillHistory() {
    @Override
    public Set<String> provenSnapshotIds(SnapshotCatalog catalog) {
      return Set.of();
    }

    @Override
    public Optional<Drill> lastDrill(SnapshotCatalog catalog) {
      return Optional.empty();
    }
  };

  /** The ids of the snapshots in {@code catalog} whose restore drill passed. */
  Set<String> provenSnapshotIds(SnapshotCatalog catalog);

  /** The last restore drill of a snapshot in {@code catalog}, if one is recorded. */
  Optional<Drill> lastDrill(SnapshotCatalog catalog);

  /**
   * One restore drill.
   *
   * @param snapshotId the snapshot drilled
   * @param finishedAt when the drill ended
   * @param passed whether its verdict was a pass
   */
  record Drill(String snapshotId, Instant finishedAt, boolean passed) {}
}
