package dev.lifeboat.spi;

import dev.lifeboat.Branch;
import dev.lifeboat.BranchRequest;
import dev.lifeboat.Location;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A platform that makes copy-on-write or template copies of databases. Drills and the JUnit
 * extension use it for throwaway destinations.
 */
public interface Branching extends AutoCloseable {

  /** Creates a branch; waits until it can be connected to. */
  Branch create(BranchRequest request);

  /** Every branch. */
  List<Branch> list();

  /** The branch with this name or id. */
  Optional<Branch> get(String nameOrId);

  /** Deletes a branch. The default and protected branches are refused. */
  void delete(String nameOrId);

  /**
   * Restores a branch in place to its state at {@code at}, keeping the previous state as a branch
   * named {@code preserveUnderName}. Refused for the default or a protected branch unless
   * {@code confirm} equals the branch's name.
   */
  Branch restore(String nameOrId, Instant at, String preserveUnderName, String confirm);

  /** A connection URI for the branch (it holds a password: never log it). */
  Location connect(Branch branch);

  @Override
  default void close() {}
}
