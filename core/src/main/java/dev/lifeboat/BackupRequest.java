package dev.lifeboat;

import dev.lifeboat.crypto.PublicKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What {@link Lifeboat#backup(BackupRequest)} should do. Immutable; build with {@link #builder(String, String)}. */
public final class BackupRequest {
  private final Location source;
  private final Location target;
  private final Map<String, String> labels;
  private final DumpOptions options;
  private final Instant at;
  private final PublicKey encryptTo;

  private BackupRequest(Builder b) {
    this.source = b.source;
    this.target = b.target;
    this.labels = Map.copyOf(b.labels);
    this.options = b.options;
    this.at = b.at;
    this.encryptTo = b.encryptTo;
  }

  /** A backup of {@code source} into {@code target}, both URIs or paths. */
  public static Builder builder(String source, String target) {
    return new Builder(Location.parse(source), Location.parse(target));
  }

  public static Builder builder(Location source, Location target) {
    return new Builder(source, target);
  }

  public Location source() { return source; }
  public Location target() { return target; }
  public Map<String, String> labels() { return labels; }
  public DumpOptions options() { return options; }
  /** For native (branch) snapshots: the past instant to snapshot; empty means now. */
  public Optional<Instant> at() { return Optional.ofNullable(at); }
  /** The public key the archive is encrypted to; empty stores it unencrypted. */
  public Optional<PublicKey> encryptTo() { return Optional.ofNullable(encryptTo); }

  @Override
  public String toString() {
    return "BackupRequest{source=" + source + ", target=" + target + ", labels=" + labels + ", options=" + options
        + (encryptTo == null ? "" : ", encryptTo=" + encryptTo.fingerprint()) + "}";
  }

  /** Builds {@link BackupRequest}. */
  public static final class Builder {
    private final Location source;
    private final Location target;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private DumpOptions options = DumpOptions.defaults();
    private Instant at;
    private PublicKey encryptTo;

    private Builder(Location source, Location target) {
      this.source = Objects.requireNonNull(source, "source");
      this.target = Objects.requireNonNull(target, "target");
    }

    public Builder label(String key, String value) {
      if (key == null || key.isBlank()) {
        throw new LifeboatException(ErrorCode.CONFIGURATION, "A label needs a non-empty key, as in key=value.");
      }
      labels.put(key, Objects.requireNonNull(value, "label value"));
      return this;
    }

    public Builder labels(Map<String, String> values) { values.forEach(this::label); return this; }
    public Builder options(DumpOptions value) { options = Objects.requireNonNull(value); return this; }
    public Builder at(Instant value) { at = value; return this; }
    /**
     * Encrypt the archive to {@code key} before it reaches the target: only the matching private
     * key can read it. The manifest (ids, sizes, table names, counts) stays unencrypted.
     */
    public Builder encryptTo(PublicKey key) { encryptTo = key; return this; }

    public BackupRequest build() {
      return new BackupRequest(this);
    }
  }
}
