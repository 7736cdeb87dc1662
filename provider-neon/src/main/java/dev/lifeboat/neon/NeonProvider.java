package dev.lifeboat.neon;

import dev.lifeboat.Location;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.Branching;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import dev.lifeboat.spi.Restorer;
import dev.lifeboat.spi.NativeSnapshots;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Serves {@code neon:} locations: {@code neon://PROJECT_ID} as native snapshots (backup branches)
 * and as a branching platform; {@code neon://PROJECT_ID/BRANCH[?database=…&role=…]} as a source
 * (a logical dump through the PostgreSQL provider), a restore destination and a verification
 * subject. Needs the Neon API key in {@code NEON_API_KEY} (or the setting {@code neon.apiKey});
 * see {@link NeonSettings} for the rest.
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


  @Override
  public Optional<BackupSource> source(Location location, ProviderContext context) {
    NeonLocation loc = NeonLocation.parse(location);
    if (loc.branch() == null) {
      return Optional.empty();
    }
    return Optional.of(new NeonBackupSource(ops(context, loc.projectId()), loc, context));
  }

  @Override
  public Optional<NativeSnapshots> nativeSnapshots(Location location, ProviderContext context) {
    NeonLocation loc = NeonLocation.parse(location);
    if (loc.branch() != null) {
      return Optional.empty();
    }
    return Optional.of(new NeonSnapshotTarget(ops(context, loc.projectId())));
  }

  @Override
  public List<Restorer> restorers(ProviderContext context) {
    return List.of(new NeonRestorer(context, projects(context)));
  }

  @Override
  public List<RestoreVerifier> verifiers(ProviderContext context) {
    return List.of(new NeonVerifier(context, projects(context)));
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
