package dev.lifeboat;

import dev.lifeboat.spi.Branching;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A branch created through {@link Branches#create(BranchRequest)} and owned by the caller:
 * closing the handle deletes the branch, so a throwaway database for a test or a drill is gone
 * however the work ended.
 *
 * <pre>{@code
 * try (Branches branches = lifeboat.branches("neon://PROJECT");
 *     BranchHandle scratch = branches.create(BranchRequest.named("drill-42"))) {
 *   Location db = scratch.connect();
 *   ...
 * } // the branch is deleted here
 * }</pre>
 *
 * <p>{@link #keep()} hands the branch over instead: closing then leaves it.
 */
public final class BranchHandle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BranchHandle.class);
  private final Branching branching;
  private final Branch branch;
  private boolean kept;
  private boolean closed;

  BranchHandle(Branching branching, Branch branch) {
    this.branching = Objects.requireNonNull(branching, "branching");
    this.branch = Objects.requireNonNull(branch, "branch");
  }

  /** The branch as the platform described it when it was created. */
  public Branch branch() {
    return branch;
  }

  /** A connection URI for the branch (it holds a password: never log it, print it with {@code toString()}). */
  public Location connect() {
    return branching.connect(branch);
  }

  /** Keeps the branch: {@link #close()} will not delete it. Returns the branch. */
  public synchronized Branch keep() {
    kept = true;
    return branch;
  }

  /**
   * Deletes the branch unless it was kept or deleted already. A branch someone else deleted
   * meanwhile is fine; any other failure is thrown, so a leaked branch is never silent.
   */
  @Override
  public synchronized void close() {
    if (closed || kept) {
      return;
    }
    closed = true;
    try {
      branching.delete(branch.id());
    } catch (LifeboatException e) {
      if (e.code() != ErrorCode.NOT_FOUND) {
        throw e;
      }
      LOG.debug("Branch {} was deleted already", branch.name());
    }
  }

  @Override
  public String toString() {
    return "BranchHandle[" + branch.name() + (kept ? ", kept" : "") + "]";
  }
}
