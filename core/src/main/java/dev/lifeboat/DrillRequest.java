package dev.lifeboat;

import dev.lifeboat.crypto.PrivateKey;
import dev.lifeboat.internal.SnapshotSelector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Lifeboat#drill(DrillRequest)} should prove: that snapshot {@code snapshot} of
 * {@code target} restores into a throwaway database on the server {@code into} names, matches its
 * manifest and the expectations, within the recovery objectives when given. A platform's own
 * snapshot (a Neon backup branch) is drilled in a throwaway copy the platform makes, without
 * {@code into}; a point-in-time drill ({@link #pointInTime}) copies a platform branch as it was at
 * an instant.
 */
public final class DrillRequest {
  private final Location target;
  private final String snapshot;
  private final Location into;
  private final List<String> tables;
  private final List<Expectation> expectations;
  private final Duration rto;
  private final Duration rpo;
  private final Path reportDir;
  private final PrivateKey privateKey;
  private final java.time.Instant at;

  private DrillRequest(Builder b) {
    this.target = b.target;
    this.privateKey = b.privateKey;
    this.snapshot = b.snapshot;
    this.at = b.at;
    this.into = b.into;
    this.tables = List.copyOf(b.tables);
    this.expectations = List.copyOf(b.expectations);
    this.rto = b.rto;
    this.rpo = b.rpo;
    this.reportDir = b.reportDir;
  }

  /**
   * Drill snapshot {@code snapshot} (an id or {@code latest}) of {@code target}.
   *
   * @throws LifeboatException with {@link ErrorCode#CONFIGURATION} when {@code snapshot} is null or
   *     blank: an empty id never means {@code latest}
   */
  public static Builder builder(String target, String snapshot) {
    return new Builder(Location.parse(target), SnapshotSelector.require(snapshot), null);
  }

  /**
   * Drill the platform branch {@code target} (e.g. {@code neon://PROJECT/main}) as it was at
   * {@code at}: the platform copies it at that instant, which must lie inside its history window.
   */
  public static Builder pointInTime(String target, java.time.Instant at) {
    return new Builder(Location.parse(target), null, Objects.requireNonNull(at, "at"));
  }

  public Location target() { return target; }
  /** The private key to read an encrypted snapshot with; not needed for an unencrypted one. */
  public Optional<PrivateKey> privateKey() { return Optional.ofNullable(privateKey); }
  /** The snapshot id or {@code latest}; {@code null} for a point-in-time drill. */
  public String snapshot() { return snapshot; }
  /** The instant of a point-in-time drill. */
  public Optional<java.time.Instant> at() { return Optional.ofNullable(at); }
  /**
   * The server the scratch database is created on; its own database name is not used. Needed for
   * archive snapshots; a platform's own snapshots are drilled on the platform.
   */
  public Optional<Location> into() { return Optional.ofNullable(into); }
  /** Only these tables or collections are restored and checked; empty means all. */
  public List<String> tables() { return tables; }
  public List<Expectation> expectations() { return expectations; }
  /** Recovery time objective: restore plus verification must take at most this long. */
  public Optional<Duration> rto() { return Optional.ofNullable(rto); }
  /** Recovery point objective: the snapshot must be at most this old when the drill starts. */
  public Optional<Duration> rpo() { return Optional.ofNullable(rpo); }
  /** Where the Markdown and JSON reports are written; empty writes none. */
  public Optional<Path> reportDir() { return Optional.ofNullable(reportDir); }

  /** Builds {@link DrillRequest}. */
  public static final class Builder {
    private final Location target;
    private PrivateKey privateKey;
    private final String snapshot;
    private final java.time.Instant at;
    private Location into;
    private final List<String> tables = new ArrayList<>();
    private final List<Expectation> expectations = new ArrayList<>();
    private Duration rto;
    private Duration rpo;
    private Path reportDir;

    private Builder(Location target, String snapshot, java.time.Instant at) {
      this.target = Objects.requireNonNull(target, "target");
      this.snapshot = snapshot;
      this.at = at;
    }

    /** The server to drill on, e.g. {@code postgresql://ci@localhost:5432/postgres}. */
    public Builder into(String value) { into = Location.parse(value); return this; }
    public Builder table(String value) { tables.add(Objects.requireNonNull(value)); return this; }
    public Builder tables(List<String> values) { tables.addAll(values); return this; }
    public Builder expect(Expectation value) { expectations.add(Objects.requireNonNull(value)); return this; }
    public Builder rto(Duration value) { rto = value; return this; }
    public Builder rpo(Duration value) { rpo = value; return this; }
    public Builder reportDir(Path value) { reportDir = value; return this; }

    /** The private key for an encrypted snapshot (see {@link dev.lifeboat.crypto.KeyPairFiles#readPrivate}). */
    public Builder privateKey(PrivateKey value) { privateKey = value; return this; }

    public DrillRequest build() {
      return new DrillRequest(this);
    }
  }
}
