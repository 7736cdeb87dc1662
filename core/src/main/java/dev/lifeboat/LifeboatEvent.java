package dev.lifeboat;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One step of an operation of a {@link Lifeboat} instance, for notifications and metrics.
 *
 * @param operation {@code backup}, {@code restore}, {@code verify} or {@code drill}
 * @param phase started, succeeded or failed
 * @param snapshotId the snapshot's id when known: a backup's only once it succeeded, a restore's
 *     or verification's once the snapshot is found ({@code null} before)
 * @param target the snapshot store's location, secrets removed
 * @param at when this happened
 * @param elapsed the time since the operation started ({@link Duration#ZERO} when it starts)
 * @param error what went wrong, secrets removed; {@code null} unless {@link Phase#FAILED}
 */
public record LifeboatEvent(
    String operation, Phase phase, String snapshotId, String target, Instant at, Duration elapsed, String error) {

  /** Where an operation is. */
  public enum Phase {
    STARTED,
    SUCCEEDED,
    FAILED
  }

  public LifeboatEvent {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(elapsed, "elapsed");
    target = Location.redact(target);
    error = Redactor.redact(error);
  }
}
