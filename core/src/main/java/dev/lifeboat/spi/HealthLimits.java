package dev.lifeboat.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits a platform's own health checks are held against ({@link NativeSnapshots#health}).
 *
 * @param minPitr the shortest point-in-time-restore window the platform should keep
 * @param maxBranchUsePercent the largest share of the plan's branch limit that may be in use
 */
public record HealthLimits(Duration minPitr, int maxBranchUsePercent) {
  public HealthLimits {
    Objects.requireNonNull(minPitr, "minPitr");
  }
}
