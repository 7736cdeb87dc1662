package dev.lifeboat;

import dev.lifeboat.crypto.PrivateKey;
import dev.lifeboat.internal.SnapshotSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Lifeboat#verify(VerifyRequest)} should check: the stored archive alone (size,
 * SHA-256, format integrity), or a restored destination against the snapshot's manifest.
 */
public final class VerifyRequest {
  private final Location target;
  private final String snapshot;
  private final Location destination;
  private final List<Expectation> expectations;
  private final List<String> tables;
  private final PrivateKey privateKey;

  private VerifyRequest(Builder b) {
    this.target = b.target;
    this.privateKey = b.privateKey;
    this.snapshot = b.snapshot;
    this.destination = b.destination;
    this.expectations = List.copyOf(b.expectations);
    this.tables = List.copyOf(b.tables);
  }

  /**
   * Verify snapshot {@code snapshot} (an id or {@code latest}) of {@code target}.
   *
   * @throws LifeboatException with {@link ErrorCode#CONFIGURATION} when {@code snapshot} is null or
   *     blank: an empty id never means {@code latest}
   */
  public static Builder builder(String target, String snapshot) {
    return new Builder(Location.parse(target), snapshot);
  }

  public static Builder builder(Location target, String snapshot) {
    return new Builder(target, snapshot);
  }

  public Location target() { return target; }
  /** The private key to read an encrypted snapshot with; not needed for an unencrypted one. */
  public Optional<PrivateKey> privateKey() { return Optional.ofNullable(privateKey); }
  public String snapshot() { return snapshot; }
  /** The restored database to check; empty to check only the stored archive. */
  public Optional<Location> destination() { return Optional.ofNullable(destination); }
  public List<Expectation> expectations() { return expectations; }
  /** Only these tables or collections were restored; empty means all. */
  public List<String> tables() { return tables; }

  /** Builds {@link VerifyRequest}. */
  public static final class Builder {
    private final Location target;
    private PrivateKey privateKey;
    private final String snapshot;
    private Location destination;
    private final List<Expectation> expectations = new ArrayList<>();
    private final List<String> tables = new ArrayList<>();

    private Builder(Location target, String snapshot) {
      this.target = Objects.requireNonNull(target, "target");
      this.snapshot = SnapshotSelector.require(snapshot);
    }

    public Builder destination(String value) { destination = Location.parse(value); return this; }
    public Builder destination(Location value) { destination = value; return this; }
    public Builder expect(Expectation value) { expectations.add(value); return this; }
    public Builder tables(List<String> values) { tables.addAll(values); return this; }

    /** The private key for an encrypted snapshot (see {@link dev.lifeboat.crypto.KeyPairFiles#readPrivate}). */
    public Builder privateKey(PrivateKey value) { privateKey = value; return this; }

    public VerifyRequest build() {
      return new VerifyRequest(this);
    }
  }
}
