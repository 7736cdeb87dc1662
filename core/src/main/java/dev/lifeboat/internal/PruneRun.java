package dev.lifeboat.internal;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.PruneRequest;
import dev.lifeboat.PruneResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.retention.PrunePlan;
import dev.lifeboat.retention.Retention;
import dev.lifeboat.retention.RetentionCandidate;
import dev.lifeboat.spi.SnapshotCatalog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A prune: lists every snapshot of one store (archive target or a platform's native snapshots),
 * works out the {@link Retention} plan, and deletes what it removes through the store's own
 * delete, one snapshot at a time. A deletion that fails is recorded and the others are still
 * attempted; a dry run deletes nothing.
 */
public final class PruneRun {
  private final ProviderRegistry registry;
  private final Clock clock;
  private final DrillHistory drills;

  public PruneRun(ProviderRegistry registry, Clock clock, DrillHistory drills) {
    this.registry = registry;
    this.clock = clock;
    this.drills = drills;
  }

  public PruneResult run(PruneRequest request) {
    Location target = request.target();
    try (SnapshotCatalog catalog = registry.snapshots(target)) {
      List<Snapshot> snapshots = catalog.list();
      Set<String> proven = new HashSet<>(request.provenSnapshots());
      proven.addAll(drills.provenSnapshotIds(catalog));
      List<RetentionCandidate> candidates = snapshots.stream().map(s -> candidate(s, proven)).toList();
      PrunePlan plan = Retention.plan(candidates, request.policy(), clock.instant());
      List<String> deleted = new ArrayList<>();
      List<PruneResult.Failure> failures = new ArrayList<>();
      if (!request.dryRun()) {
        for (PrunePlan.Removed r : plan.remove()) {
          try {
            catalog.delete(r.id());
            deleted.add(r.id());
          } catch (LifeboatException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
              // Gone since the listing: another prune of the same store (an overlapping cron run)
              // removed it. What the plan wanted is done; that is no failure.
              deleted.add(r.id());
            } else {
              failures.add(new PruneResult.Failure(r.id(), String.valueOf(e.getMessage())));
            }
          } catch (RuntimeException e) {
            failures.add(new PruneResult.Failure(r.id(), String.valueOf(e.getMessage())));
          }
        }
      }
      return new PruneResult(target.redacted(), plan, request.dryRun(), deleted, failures);
    }
  }

  /** A snapshot whose creation time its store does not know cannot be placed by any rule: it is left alone as damaged. */
  private static RetentionCandidate candidate(Snapshot s, Set<String> proven) {
    Snapshot placed = s.isDamaged() || s.createdAt() != null ? s : Snapshot.damaged(s.target(), s.manifest(), UNKNOWN_TIME);
    return RetentionCandidate.from(placed, proven.contains(s.id()));
  }

  static final String UNKNOWN_TIME = "its creation time is unknown, so no keep rule can place it";
}
