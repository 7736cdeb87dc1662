package dev.lifeboat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The result of checking a snapshot or a restored database: one {@link Check} per thing checked.
 *
 * @param snapshotId the snapshot checked against
 * @param subject what was checked: the archive, or the destination (redacted)
 * @param checks every check with its outcome
 */
public record Verification(String snapshotId, String subject, List<Check> checks) {
  public Verification {
    Objects.requireNonNull(snapshotId, "snapshotId");
    subject = Location.redact(subject);
    checks = List.copyOf(checks);
  }

  /** True when at least one check passed and none failed (skipped checks prove nothing). */
  @JsonProperty("passed")
  public boolean passed() {
    return checks.stream().anyMatch(c -> c.status() == Check.Status.PASSED)
        && checks.stream().noneMatch(c -> c.status() == Check.Status.FAILED);
  }

  /** The failed checks. */
  public List<Check> failures() {
    return checks.stream().filter(c -> c.status() == Check.Status.FAILED).toList();
  }

  /** A readable report: a headline and one line per check. */
  @Override
  public String toString() {
    long failed = failures().size();
    String head = (passed() ? "VERIFIED" : "FAILED") + "  snapshot " + snapshotId + " against " + subject
        + "  (" + checks.size() + " checks, " + failed + " failed)";
    return head + System.lineSeparator()
        + checks.stream().map(c -> "  " + c).collect(Collectors.joining(System.lineSeparator()));
  }
}
