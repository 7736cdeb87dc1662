package dev.lifeboat.retention;

import dev.lifeboat.Snapshot;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One snapshot as retention sees it: what the rules need to know and nothing else.
 *
 * @param id the snapshot's id, unique in the store
 * @param createdAt when the snapshot was taken; required unless the snapshot is damaged (a damaged
 *     snapshot may not know its time)
 * @param labels the labels it was taken with; {@value #KEEP_LABEL}{@code =}{@value #FOREVER} pins it
 * @param damage why the snapshot cannot be trusted, or {@code null} when it is intact; a damaged
 *     snapshot is never removed by a policy and counts for no rule
 * @param drillPassed whether a restore drill of this snapshot passed; the newest such snapshot is
 *     never removed
 */
public record RetentionCandidate(String id, Instant createdAt, Map<String, String> labels, String damage,
    boolean drillPassed) {
  /** The label key that pins a snapshot. */
  public static final String KEEP_LABEL = "keep";
  /** The value of {@value #KEEP_LABEL} that pins a snapshot (any case). */
  public static final String FOREVER = "forever";

  public RetentionCandidate {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("A retention candidate needs an id");
    }
    if (damage != null && damage.isBlank()) {
      throw new IllegalArgumentException("A damaged snapshot needs a reason: " + id);
    }
    if (damage == null) {
      Objects.requireNonNull(createdAt, () -> "An intact snapshot needs its creation time: " + id);
    }
    labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  /** An intact, undrilled snapshot without labels. */
  public static RetentionCandidate of(String id, Instant createdAt) {
    return new RetentionCandidate(id, createdAt, Map.of(), null, false);
  }

  /**
   * A snapshot a target listed.
   *
   * @param snapshot the listed snapshot, damaged or not
   * @param drillPassed whether a restore drill of it passed
   */
  public static RetentionCandidate from(Snapshot snapshot, boolean drillPassed) {
    return new RetentionCandidate(snapshot.id(), snapshot.createdAt(), snapshot.manifest().labels(),
        snapshot.damage(), drillPassed);
  }

  /** This candidate with these labels instead of its own. */
  public RetentionCandidate withLabels(Map<String, String> newLabels) {
    return new RetentionCandidate(id, createdAt, newLabels, damage, drillPassed);
  }

  /** This candidate, damaged for {@code reason}. */
  public RetentionCandidate withDamage(String reason) {
    return new RetentionCandidate(id, createdAt, labels, reason, drillPassed);
  }

  /** This candidate with a restore drill that passed or not. */
  public RetentionCandidate withDrillPassed(boolean passed) {
    return new RetentionCandidate(id, createdAt, labels, damage, passed);
  }

  /** Whether the snapshot cannot be trusted; {@link #damage()} says why. */
  public boolean isDamaged() {
    return damage != null;
  }

  /** Whether the snapshot is labelled {@code keep=forever} (value in any case, blanks around it ignored). */
  public boolean isPinned() {
    String value = labels.get(KEEP_LABEL);
    return value != null && value.trim().toLowerCase(Locale.ROOT).equals(FOREVER);
  }
}
