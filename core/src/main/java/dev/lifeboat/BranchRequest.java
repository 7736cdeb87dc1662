package dev.lifeboat;

import java.time.Instant;
import java.util.Objects;

/**
 * A branch to create.
 *
 * @param name the new branch's name
 * @param parent the parent branch's name or id, or {@code null} for the default branch
 * @param at the parent's state at this past instant, or {@code null} for now
 * @param expiresAt when the platform should delete it by itself, or {@code null}
 */
public record BranchRequest(String name, String parent, Instant at, Instant expiresAt) {
  public BranchRequest {
    Objects.requireNonNull(name, "name");
  }

  /** A branch of the default branch as it is now. */
  public static BranchRequest named(String name) {
    return new BranchRequest(name, null, null, null);
  }
}
