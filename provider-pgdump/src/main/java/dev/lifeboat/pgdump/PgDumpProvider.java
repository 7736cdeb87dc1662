package dev.lifeboat.pgdump;

import dev.lifeboat.Location;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.Branching;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import dev.lifeboat.spi.Restorer;
import dev.lifeboat.spi.ScratchDatabases;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The PostgreSQL provider: sources ({@code pg_dump}), a restorer ({@code pg_restore}), a verifier
 * and template branching for {@code postgresql://}, {@code postgres://} and
 * {@code jdbc:postgresql://} locations.
 *
 * <p>Settings: {@code pgdump.bin} (folder of pg_dump and pg_restore), {@code pgdump.branchPrefix},
 * {@code pgdump.terminateTemplateConnections}, {@code lifeboat.scratchDir}. Secrets:
 * {@code PGPASSWORD}, {@code PGPASSFILE}.
 */
public final class PgDumpProvider implements LifeboatProvider {
  /** The schemes served. */
  public static final Set<String> SCHEMES = PgLocation.SCHEMES;

  /** Created by {@link java.util.ServiceLoader}. */
  public PgDumpProvider() {
    // Stateless: every part is created per call from the location and the context.
  }

  @Override
  public String name() {
    return "pgdump";
  }

  @Override
  public Set<String> schemes() {
    return SCHEMES;
  }
  @Override
  public Set<String> settingKeys() {
    return Set.of("pgdump.bin",
        "pgdump.branchPrefix",
        "pgdump.terminateTemplateConnections");
  }


  @Override
  public Optional<BackupSource> source(Location location, ProviderContext context) {
    return Optional.of(new PgBackupSource(PgLocation.parse(location, context.secrets()).requireOneServer(), context));
  }

  @Override
  public List<Restorer> restorers(ProviderContext context) {
    return List.of(new PgRestorer(context));
  }

  @Override
  public List<RestoreVerifier> verifiers(ProviderContext context) {
    return List.of(new PgRestoreVerifier(context));
  }

  @Override
  public Optional<Branching> branching(Location location, ProviderContext context) {
    return Optional.of(new PgTemplateBranching(PgLocation.parse(location, context.secrets()).requireOneServer(), context));
  }

  @Override
  public Optional<ScratchDatabases> scratch(Location location, ProviderContext context) {
    return Optional.of(new PgScratchDatabases(PgLocation.parse(location, context.secrets()).requireOneServer()));
  }
}
