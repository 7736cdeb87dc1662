package dev.lifeboat;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The JSON document kept beside every snapshot: what it is, how big, its checksum, when it was
 * taken, from where, and the exact inventory a restore is checked against.
 *
 * @param manifestVersion the manifest schema version, {@value #CURRENT_VERSION} today
 * @param id the snapshot id, which sorts by creation time
 * @param kind archive or branch
 * @param format the dump format: {@code pg-custom}, {@code pg-directory}, {@code mongo-archive},
 *     {@code neon-branch}
 * @param compression the compression Lifeboat applied around the dump
 * @param size stored bytes (after compression), 0 for branches
 * @param sha256 lower-case hex SHA-256 of the stored bytes, {@code null} for branches
 * @param createdAt when the backup started, UTC
 * @param consistentAt the instant the data reflects, UTC
 * @param source what was backed up, with secrets removed
 * @param inventory tables or collections with exact counts
 * @param toolVersion Lifeboat's version
 * @param labels the user's labels
 * @param properties provider details: the dump tool and its version, options used, branch ids
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    int manifestVersion,
    String id,
    SnapshotKind kind,
    String format,
    Compression compression,
    long size,
    String sha256,
    Instant createdAt,
    Instant consistentAt,
    SourceFingerprint source,
    Inventory inventory,
    String toolVersion,
    Map<String, String> labels,
    Map<String, String> properties) {

  /** The manifest schema version this library writes. */
  public static final int CURRENT_VERSION = 1;

  public Manifest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(format, "format");
    compression = compression == null ? Compression.NONE : compression;
    inventory = inventory == null ? Inventory.EMPTY : inventory;
    labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    properties = properties == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(properties));
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.manifestVersion = manifestVersion;
    b.id = id;
    b.kind = kind;
    b.format = format;
    b.compression = compression;
    b.size = size;
    b.sha256 = sha256;
    b.createdAt = createdAt;
    b.consistentAt = consistentAt;
    b.source = source;
    b.inventory = inventory;
    b.toolVersion = toolVersion;
    b.labels.putAll(labels);
    b.properties.putAll(properties);
    return b;
  }

  /** Builds manifests; every field but id, kind and format is optional. */
  public static final class Builder {
    private int manifestVersion = CURRENT_VERSION;
    private String id;
    private SnapshotKind kind = SnapshotKind.ARCHIVE;
    private String format;
    private Compression compression = Compression.NONE;
    private long size;
    private String sha256;
    private Instant createdAt;
    private Instant consistentAt;
    private SourceFingerprint source;
    private Inventory inventory = Inventory.EMPTY;
    private String toolVersion = Version.current();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();

    private Builder() {}

    public Builder id(String id) { this.id = id; return this; }
    public Builder kind(SnapshotKind kind) { this.kind = kind; return this; }
    public Builder format(String format) { this.format = format; return this; }
    public Builder compression(Compression compression) { this.compression = compression; return this; }
    public Builder size(long size) { this.size = size; return this; }
    public Builder sha256(String sha256) { this.sha256 = sha256; return this; }
    public Builder createdAt(Instant createdAt) { this.createdAt = createdAt; return this; }
    public Builder consistentAt(Instant consistentAt) { this.consistentAt = consistentAt; return this; }
    public Builder source(SourceFingerprint source) { this.source = source; return this; }
    public Builder inventory(Inventory inventory) { this.inventory = inventory; return this; }
    public Builder toolVersion(String toolVersion) { this.toolVersion = toolVersion; return this; }
    public Builder labels(Map<String, String> labels) { this.labels.putAll(labels); return this; }
    public Builder label(String key, String value) { this.labels.put(key, value); return this; }
    public Builder properties(Map<String, String> properties) { this.properties.putAll(properties); return this; }
    public Builder property(String key, String value) { this.properties.put(key, value); return this; }

    public Manifest build() {
      return new Manifest(manifestVersion, id, kind, format, compression, size, sha256, createdAt,
          consistentAt, source, inventory, toolVersion, labels, properties);
    }
  }
}
