package dev.lifeboat.neon;

import dev.lifeboat.Check;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.neon.api.NeonBranch;
import dev.lifeboat.neon.api.NeonProject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Platform health checks of a Neon project: is the history window long enough to restore from,
 * is there room for more branches, and is the newest backup branch recent enough.
 *
 * <p>Thresholds come from the settings {@code neon.health.minHistory} (48 h),
 * {@code neon.health.rpo} (24 h) and the branch limit ({@code neon.branchLimit}, else the plan's
 * limit Neon reports for the project's owner). A check that fails means "act now"; one that cannot
 * be evaluated is skipped with the reason.
 */
public final class NeonHealth {
  /** Share of the plan's per-branch size limit above which the logical size check fails. */
  static final int LOGICAL_SIZE_PERCENT = 90;
  /** Share of the branch limit above which the quota check fails. */
  public static final double BRANCH_QUOTA_SHARE = 0.8;

  private final NeonClient client;
  private final String projectId;
  private final Clock clock;

  /** Checks of one project; get them from {@link NeonBranching#health()} or {@link NeonProvider#health}. */
  NeonHealth(NeonClient client, String projectId, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.projectId = Objects.requireNonNull(projectId, "projectId");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Runs every check; an API failure becomes a failed check rather than an exception. */
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    NeonProject project;
    List<NeonBranch> branches;
    try {
      project = client.projects().get(projectId);
      branches = client.branches().list(projectId);
    } catch (LifeboatException e) {
      checks.add(Check.failed("neon api", e.getMessage()));
      return checks;
    }
    checks.add(historyWindow(project));
    checks.add(branchQuota(project, branches));
    checks.add(newestBackup(branches));
    return checks;
  }

  /**
   * The checks {@code lifeboat health} reports for a Neon target: the history (point-in-time
   * restore) window against {@code limits.minPitr()}, and the branches in use against
   * {@code limits.maxBranchUsePercent()} of the plan's limit ({@code neon.branchLimit} when set),
   * information when the limit is unknown. The newest backup's age is core's own check.
   *
   * @throws LifeboatException when Neon cannot be asked: the health cannot be determined
   */
  public List<dev.lifeboat.HealthCheck> checks(dev.lifeboat.spi.HealthLimits limits) {
    NeonProject project = client.projects().get(projectId);
    List<NeonBranch> branches = client.branches().list(projectId);
    int used = branches.size();
    List<dev.lifeboat.HealthCheck> checks = new ArrayList<>();
    checks.add(logicalSize(project, branches));
    Duration window = project.historyWindow();
    boolean longEnough = window.compareTo(limits.minPitr()) >= 0;
    checks.add(dev.lifeboat.HealthCheck.of("neon PITR window", NeonClient.human(window), "at least " + NeonClient.human(limits.minPitr()),
        longEnough, longEnough
            ? "Branches of project " + projectId + " can be restored to any instant of the last " + NeonClient.human(window) + "."
            : "A point-in-time restore cannot reach further back than " + NeonClient.human(window)
                + ": raise history retention in the Neon console (the plan may cap it)."));
    Optional<Integer> limit = client.settings().branchLimit()
        .or(() -> Optional.ofNullable(project.owner()).map(NeonProject.Owner::branchesLimit)).filter(l -> l > 0);
    String name = "neon branch use";
    if (limit.isEmpty()) {
      checks.add(dev.lifeboat.HealthCheck.info(name, used + " branches",
          "The plan's branch limit is unknown to this API key; set neon.branchLimit to check it."));
      return checks;
    }
    long percent = Math.round(used * 100.0 / limit.get());
    boolean room = used * 100L <= (long) limits.maxBranchUsePercent() * limit.get();
    checks.add(dev.lifeboat.HealthCheck.of(name, used + " of " + limit.get() + " (" + percent + " %)",
        "at most " + limits.maxBranchUsePercent() + " %", room, room
            ? "Room for " + (limit.get() - used) + " more branches."
            : "New backups and drills will soon be refused: prune old backup branches (lifeboat prune --target neon://" + projectId
                + ") or raise the plan."));
    return checks;
  }

  /**
   * The largest branch's logical size against the plan's per-branch limit: a branch at its limit
   * refuses writes, so backups and drills of it stop being worth much soon after.
   */
  private dev.lifeboat.HealthCheck logicalSize(NeonProject project, List<NeonBranch> branches) {
    String name = "neon logical size";
    Optional<NeonBranch> largest = branches.stream().filter(b -> b.logicalSize() != null)
        .max(java.util.Comparator.comparingLong(NeonBranch::logicalSize));
    if (largest.isEmpty()) {
      return dev.lifeboat.HealthCheck.info(name, "not reported", "Neon reports no branch sizes for project " + projectId + ".");
    }
    long size = largest.get().logicalSize();
    String value = dev.lifeboat.Sizes.human(size) + " (branch " + largest.get().name() + ")";
    Long limit = project.branchLogicalSizeLimitBytes();
    if (limit == null || limit <= 0) {
      return dev.lifeboat.HealthCheck.info(name, value, "The plan's size limit per branch is not reported to this API key.");
    }
    boolean room = size * 100L <= (long) LOGICAL_SIZE_PERCENT * limit;
    return dev.lifeboat.HealthCheck.of(name, value + ", " + Math.round(size * 100.0 / limit) + " % of " + dev.lifeboat.Sizes.human(limit),
        "at most " + LOGICAL_SIZE_PERCENT + " %", room, room
            ? "Branch " + largest.get().name() + " has room to grow."
            : "Branch " + largest.get().name() + " nears the plan's size limit, after which Neon refuses writes: delete data or raise the plan.");
  }

  private Check historyWindow(NeonProject project) {
    Duration window = project.historyWindow();
    Duration min = client.settings().minHistory();
    String name = "neon history window";
    if (window.compareTo(min) < 0) {
      return Check.failed(name, "project " + projectId + " keeps " + NeonClient.human(window) + " of history, less than "
          + NeonClient.human(min) + ": a point-in-time restore cannot reach further back. Raise history retention in the Neon console "
          + "(the plan may cap it) or lower neon.health.minHistory.");
    }
    return Check.passed(name, NeonClient.human(window) + " of history (at least " + NeonClient.human(min) + ")");
  }

  private Check branchQuota(NeonProject project, List<NeonBranch> branches) {
    String name = "neon branch quota";
    Optional<Integer> limit = client.settings().branchLimit()
        .or(() -> Optional.ofNullable(project.owner()).map(NeonProject.Owner::branchesLimit));
    if (limit.isEmpty() || limit.get() <= 0) {
      return Check.skipped(name, branches.size() + " branches; the plan's branch limit is unknown (set neon.branchLimit)");
    }
    int max = limit.get();
    int used = branches.size();
    String detail = used + " of " + max + " branches in use";
    if (used > max * BRANCH_QUOTA_SHARE) {
      return Check.failed(name, detail + ", above " + Math.round(BRANCH_QUOTA_SHARE * 100) + " %: new backups will soon be refused. "
          + "Prune old backup branches (lifeboat prune --target neon://" + projectId + ") or raise the plan.");
    }
    return Check.passed(name, detail);
  }

  private Check newestBackup(List<NeonBranch> branches) {
    String name = "neon newest backup branch";
    String prefix = client.settings().backupPrefix();
    Optional<NeonBranch> newest = branches.stream().filter(b -> b.name().startsWith(prefix) && b.createdAt() != null)
        .max(Comparator.comparing(NeonBranch::createdAt));
    Duration rpo = client.settings().rpo();
    if (newest.isEmpty()) {
      return Check.failed(name, "project " + projectId + " has no backup branches ('" + prefix + "…'). Take one with "
          + "lifeboat backup --source neon://" + projectId + "/BRANCH --target neon://" + projectId + ".");
    }
    Instant created = newest.get().createdAt();
    Duration age = Duration.between(created, clock.instant());
    String detail = newest.get().name() + " is " + NeonClient.human(age.isNegative() ? Duration.ZERO : age) + " old (RPO " + NeonClient.human(rpo) + ")";
    if (age.compareTo(rpo) > 0) {
      return Check.failed(name, detail + ": backups are not running. Check the backup schedule.");
    }
    return Check.passed(name, detail);
  }
}
