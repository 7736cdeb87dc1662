package dev.lifeboat.spi;

import dev.lifeboat.HealthCheck;
import dev.lifeboat.Location;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import java.time.Instant;
import java.util.List;
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

  /**
   * The platform's own health: its point-in-time-restore window, the share of its branch limit in
   * use, its storage against the plan's limit, each held against {@code limits} where one applies.
   * {@code lifeboat health} adds these to the checks it makes on every target. A platform that
   * reports nothing of its own keeps this default.
   *
   * @throws dev.lifeboat.LifeboatException when the platform cannot be asked (the health cannot be determined)
   */
  default List<HealthCheck> health(HealthLimits limits) {
    return List.of();
  }

  /** Restore drills of these snapshots and their records, when the platform can make throwaway copies. */
  default java.util.Optional<NativeDrills> drills() {
    return java.util.Optional.empty();
  }
}
