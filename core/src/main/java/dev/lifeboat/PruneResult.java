package dev.lifeboat;

import dev.lifeboat.retention.PrunePlan;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Lifeboat#prune(PruneRequest)} did.
 *
 * @param target the target, secrets removed
 * @param plan what the policy keeps (with why), removes, and which damaged snapshots it left alone
 * @param dryRun whether the plan was only worked out (then {@code deleted} and {@code failures} are empty)
 * @param deleted the ids of the snapshots deleted, newest first
 * @param failures the snapshots the plan removes that could not be deleted, and why; the others
 *     were still attempted
 */
public record PruneResult(String target, PrunePlan plan, boolean dryRun, List<String> deleted, List<Failure> failures) {
  public PruneResult {
    Objects.requireNonNull(plan, "plan");
    target = Location.redact(target);
    deleted = List.copyOf(deleted);
    failures = List.copyOf(failures);
  }

  /** Whether every deletion the plan asked for succeeded (always, for a dry run). */
  public boolean succeeded() {
    return failures.isEmpty();
  }

  /**
   * A snapshot that could not be deleted.
   *
   * @param id the snapshot's id
   * @param message why (secrets removed)
   */
  public record Failure(String id, String message) {
    public Failure {
      Objects.requireNonNull(id, "id");
      message = Redactor.redact(String.valueOf(message));
    }
  }
}
