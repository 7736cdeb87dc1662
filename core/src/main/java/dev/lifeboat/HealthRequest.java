package dev.lifeboat;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Lifeboat#health(HealthRequest)} should check on one target, and the limits. A limit
 * that is not given and has no default turns its check into information.
 */
public final class HealthRequest {
  /** The shortest point-in-time-restore window a platform should keep unless told otherwise. */
  public static final Duration DEFAULT_MIN_PITR = Duration.ofHours(48);
  /** The share of a platform's branch limit in use above which it is unhealthy, unless told otherwise. */
  public static final int DEFAULT_MAX_BRANCH_USE_PERCENT = 80;

  private final Location target;
  private final Duration maxAge;
  private final Duration maxDrillAge;
  private final Duration minPitr;
  private final int maxBranchUsePercent;
  private final boolean platformLimitsGiven;
  private final boolean deep;

  private HealthRequest(Builder b) {
    this.target = b.target;
    this.maxAge = b.maxAge;
    this.maxDrillAge = b.maxDrillAge;
    this.minPitr = b.minPitr;
    this.maxBranchUsePercent = b.maxBranchUsePercent;
    this.platformLimitsGiven = b.platformLimitsGiven;
    this.deep = b.deep;
  }

  /** Check {@code target} (e.g. {@code file:/backups}). */
  public static Builder builder(String target) {
    return new Builder(Location.parse(target));
  }

  public static Builder builder(Location target) {
    return new Builder(target);
  }

  public Location target() { return target; }
  /** The oldest the newest snapshot may be (the recovery point objective); empty: reported only. */
  public Optional<Duration> maxAge() { return Optional.ofNullable(maxAge); }
  /** The oldest the last restore drill may be; empty: reported only. */
  public Optional<Duration> maxDrillAge() { return Optional.ofNullable(maxDrillAge); }
  /** The shortest point-in-time-restore window a platform target may keep. */
  public Duration minPitr() { return minPitr; }
  /** The largest share, in percent, of the platform's branch limit that may be in use. */
  public int maxBranchUsePercent() { return maxBranchUsePercent; }
  /**
   * Whether {@link #minPitr()} or {@link #maxBranchUsePercent()} was set rather than left at its
   * default: a target without a platform's own backups then cannot be checked as asked.
   */
  public boolean platformLimitsGiven() { return platformLimitsGiven; }
  /** Whether the newest snapshot's archive is read whole through its format, not only its size and SHA-256. */
  public boolean deep() { return deep; }

  /** Builds {@link HealthRequest}. */
  public static final class Builder {
    private final Location target;
    private Duration maxAge;
    private Duration maxDrillAge;
    private Duration minPitr = DEFAULT_MIN_PITR;
    private int maxBranchUsePercent = DEFAULT_MAX_BRANCH_USE_PERCENT;
    private boolean platformLimitsGiven;
    private boolean deep;

    private Builder(Location target) {
      this.target = Objects.requireNonNull(target, "target");
    }

    public Builder maxAge(Duration value) { maxAge = positive("max-age", value); return this; }
    public Builder maxDrillAge(Duration value) { maxDrillAge = positive("max-drill-age", value); return this; }
    public Builder minPitr(Duration value) {
      minPitr = Objects.requireNonNull(positive("min-pitr", value));
      platformLimitsGiven = true;
      return this;
    }

    /** @throws LifeboatException {@code CONFIGURATION} unless 1 to 100 */
    public Builder maxBranchUsePercent(int percent) {
      if (percent < 1 || percent > 100) {
        throw new LifeboatException(ErrorCode.CONFIGURATION,
            "max-branch-use must be a percentage from 1 to 100, not " + percent + ".");
      }
      maxBranchUsePercent = percent;
      platformLimitsGiven = true;
      return this;
    }

    public Builder deep() { deep = true; return this; }
    public Builder deep(boolean value) { deep = value; return this; }

    public HealthRequest build() {
      return new HealthRequest(this);
    }

    private static Duration positive(String what, Duration d) {
      if (d != null && (d.isNegative() || d.isZero())) {
        throw new LifeboatException(ErrorCode.CONFIGURATION,
            what + " must be a positive duration such as 26h, not " + Durations.format(d) + ".");
      }
      return d;
    }
  }
}
