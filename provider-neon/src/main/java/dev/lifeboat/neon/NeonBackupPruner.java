package dev.lifeboat.neon;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.neon.api.NeonBranch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Removes old backup branches of a Neon project: first a {@link Plan}, then {@link #execute}.
 * Only branches whose name starts with the backup prefix are considered; the default branch,
 * protected branches and branches that have children are never deleted.
 *
 * <pre>{@code
 * NeonBackupPruner pruner = branching.pruner(); // the NeonBranching of neon://shiny-wind-028834
 * NeonBackupPruner.Plan plan = pruner.plan(7, Duration.ofDays(14));
 * pruner.execute(plan);
 * }</pre>
 */
public final class NeonBackupPruner {
  private static final Comparator<NeonBranch> OLDEST_FIRST =
      Comparator.comparing(NeonBranch::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(NeonBranch::name);

  private final NeonClient client;
  private final String projectId;
  private final String prefix;
  private final Clock clock;

  /** A pruner of the backup branches named {@code prefix…} of one project; get one from {@link NeonBranching#pruner()}. */
  NeonBackupPruner(NeonClient client, String projectId, String prefix, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.projectId = Objects.requireNonNull(projectId, "projectId");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * What pruning would delete.
   *
   * @param delete backup branches to delete, oldest first
   * @param keep backup branches kept by the policy, oldest first
   * @param skipped backup branches the policy would delete but that must stay, with the reason
   */
  public record Plan(List<NeonBranch> delete, List<NeonBranch> keep, Map<String, String> skipped) {
    public Plan {
      delete = List.copyOf(delete);
      keep = List.copyOf(keep);
      skipped = Map.copyOf(skipped);
    }

    /** The names to delete. */
    public List<String> deleteNames() {
      return delete.stream().map(NeonBranch::name).toList();
    }
  }

  /**
   * Plans a prune. A backup branch is deleted when it is not among the newest {@code keepLast}
   * (if given) and older than {@code maxAge} (if given); so the count is a floor that age never
   * breaks.
   *
   * @param keepLast how many of the newest backup branches always stay, or {@code null}
   * @param maxAge the age beyond which backup branches go, or {@code null}
   */
  public Plan plan(Integer keepLast, Duration maxAge) {
    if (keepLast == null && maxAge == null) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "A prune needs a count to keep or a maximum age (or both).");
    }
    if (keepLast != null && keepLast < 0) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "The count of backup branches to keep must not be negative, was " + keepLast + ".");
    }
    List<NeonBranch> all = client.branches().list(projectId);
    List<NeonBranch> backups = all.stream().filter(b -> b.name().startsWith(prefix)).sorted(OLDEST_FIRST).toList();
    Instant cutoff = maxAge == null ? null : clock.instant().minus(maxAge);
    int protectedTail = keepLast == null ? 0 : Math.min(keepLast, backups.size());
    List<NeonBranch> delete = new ArrayList<>();
    List<NeonBranch> keep = new ArrayList<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    for (int i = 0; i < backups.size(); i++) {
      NeonBranch b = backups.get(i);
      boolean beyondCount = keepLast == null || i < backups.size() - protectedTail;
      boolean tooOld = cutoff == null || (b.createdAt() != null && b.createdAt().isBefore(cutoff));
      if (!(beyondCount && tooOld)) {
        keep.add(b);
        continue;
      }
      String reason = whyNot(b, all);
      if (reason == null) {
        delete.add(b);
      } else {
        skipped.put(b.name(), reason);
      }
    }
    return new Plan(delete, keep, skipped);
  }

  /** The {@code n} oldest backup branches that may be deleted. */
  public List<NeonBranch> oldestDeletable(int n) {
    List<NeonBranch> all = client.branches().list(projectId);
    return all.stream().filter(b -> b.name().startsWith(prefix)).filter(b -> whyNot(b, all) == null)
        .sorted(OLDEST_FIRST).limit(n).toList();
  }

  /**
   * Deletes the plan's branches, oldest first, waiting for each deletion.
   *
   * @return the names deleted
   */
  public List<String> execute(Plan plan) {
    List<String> deleted = new ArrayList<>();
    for (NeonBranch b : plan.delete()) {
      client.branches().delete(projectId, b.id());
      deleted.add(b.name());
    }
    return deleted;
  }

  private static String whyNot(NeonBranch b, List<NeonBranch> all) {
    if (b.isDefault()) {
      return "it is the default branch";
    }
    if (b.isProtected()) {
      return "it is protected";
    }
    List<String> children = NeonProjectOps.children(b, all);
    if (!children.isEmpty()) {
      return "it has child branches: " + String.join(", ", children);
    }
    return null;
  }
}
