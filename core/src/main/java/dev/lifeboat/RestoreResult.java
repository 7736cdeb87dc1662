package dev.lifeboat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a restore did.
 *
 * @param snapshotId the snapshot restored
 * @param destination the destination, secrets removed
 * @param format the snapshot's format
 * @param restored the tables or collections loaded
 * @param elapsed wall time of the load (integrity checks included)
 * @param details restorer-specific facts (tool versions, jobs, preserved branch names)
 * @param verification the verification after the load, when one was asked for
 */
public record RestoreResult(
    String snapshotId,
    String destination,
    String format,
    List<String> restored,
    Duration elapsed,
    Map<String, String> details,
    Verification verification) {

  public RestoreResult {
    destination = Location.redact(destination);
    restored = restored == null ? List.of() : List.copyOf(restored);
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  /** The verification, when one ran. */
  public Optional<Verification> verified() {
    return Optional.ofNullable(verification);
  }

  /** A copy with a verification attached. */
  public RestoreResult withVerification(Verification v) {
    return new RestoreResult(snapshotId, destination, format, restored, elapsed, details, v);
  }

  /** A copy with the elapsed time replaced. */
  public RestoreResult withElapsed(Duration d) {
    return new RestoreResult(snapshotId, destination, format, restored, d, details, verification);
  }

  @Override
  public String toString() {
    return "RESTORED  snapshot " + snapshotId + " into " + destination + "  (" + restored.size()
        + " objects, " + elapsed.toMillis() + " ms)"
        + (verification == null ? "" : System.lineSeparator() + verification);
  }
}
