package dev.lifeboat;

import dev.lifeboat.crypto.PrivateKey;
import dev.lifeboat.internal.SnapshotSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What {@link Lifeboat#restore(RestoreRequest)} should do. Immutable; build with {@link #builder}. */
public final class RestoreRequest {
  private final Location target;
  private final String snapshot;
  private final Location destination;
  private final RestoreOptions options;
  private final List<Expectation> verifyWith;
  private final boolean verify;
  private final PrivateKey privateKey;

  private RestoreRequest(Builder b) {
    this.target = b.target;
    this.privateKey = b.privateKey;
    this.snapshot = b.snapshot;
    this.destination = b.destination;
    this.options = b.options;
    this.verify = b.verify;
    this.verifyWith = List.copyOf(b.expectations);
  }

  /**
   * Restore snapshot {@code snapshot} (an id or {@code latest}) from {@code target} into {@code destination}.
   *
   * @throws LifeboatException with {@link ErrorCode#CONFIGURATION} when {@code snapshot} is null or
   *     blank: an empty id never means {@code latest}
   */
  public static Builder builder(String target, String snapshot, String destination) {
    return new Builder(Location.parse(target), snapshot, Location.parse(destination));
  }

  public static Builder builder(Location target, String snapshot, Location destination) {
    return new Builder(target, snapshot, destination);
  }

  public Location target() { return target; }
  /** The private key to read an encrypted snapshot with; not needed for an unencrypted one. */
  public Optional<PrivateKey> privateKey() { return Optional.ofNullable(privateKey); }
  /** A snapshot id or {@code latest}. */
  public String snapshot() { return snapshot; }
  public Location destination() { return destination; }
  public RestoreOptions options() { return options; }
  /** Whether to verify the destination after loading. */
  public boolean verify() { return verify; }
  /** Extra checks for the verification after loading. */
  public List<Expectation> expectations() { return verifyWith; }

  @Override
  public String toString() {
    return "RestoreRequest{target=" + target + ", snapshot=" + snapshot + ", destination=" + destination + ", options=" + options + "}";
  }

  /** Builds {@link RestoreRequest}. */
  public static final class Builder {
    private final Location target;
    private PrivateKey privateKey;
    private final String snapshot;
    private final Location destination;
    private RestoreOptions options = RestoreOptions.defaults();
    private boolean verify = false;
    private final List<Expectation> expectations = new ArrayList<>();

    private Builder(Location target, String snapshot, Location destination) {
      this.target = Objects.requireNonNull(target, "target");
      this.snapshot = SnapshotSelector.require(snapshot);
      this.destination = Objects.requireNonNull(destination, "destination");
    }

    public Builder options(RestoreOptions value) { options = Objects.requireNonNull(value); return this; }
    /** Verify after loading: counts and columns against the manifest, plus these checks. */
    public Builder verify(Expectation... checks) {
      verify = true;
      expectations.addAll(List.of(checks));
      return this;
    }

    /** The private key for an encrypted snapshot (see {@link dev.lifeboat.crypto.KeyPairFiles#readPrivate}). */
    public Builder privateKey(PrivateKey value) { privateKey = value; return this; }

    public RestoreRequest build() {
      return new RestoreRequest(this);
    }
  }
}
