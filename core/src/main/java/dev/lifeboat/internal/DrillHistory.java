package dev.lifeboat.internal;

import dev.lifeboat.spi.SnapshotCatalog;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Where prune and health learn which restore drills ran on a store: the facade passes
 * {@link DrillRecords#HISTORY}, which reads the records drills keep beside the snapshots;
 * {@link #NOT_RECORDED} knows of no drill (tests, stores without records).
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
