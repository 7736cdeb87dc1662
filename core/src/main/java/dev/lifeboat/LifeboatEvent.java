package dev.lifeboat;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One step of an operation of a {@link Lifeboat} instance, for notifications and metrics.
 *
 * @param runId a random UUID shared by the events of one operation (its start and its end), so a
 *     listener can pair them
 * @param operation {@code backup}, {@code restore}, {@code verify} or {@code drill} (and the
 *     operations added later, e.g. {@code prune}, {@code health})
 * @param phase started, succeeded or failed
 * @param snapshotId the snapshot's id when known: a backup's only once it succeeded, a restore's
 *     or verification's once the snapshot is found ({@code null} before)
 * @param target the snapshot store's location, secrets removed
 * @param database the database the operation reads or writes (a backup's source, a restore's or
 *     verification's destination), secrets removed; {@code null} when there is none
 * @param at when this happened
 * @param elapsed the time since the operation started ({@link Duration#ZERO} when it starts)
 * @param error what went wrong, secrets removed; {@code null} unless {@link Phase#FAILED}
 * @param data facts about the result, keyed by the names in {@link Data} (sizes, counts, whether a
 *     verification passed); values are strings, numbers or booleans; empty when there are none
 */
public record LifeboatEvent(
    String runId, String operation, Phase phase, String snapshotId, String target, String database,
    Instant at, Duration elapsed, String error, Map<String, Object> data) {

  /** Where an operation is. */
  public enum Phase {
    STARTED,
    SUCCEEDED,
    FAILED
  }

  /** The keys of {@link #data()}. */
  public static final class Data {
    /** Bytes stored (a backup's archive size). */
    public static final String BYTES = "bytes";
    /** Rows or documents counted. */
    public static final String ITEMS = "items";
    /** Tables or collections. */
    public static final String TABLES = "tables";
    /** The snapshot's format. */
    public static final String FORMAT = "format";
    /** Whether a verification (or drill) passed; a succeeded run whose check failed says {@code false}. */
    public static final String PASSED = "passed";
    /** How many checks failed. */
    public static final String FAILED_CHECKS = "failedChecks";

    private Data() {}
  }

  public LifeboatEvent {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(elapsed, "elapsed");
    target = Location.redact(target);
    database = Location.redact(database);
    error = Redactor.redact(error);
    data = immutableData(data);
  }

  /** An event without a run id, database or data (a fresh run id is drawn). */
  public LifeboatEvent(
      String operation, Phase phase, String snapshotId, String target, Instant at, Duration elapsed, String error) {
    this(UUID.randomUUID().toString(), operation, phase, snapshotId, target, null, at, elapsed, error, Map.of());
  }

  /** Whether the result this event reports passed its checks; true when it had none. */
  public boolean passed() {
    return !Boolean.FALSE.equals(data.get(Data.PASSED));
  }

  // Only immutable values, strings redacted, insertion order kept for readable payloads.
  private static Map<String, Object> immutableData(Map<String, Object> data) {
    if (data == null || data.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    data.forEach((k, v) -> {
      Objects.requireNonNull(k, "data key");
      if (v == null) {
        return;
      }
      if (v instanceof String s) {
        copy.put(k, Redactor.redact(s));
      } else if (v instanceof Number || v instanceof Boolean) {
        copy.put(k, v);
      } else {
        throw new IllegalArgumentException("event data " + k + " must be a string, number or boolean, not " + v.getClass().getName());
      }
    });
    return Collections.unmodifiableMap(copy);
  }
}
