package dev.lifeboat;

import dev.lifeboat.retention.RetentionPolicy;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Lifeboat#prune(PruneRequest)} should do: apply a {@link RetentionPolicy} to one
 * target, or only work out what it would do ({@link Builder#dryRun()}).
 */
public final class PruneRequest {
  private final Location target;
  private final RetentionPolicy policy;
  private final boolean dryRun;
  private final Set<String> provenSnapshots;

  private PruneRequest(Builder b) {
    this.target = b.target;
    this.policy = b.policy;
    this.dryRun = b.dryRun;
    this.provenSnapshots = Set.copyOf(b.provenSnapshots);
  }

  /** Prune {@code target} (e.g. {@code file:/backups}) with {@code policy}. */
  public static Builder builder(String target, RetentionPolicy policy) {
    return new Builder(Location.parse(target), policy);
  }

  public static Builder builder(Location target, RetentionPolicy policy) {
    return new Builder(target, policy);
  }

  public Location target() { return target; }
  public RetentionPolicy policy() { return policy; }
  /** Whether the plan is only worked out, and nothing deleted. */
  public boolean dryRun() { return dryRun; }
  /**
   * Ids of snapshots whose restore drill passed, as the caller knows them; the newest of them is
   * never removed. The prune adds the drills it finds recorded itself.
   */
  public Set<String> provenSnapshots() { return provenSnapshots; }

  /** Builds {@link PruneRequest}. */
  public static final class Builder {
    private final Location target;
    private final RetentionPolicy policy;
    private boolean dryRun;
    private final Set<String> provenSnapshots = new LinkedHashSet<>();

    private Builder(Location target, RetentionPolicy policy) {
      this.target = Objects.requireNonNull(target, "target");
      this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Work out the plan and delete nothing. */
    public Builder dryRun() { dryRun = true; return this; }
    public Builder dryRun(boolean value) { dryRun = value; return this; }
    /** A snapshot whose restore drill passed (see {@link PruneRequest#provenSnapshots()}). */
    public Builder provenSnapshot(String id) { provenSnapshots.add(Objects.requireNonNull(id, "id")); return this; }

    /**
     * @throws LifeboatException with {@link ErrorCode#CONFIGURATION} when the policy has no keep
     *     rule: a prune without one would remove every snapshot, so it is refused before any work
     */
    public PruneRequest build() {
      if (policy.isEmpty()) {
        throw new LifeboatException(ErrorCode.CONFIGURATION,
            "A prune needs at least one keep rule, otherwise it would remove every snapshot; give "
                + RetentionPolicy.RULE_OPTIONS + ".");
      }
      return new PruneRequest(this);
    }
  }
}
