package dev.lifeboat.neon;

import dev.lifeboat.Check;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.Formats;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.ManifestKeys;
import dev.lifeboat.Verification;
import dev.lifeboat.neon.api.NeonBranch;
import dev.lifeboat.postgres.PgConnections;
import dev.lifeboat.postgres.PgErrors;
import dev.lifeboat.postgres.PgExpectations;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Verifies a branch snapshot ({@code neon-branch}) restored into a Neon branch: the branch exists,
 * is ready and comes from the snapshot (its child, or restored in place), it accepts connections,
 * and the user's expectations hold there. A branch snapshot records no inventory, so there are no
 * counts to compare. Core hands this verifier the branch's direct location, resolved by
 * {@link NeonPlatform}; the branch behind it comes from {@link ResolvedBranches}.
 */
final class NeonBranchVerifier implements RestoreVerifier {
  private final ProviderContext context;
  private final Function<String, NeonProjectOps> projects;
  private final ResolvedBranches resolved;

  NeonBranchVerifier(ProviderContext context, Function<String, NeonProjectOps> projects, ResolvedBranches resolved) {
    this.context = context;
    this.projects = projects;
    this.resolved = resolved;
  }

  @Override
  public boolean accepts(String format, Location destination) {
    return Formats.NEON_BRANCH.equals(format) && resolved.behind(destination).isPresent();
  }

  @Override
  public Verification verify(Manifest manifest, Location destination, List<String> tables, List<Expectation> expectations) {
    ResolvedBranches.Branch at = resolved.behind(destination).orElseThrow(() -> new LifeboatException(ErrorCode.UNSUPPORTED,
        "Snapshot " + manifest.id() + " is a Neon branch; verify it against a branch of its project (neon://PROJECT_ID/BRANCH)."));
    String subject = at.location().uri();
    List<Check> checks = new ArrayList<>();
    Optional<NeonBranch> found = projects.apply(at.projectId()).client.branches().find(at.projectId(), at.branchId());
    if (found.isEmpty()) {
      checks.add(Check.failed("branch exists", subject + " is no longer a branch of project " + at.projectId()));
      return new Verification(manifest.id(), subject, checks);
    }
    NeonBranch branch = found.get();
    checks.add(Check.passed("branch exists", branch.name() + " (" + branch.id() + ")"));
    checks.add(branch.ready() ? Check.passed("branch ready", "state " + branch.currentState())
        : Check.failed("branch ready", "state " + branch.currentState() + (branch.pendingState() == null ? "" : ", becoming " + branch.pendingState())));
    String snapshotBranch = manifest.properties().get(ManifestKeys.NEON_BRANCH_ID);
    if (snapshotBranch != null) {
      boolean child = snapshotBranch.equals(branch.parentId());
      boolean reset = branch.lastResetAt() != null;
      checks.add(child || reset
          ? Check.passed("branch restored from snapshot", child ? "parent is " + snapshotBranch : "restored in place at " + branch.lastResetAt())
          : Check.failed("branch restored from snapshot", "parent is " + branch.parentId() + ", not the snapshot's branch " + snapshotBranch));
    }
    PgLocation database = PgLocation.parse(destination, context.secrets());
    Connection session = connect(database, checks);
    if (session != null) {
      try (session) {
        checks.add(Check.passed("accepts connections",
            "PostgreSQL " + session.getMetaData().getDatabaseProductVersion() + ", database " + database.database()));
        checks.addAll(PgExpectations.evaluate(session, database, expectations, PgExpectations.TABLES));
      } catch (SQLException e) {
        throw PgErrors.map(e, database, "reading the server version", ErrorCode.CONNECTION);
      }
    }
    return new Verification(manifest.id(), subject, checks);
  }

  /** A read-only session, or {@code null} after adding the failed check that says why there is none. */
  private static Connection connect(PgLocation database, List<Check> checks) {
    try {
      return PgConnections.openReadOnly(database);
    } catch (LifeboatException e) {
      checks.add(Check.failed("accepts connections", e.getMessage()));
      return null;
    }
  }
}
