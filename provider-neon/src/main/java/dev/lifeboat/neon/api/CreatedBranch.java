package dev.lifeboat.neon.api;

import java.util.List;

/**
 * A newly created branch after its operations finished.
 *
 * @param branch the branch as Neon reports it once ready
 * @param endpoints its endpoints
 * @param reused whether an existing branch of the same name was taken over (a retried create)
 */
public record CreatedBranch(NeonBranch branch, List<NeonEndpoint> endpoints, boolean reused) {
  public CreatedBranch {
    endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
  }
}
