package dev.lifeboat.neon;

import dev.lifeboat.Check;
import dev.lifeboat.Expectation;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.Verification;
import dev.lifeboat.neon.api.NeonBranch;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Verifies a restore into a Neon branch. For a dump format it hands the branch's direct URI to the
 * installed PostgreSQL verifier. For a branch snapshot ({@code neon-branch}) it checks that the
 * branch exists, is ready and descends from the snapshot, that it accepts connections, and hands any
 * user expectations to the PostgreSQL verifier.
 */
final class NeonVerifier implements RestoreVerifier {
  private final ProviderContext context;
  private final Function<String, NeonProjectOps> projects;

  NeonVerifier(ProviderContext context, Function<String, NeonProjectOps> projects) {
    this.context = context;
    this.projects = projects;
  }

  @Override
  public boolean accepts(String format, Location destination) {
    return "neon".equals(destination.scheme()) && NeonLocation.parse(destination).branch() != null
        && (NeonSnapshotTarget.FORMAT.equals(format) || format.startsWith("pg-"));
  }

  @Override
  public Verification verify(Manifest manifest, Location destination, List<String> tables, List<Expectation> expectations) {
    NeonLocation dest = NeonLocation.parse(destination);
    NeonProjectOps ops = projects.apply(dest.projectId());
    if (!NeonSnapshotTarget.FORMAT.equals(manifest.format())) {
      NeonBranch branch = ops.requireBranch(dest.requireBranch("a verification"));
      Location direct = ops.directUri(branch, dest.database(), dest.role());
      Verification v = context.verifier(manifest.format(), direct).verify(manifest, direct, tables, expectations);
      return new Verification(v.snapshotId(), dest.uri(), v.checks());
    }
    List<Check> checks = new ArrayList<>();
    Optional<NeonBranch> found = ops.client.branches().find(dest.projectId(), dest.requireBranch("a verification"));
    if (found.isEmpty()) {
      checks.add(Check.failed("branch exists", dest + " is not a branch of project " + dest.projectId()));
      return new Verification(manifest.id(), dest.uri(), checks);
    }
    NeonBranch branch = found.get();
    checks.add(Check.passed("branch exists", branch.name() + " (" + branch.id() + ")"));
    checks.add(branch.ready() ? Check.passed("branch ready", "state " + branch.currentState())
        : Check.failed("branch ready", "state " + branch.currentState() + (branch.pendingState() == null ? "" : ", becoming " + branch.pendingState())));
    String snapshotBranch = manifest.properties().get("neon.branchId");
    if (snapshotBranch != null) {
      boolean child = snapshotBranch.equals(branch.parentId());
      boolean reset = branch.lastResetAt() != null;
      checks.add(child || reset
          ? Check.passed("branch restored from snapshot", child ? "parent is " + snapshotBranch : "restored in place at " + branch.lastResetAt())
          : Check.failed("branch restored from snapshot", "parent is " + branch.parentId() + ", not the snapshot's branch " + snapshotBranch));
    }
    Location direct;
    try {
      direct = ops.directUri(branch, dest.database(), dest.role());
      try (BackupSource pg = context.source(direct)) {
        SourceFingerprint fp = pg.fingerprint();
        checks.add(Check.passed("accepts connections", "PostgreSQL " + fp.serverVersion() + ", database " + fp.database()));
      }
    } catch (LifeboatException e) {
      checks.add(Check.failed("accepts connections", e.getMessage()));
      return new Verification(manifest.id(), dest.uri(), checks);
    }
    if (!expectations.isEmpty()) {
      Manifest asDump = manifest.toBuilder().format("pg-custom").build();
      Verification v = context.verifier("pg-custom", direct).verify(asDump, direct, tables, expectations);
      checks.addAll(v.checks());
    }
    return new Verification(manifest.id(), dest.uri(), checks);
  }
}
