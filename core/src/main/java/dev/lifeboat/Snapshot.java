package dev.lifeboat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Objects;

/**
 * A kept, restorable point in time: its manifest and the (redacted) target that keeps it.
 *
 * @param target the target's location, secrets removed
 * @param manifest what the snapshot holds
 */
public record Snapshot(String target, Manifest manifest) {
  public Snapshot {
    Objects.requireNonNull(manifest, "manifest");
    target = Location.redact(target);
  }

  @JsonIgnore
  public String id() {
    return manifest.id();
  }

  @JsonIgnore
  public Instant createdAt() {
    return manifest.createdAt();
  }

  /** One readable line: id, format, size, counts, labels. */
  @Override
  public String toString() {
    Manifest m = manifest;
    return m.id() + "  " + m.format()
        + (m.compression() == Compression.NONE ? "" : "+" + m.compression().name().toLowerCase(java.util.Locale.ROOT))
        + "  " + Sizes.human(m.size())
        + "  " + m.inventory().items().size() + " objects, " + m.inventory().totalCount() + " rows"
        + (m.labels().isEmpty() ? "" : "  " + m.labels());
  }
}
