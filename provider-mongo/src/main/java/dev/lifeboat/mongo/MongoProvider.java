package dev.lifeboat.mongo;

import dev.lifeboat.Location;
import dev.lifeboat.mongo.jsonb.JsonbStandbyRestorer;
import dev.lifeboat.mongo.jsonb.JsonbStandbyVerifier;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import dev.lifeboat.spi.Restorer;
import dev.lifeboat.spi.ScratchDatabases;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Lifeboat's MongoDB provider. Serves {@code mongodb://} and {@code mongodb+srv://} sources, whose
 * dumps are mongodump-compatible archives ({@code mongo-archive}, gzip by default so that
 * {@code mongorestore --archive --gzip} reads them), and restores them into MongoDB or into
 * PostgreSQL as a JSONB standby ({@code postgresql://} destinations), each with its verifier.
 *
 * <p>Settings: {@code mongo.parallelCollections} (collections read at once, default 4),
 * {@code mongo.batchSize} (cursor batch, default 1000), {@code mongo.chunkBytes} (reader-to-writer
 * chunk, default 256 KiB), {@code mongo.insertBatch} (documents per insertMany, default 1000),
 * {@code mongo.serverSelectionTimeoutMs} (how long to wait for a reachable server, SRV lookup
 * included, default 5000; a {@code serverSelectionTimeoutMS} URI option wins), {@code mongo.jsonbSchema} (default
 * {@code public}). Secrets: {@code MONGODB_USERNAME}, {@code MONGODB_PASSWORD}; for the standby, as
 * for any PostgreSQL location, {@code PGUSER}, {@code PGPASSWORD} and {@code PGPASSFILE}.
 */
public final class MongoProvider implements LifeboatProvider {

  @Override
  public String name() {
    return "mongo";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("mongodb", "mongodb+srv");
  }
  @Override
  public Set<String> settingKeys() {
    return Set.of(MongoSettings.PARALLEL_COLLECTIONS, MongoSettings.BATCH_SIZE, MongoSettings.CHUNK_BYTES,
        MongoSettings.INSERT_BATCH, MongoSettings.SERVER_SELECTION_TIMEOUT_MS, JsonbStandbyRestorer.SCHEMA_SETTING);
  }


  @Override
  public Optional<BackupSource> source(Location location, ProviderContext context) {
    if (!isMongo(location)) {
      return Optional.empty();
    }
    return Optional.of(new MongoBackupSource(MongoUri.parse(location), context));
  }

  @Override
  public Optional<ScratchDatabases> scratch(Location location, ProviderContext context) {
    return Optional.of(new MongoScratchDatabases(MongoUri.parse(location), context));
  }

  @Override
  public List<Restorer> restorers(ProviderContext context) {
    return List.of(new MongoRestorer(context), new JsonbStandbyRestorer(context));
  }

  @Override
  public List<RestoreVerifier> verifiers(ProviderContext context) {
    return List.of(new MongoVerifier(context), new JsonbStandbyVerifier(context));
  }

  static boolean isMongo(Location location) {
    return location.scheme().equals("mongodb") || location.scheme().equals("mongodb+srv");
  }
}
