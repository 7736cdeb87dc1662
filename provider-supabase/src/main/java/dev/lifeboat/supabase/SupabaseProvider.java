package dev.lifeboat.supabase;

import dev.lifeboat.Location;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.NativeSnapshots;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import dev.lifeboat.spi.Restorer;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Serves {@code supabase://PROJECT_REF}: as a source, a Supabase-aware logical dump of the
 * project's database ({@link SupabaseBackupSource}); as a target, the platform's own backups and
 * point-in-time window ({@link SupabaseNativeSnapshots}). Its restorer loads such dumps into plain
 * PostgreSQL. Secrets: {@code SUPABASE_ACCESS_TOKEN}, {@code SUPABASE_DB_PASSWORD},
 * {@code SUPABASE_DB_URL}; {@code SUPABASE_API_URL} replaces the Management API's URL. The settings
 * and their ranges are listed in {@link SupabaseSettings}.
 */
public final class SupabaseProvider implements LifeboatProvider {

  /** Created by {@link java.util.ServiceLoader}. */
  public SupabaseProvider() {
    // Stateless: every part is created per call from the location and the context.
  }

  @Override
  public String name() {
    return "supabase";
  }

  @Override
  public Set<String> schemes() {
    return Set.of(SupabaseLocation.SCHEME);
  }

  @Override
  public Set<String> settingKeys() {
    return SupabaseSettings.KEYS;
  }

  /** The project's database, reached directly, through the pooler or through {@code SUPABASE_DB_URL}. */
  @Override
  public Optional<BackupSource> source(Location location, ProviderContext context) {
    SupabaseLocation project = SupabaseLocation.parse(location);
    SupabaseSettings settings = SupabaseSettings.from(context);
    SupabaseConnections connections = new SupabaseConnections(context, settings, () -> SupabaseApi.create(context, settings));
    return Optional.of(new SupabaseBackupSource(project, connections.resolve(project.ref()), DumpRules.standard(), context));
  }

  @Override
  public Optional<NativeSnapshots> nativeSnapshots(Location location, ProviderContext context) {
    SupabaseLocation project = SupabaseLocation.parse(location);
    SupabaseSettings settings = SupabaseSettings.from(context);
    return Optional.of(new SupabaseNativeSnapshots(project, SupabaseApi.create(context, settings), settings, context));
  }

  @Override
  public List<Restorer> restorers(ProviderContext context) {
    return List.of(new SupabaseRestorer(context));
  }

  @Override
  public List<RestoreVerifier> verifiers(ProviderContext context) {
    return List.of(new SupabaseVerifier(context));
  }
}
