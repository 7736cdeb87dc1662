package dev.lifeboat.neon;

import dev.lifeboat.Location;
import dev.lifeboat.spi.ProviderContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Neon branches one Lifeboat instance resolved to direct PostgreSQL locations. Core hands a
 * verifier only the direct location of the database it checks; the verifier of branch snapshots
 * needs the branch behind it (is it ready, is it the snapshot's child?), and finds it here. A
 * direct location that no {@link NeonPlatform} of this instance produced is no Neon branch to it.
 */
final class ResolvedBranches {
  private static final String SHARED_KEY = "neon.resolvedBranches";

  /** A branch as the platform resolved it: its project, its id, and its location as the user sees it. */
  record Branch(String projectId, String branchId, NeonLocation location) {}

  private final Map<Location, Branch> byDirect = new ConcurrentHashMap<>();

  /** The record of the instance that {@code context} belongs to. */
  static ResolvedBranches of(ProviderContext context) {
    return context.shared(SHARED_KEY, ResolvedBranches.class, ResolvedBranches::new);
  }

  void remember(Location direct, Branch branch) {
    byDirect.put(direct, branch);
  }

  /** The branch whose direct location {@code direct} is, when this instance resolved it. */
  Optional<Branch> behind(Location direct) {
    return Optional.ofNullable(byDirect.get(direct));
  }
}
