package dev.lifeboat;

import dev.lifeboat.spi.Branching;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The branches of one branching platform (a Neon project, a local PostgreSQL server), from
 * {@link Lifeboat#branches(String)}: throwaway copies of a database for drills, tests and
 * previews. Branches it creates come as {@link BranchHandle}s that delete them when closed.
 * Close this object (after its handles) when done.
 */
public final class Branches implements AutoCloseable {
  private final Branching branching;
  private final Location platform;

  Branches(Branching branching, Location platform) {
    this.branching = Objects.requireNonNull(branching, "branching");
    this.platform = Objects.requireNonNull(platform, "platform");
  }

  /** The platform's location (print it with {@code toString()}, which redacts). */
  public Location platform() {
    return platform;
  }

  /**
   * Creates a branch and waits until it can be connected to. The returned handle deletes it when
   * closed; call {@link BranchHandle#keep()} to keep it.
   */
  public BranchHandle create(BranchRequest request) {
    Objects.requireNonNull(request, "request");
    return new BranchHandle(branching, branching.create(request));
  }

  /** Every branch of the platform. */
  public List<Branch> list() {
    return branching.list();
  }

  /** The branch with this name or id. */
  public Optional<Branch> get(String nameOrId) {
    return branching.get(nameOrId);
  }

  /**
   * Deletes a branch. The default and protected branches are refused with
   * {@link ErrorCode#PROTECTED_DESTINATION}; an unknown one is {@link ErrorCode#NOT_FOUND}.
   */
  public void delete(String nameOrId) {
    branching.delete(nameOrId);
  }

  /**
   * Restores a branch in place to its state at {@code at}, keeping the previous state as a branch
   * named {@code preserveUnderName}. Refused for the default or a protected branch unless
   * {@code confirm} equals the branch's name; refused where the platform keeps no history.
   */
  public Branch restore(String nameOrId, Instant at, String preserveUnderName, String confirm) {
    return branching.restore(nameOrId, at, preserveUnderName, confirm);
  }

  /** A connection URI for {@code branch} (it holds a password: never log it, print it with {@code toString()}). */
  public Location connect(Branch branch) {
    return branching.connect(branch);
  }

  @Override
  public void close() {
    branching.close();
  }

  @Override
  public String toString() {
    return "Branches[" + platform + "]";
  }
}
