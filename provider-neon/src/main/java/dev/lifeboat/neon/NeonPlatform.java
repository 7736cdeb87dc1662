package dev.lifeboat.neon;

import dev.lifeboat.Location;
import dev.lifeboat.ManifestKeys;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.neon.api.NeonBranch;
import dev.lifeboat.spi.DatabasePlatform;
import dev.lifeboat.spi.ResolvedDatabase;
import java.util.Map;
import java.util.function.Function;

/**
 * A Neon branch ({@code neon://PROJECT_ID/BRANCH[?database=…&role=…]}) as the PostgreSQL database
 * behind it. Core resolves it once per operation and then dumps, restores and verifies the direct
 * {@code postgresql://} location with the PostgreSQL provider; the user confirms a restore with
 * the branch's name, which the default branch and protected branches always need.
 */
final class NeonPlatform implements DatabasePlatform {
  /** Manifest property: the name the branch had when it was dumped (its id is {@link ManifestKeys#NEON_BRANCH_ID}). */
  private static final String BRANCH_NAME = "neon.branch";

  private final Function<String, NeonProjectOps> projects;
  private final ResolvedBranches resolved;

  NeonPlatform(Function<String, NeonProjectOps> projects, ResolvedBranches resolved) {
    this.projects = projects;
    this.resolved = resolved;
  }

  /**
   * The branch's database: the one the location names, or the branch's only one, reached as the
   * role the location names, or as the database's owner. Its identity names the branch (not its
   * id) and the database, so a dump records {@code neon://P/main?database=neondb} as its source.
   */
  @Override
  public ResolvedDatabase resolve(Location location) {
    NeonLocation at = NeonLocation.parse(location);
    NeonProjectOps ops = projects.apply(at.projectId());
    NeonBranch branch = ops.requireBranch(at.requireBranch("a dump, a restore or a verification"));
    NeonProjectOps.DirectDatabase db = ops.direct(branch, at.database(), at.role());
    NeonLocation named = new NeonLocation(at.projectId(), branch.name(), db.database(), at.role());
    resolved.remember(db.uri(), new ResolvedBranches.Branch(at.projectId(), branch.id(), named));
    return new ResolvedDatabase(db.uri(), branch.name(), branch.isDefault() || branch.isProtected(),
        new SourceFingerprint("neon", null, db.database(), named.uri()),
        Map.of(ManifestKeys.NEON_PROJECT_ID, at.projectId(), ManifestKeys.NEON_BRANCH_ID, branch.id(), BRANCH_NAME, branch.name()));
  }
}
