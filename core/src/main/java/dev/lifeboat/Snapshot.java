package dev.lifeboat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * A kept, restorable point in time: its manifest and the (redacted) target that keeps it.
 *
 * <p>A target lists every snapshot it keeps, also one whose stored form it cannot trust (a
 * manifest that cannot be read or was changed after it was written, a missing archive): such a
 * snapshot is <em>damaged</em>, {@link #damage()} says why, and it can be listed and deleted but
 * not read, restored or verified. A damaged snapshot's manifest is what could be trusted of it:
 * the stored manifest when only the archive is missing, otherwise a stand-in holding just the id,
 * the time in the id, and the format {@value #UNKNOWN_FORMAT}.
 *
 * @param target the target's location, secrets removed
 * @param manifest what the snapshot holds
 * @param damage why the snapshot cannot be used, or {@code null} when it is intact; written as
 *     {@code "damaged"} in JSON (and left out when intact)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Snapshot(String target, Manifest manifest, @JsonProperty("damaged") String damage) {
  /** The format of a damaged snapshot's stand-in manifest. */
  public static final String UNKNOWN_FORMAT = "unknown";

  public Snapshot {
    Objects.requireNonNull(manifest, "manifest");
    target = Location.redact(target);
    if (damage != null && damage.isBlank()) {
      throw new IllegalArgumentException("A damaged snapshot needs a reason");
    }
  }

  /** An intact snapshot. */
  public Snapshot(String target, Manifest manifest) {
    this(target, manifest, null);
  }

  /** A damaged snapshot of which only its {@code id} (the name it is kept under) can be trusted. */
  public static Snapshot damaged(String target, String id, String reason) {
    Manifest standIn = Manifest.builder()
        .id(id)
        .format(UNKNOWN_FORMAT)
        .createdAt(SnapshotIds.timeOf(id).orElse(null))
        .toolVersion(null)
        .build();
    return new Snapshot(target, standIn, reason);
  }

  /** A damaged snapshot whose {@code manifest} is sound but which cannot be used for {@code reason}. */
  public static Snapshot damaged(String target, Manifest manifest, String reason) {
    return new Snapshot(target, manifest, reason);
  }

  /** Whether the snapshot cannot be read, restored or verified; {@link #damage()} says why. */
  @JsonIgnore
  public boolean isDamaged() {
    return damage != null;
  }

  @JsonIgnore
  public String id() {
    return manifest.id();
  }

  @JsonIgnore
  public Instant createdAt() {
    return manifest.createdAt();
  }

  /** One readable line: id, format, size, counts, labels; or id and what is wrong. */
  @Override
  public String toString() {
    Manifest m = manifest;
    if (damage != null) {
      return m.id() + "  DAMAGED: " + damage;
    }
    return m.id() + "  " + m.format()
        + (m.compression() == Compression.NONE ? "" : "+" + m.compression().name().toLowerCase(java.util.Locale.ROOT))
        + "  " + Sizes.human(m.size())
        + "  " + m.inventory().items().size() + " objects, " + m.inventory().totalCount() + " rows"
        + (m.labels().isEmpty() ? "" : "  " + m.labels());
  }
}
