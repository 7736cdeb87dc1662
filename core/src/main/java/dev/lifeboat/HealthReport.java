package dev.lifeboat;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Lifeboat#health(HealthRequest)} found. Serialises (with {@link Json#mapper()}) as
 * {@code {"healthy", "checkedAt", "checks": [{"name", "value", "limit", "passed", "hint"}]}}.
 *
 * @param healthy whether every check passed
 * @param checkedAt when the checks were made
 * @param checks every check, in the order made
 */
@JsonPropertyOrder({"healthy", "checkedAt", "checks"})
public record HealthReport(boolean healthy, Instant checkedAt, List<HealthCheck> checks) {
  public HealthReport {
    Objects.requireNonNull(checkedAt, "checkedAt");
    checks = List.copyOf(checks);
    if (healthy != checks.stream().allMatch(HealthCheck::passed)) {
      throw new IllegalArgumentException("healthy must say whether every check passed");
    }
  }

  /** The report of these checks: healthy when every one passed. */
  public static HealthReport of(Instant checkedAt, List<HealthCheck> checks) {
    return new HealthReport(checks.stream().allMatch(HealthCheck::passed), checkedAt, checks);
  }

  /** The checks that failed. */
  public List<HealthCheck> failed() {
    return checks.stream().filter(c -> !c.passed()).toList();
  }
}
