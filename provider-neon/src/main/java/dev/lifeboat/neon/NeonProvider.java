package dev.lifeboat.neon;

import dev.lifeboat.Location;
import dev.lifeboat.spi.Branching;
import dev.lifeboat.spi.DatabasePlatform;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.NativeDrills;
import dev.lifeboat.spi.NativeSnapshots;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Serves {@code neon:} locations: {@code neon://PROJECT_ID} as native snapshots (backup branches)
 * and as a branching platform; {@code neon://PROJECT_ID/BRANCH[?database=…&role=…]} as a platform
 * database, which core resolves once to the branch's direct {@code postgresql://} location and
 * then dumps, restores and verifies with the PostgreSQL provider. Needs the Neon API key in
 * {@code NEON_API_KEY} (or the setting {@code neon.apiKey}); the other settings and their ranges
 * are listed in {@code NeonSettings}.
 */
public final class NeonProvider implements LifeboatProvider {

  @Override
  public String name() {
    return "neon";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("neon");
  }

  @Override
  public Set<String> settingKeys() {
    return Set.of("neon.apiKey",
        "neon.apiUrl",
        "neon.backupPrefix",
        "neon.branchLimit",
        "neon.health.minHistory",
        "neon.health.rpo",
        "neon.operationPollInterval",
        "neon.operationTimeout",
        "neon.retry.initialBackoff",
        "neon.retry.maxAttempts",
        "neon.retry.maxBackoff",
        "neon.retry.maxTime");
  }

  /**
   * Every {@code neon:} location: a branch resolves to its direct {@code postgresql://} database;
   * a project alone is refused when resolved, saying that a branch is needed.
   */
  @Override
  public Optional<DatabasePlatform> platform(Location location, ProviderContext context) {
    NeonLocation.parse(location);
    return Optional.of(new NeonPlatform(projects(context), ResolvedBranches.of(context)));
  }

  @Override
  public Optional<NativeSnapshots> nativeSnapshots(Location location, ProviderContext context) {
    NeonLocation loc = NeonLocation.parse(location);
    if (loc.branch() != null) {
      return Optional.empty();
    }
    NeonProjectOps ops = ops(context, loc.projectId());
    return Optional.of(new NeonNativeSnapshots(ops, new NeonDrills(ops, context, loc)));
  }

  /** Drills in the project of {@code neon://PROJECT_ID[/BRANCH]}: of its backup branches, or of the branch at an instant. */
  @Override
  public Optional<NativeDrills> nativeDrills(Location location, ProviderContext context) {
    NeonLocation loc = NeonLocation.parse(location);
    return Optional.of(new NeonDrills(ops(context, loc.projectId()), context, loc));
  }

  /** Only for branch snapshots; a dump restored into a branch is verified by the PostgreSQL provider. */
  @Override
  public List<RestoreVerifier> verifiers(ProviderContext context) {
    return List.of(new NeonBranchVerifier(context, projects(context), ResolvedBranches.of(context)));
  }

  @Override
  public Optional<Branching> branching(Location location, ProviderContext context) {
    NeonLocation loc = NeonLocation.parse(location);
    return Optional.of(new NeonBranching(ops(context, loc.projectId())));
  }

  /** Health checks of the project at {@code neon://PROJECT_ID}. */
  public NeonHealth health(Location location, ProviderContext context) {
    NeonLocation loc = NeonLocation.parse(location);
    return new NeonHealth(NeonClient.create(context), loc.projectId(), context.clock());
  }

  private static Function<String, NeonProjectOps> projects(ProviderContext context) {
    return projectId -> ops(context, projectId);
  }

  private static NeonProjectOps ops(ProviderContext context, String projectId) {
    return new NeonProjectOps(NeonClient.create(context), projectId, context.clock());
  }
}
