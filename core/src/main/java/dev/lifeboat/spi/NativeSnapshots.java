package dev.lifeboat.spi;

import dev.lifeboat.Location;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import java.time.Instant;
import java.util.Map;

/**
 * A platform's own snapshots of its databases: Neon backup branches today, a managed service's
 * backups next. They hold no bytes Lifeboat reads; they are taken and restored by the platform.
 * Their manifests have kind {@link dev.lifeboat.SnapshotKind#BRANCH}.
 */
public interface NativeSnapshots extends SnapshotCatalog {

  /** Whether this platform can snapshot {@code source} natively, without a dump. */
  boolean accepts(Location source);

  /**
   * Takes a native snapshot of {@code source}.
   *
   * @param id a new snapshot id from {@link dev.lifeboat.SnapshotIds} (the platform may name the
   *     snapshot otherwise; the returned snapshot's id is the one to use)
   * @param at the past instant to snapshot, or {@code null} for now
   * @param labels the user's labels
   */
  Snapshot take(Location source, String id, Instant at, Map<String, String> labels);

  /** Restores one of this platform's snapshots into {@code destination}. */
  RestoreResult restore(Snapshot snapshot, Location destination, RestoreOptions options);
}
