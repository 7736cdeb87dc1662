package dev.lifeboat.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Formats;
import dev.lifeboat.Inventory;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.mongo.archive.CollectionMetadata;
import dev.lifeboat.mongo.archive.CollectionNames;
import dev.lifeboat.mongo.archive.Namespace;
import dev.lifeboat.mongo.archive.ServerVersion;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.Dump;
import dev.lifeboat.spi.ProviderContext;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MongoDB database as a backup source. Dumps are mongodump archives ({@code mongo-archive}); the
 * inventory lists every collection, view and time series with its exact document count, index
 * names, index specifications and options. System collections (other than {@code system.js}) and
 * names holding {@code $} are left out, as mongodump does.
 *
 * <p>A dump reads up to {@code jobs} collections at once when {@link DumpOptions#jobsGiven()} (the
 * command line's {@code --jobs N}), else {@code mongo.parallelCollections} (default 4); both given
 * with different numbers is refused before anything is read (see {@link MongoSettings#readers}).
 * The number is recorded in the manifest's {@code mongo.parallelCollections} property and in the
 * archive header's {@code concurrent_collections}.
 */
final class MongoBackupSource implements BackupSource {
  private static final Logger LOG = LoggerFactory.getLogger(MongoBackupSource.class);

  private final MongoUri uri;
  private final ProviderContext context;
  private MongoClient client;
  private String serverVersion;

  MongoBackupSource(MongoUri uri, ProviderContext context) {
    this.uri = uri;
    this.context = context;
  }

  private synchronized MongoDatabase database() {
    if (client == null) {
      client = uri.connect(context.secrets(), new MongoSettings(context, null).serverSelectionTimeoutMs());
    }
    return client.getDatabase(uri.database());
  }

  private synchronized String serverVersion() {
    if (serverVersion == null) {
      try {
        BsonDocument info = database().runCommand(new BsonDocument("buildInfo", new org.bson.BsonInt32(1)), BsonDocument.class);
        serverVersion = info.isString("version") ? info.getString("version").getValue() : "unknown";
      } catch (RuntimeException e) {
        throw MongoErrors.wrap(e, "Reading the server version", uri, ErrorCode.SOURCE_FAILED);
      }
    }
    return serverVersion;
  }

  @Override
  public SourceFingerprint fingerprint() {
    return new SourceFingerprint("mongodb", serverVersion(), uri.database(), uri.location().redacted());
  }

  @Override
  public Inventory inventory() {
    List<InventoryItem> items = new ArrayList<>();
    try {
      MongoDatabase db = database();
      for (CollectionSpec spec : specs(DumpOptions.defaults())) {
        long count = spec.isView() ? -1 : db.getCollection(spec.dataCollection()).countDocuments();
        items.add(spec.inventoryItem(count));
      }
    } catch (RuntimeException e) {
      throw MongoErrors.wrap(e, "Listing collections", uri, ErrorCode.SOURCE_FAILED);
    }
    return new Inventory(items);
  }

  @Override
  public Compression defaultCompression() {
    return Compression.GZIP;
  }

  @Override
  public Dump dump(DumpOptions options) {
    String format = options.format().orElse(Formats.MONGO_ARCHIVE);
    if (!format.equals(Formats.MONGO_ARCHIVE)) {
      throw new LifeboatException(ErrorCode.UNSUPPORTED,
          "MongoDB sources dump only in the " + Formats.MONGO_ARCHIVE + " format, not '" + format + "'.");
    }
    refusePostgresOnly(options);
    MongoSettings settings = new MongoSettings(context, options.extra());
    int readers = settings.readers(options);
    SourceFingerprint fingerprint = fingerprint();
    java.time.Instant started = context.clock().instant();
    List<CollectionSpec> specs;
    try {
      specs = specs(options);
    } catch (RuntimeException e) {
      throw MongoErrors.wrap(e, "Listing collections", uri, ErrorCode.SOURCE_FAILED);
    }
    LOG.info("Dumping {} collections of {} with {} readers", specs.size(), uri, readers);
    return new MongoArchiveDump(database(), specs, fingerprint, started, readers,
        settings.batchSize(), settings.chunkBytes(), context.progress());
  }

  /**
   * Refuses the options that only mean something to pg_dump. Ignoring them would store a snapshot
   * other than the one asked for: all documents for a "schema only" backup, every collection for a
   * schema that does not exist in MongoDB.
   */
  private void refusePostgresOnly(DumpOptions options) {
    List<String> given = new ArrayList<>();
    if (!options.includeSchemas().isEmpty()) {
      given.add("--schema");
    }
    if (!options.excludeSchemas().isEmpty()) {
      given.add("--exclude-schema");
    }
    if (options.schemaOnly()) {
      given.add("--schema-only");
    }
    if (options.dataOnly()) {
      given.add("--data-only");
    }
    if (options.noOwner()) {
      given.add("--no-owner");
    }
    if (options.noPrivileges()) {
      given.add("--no-privileges");
    }
    if (!given.isEmpty()) {
      throw new LifeboatException(ErrorCode.UNSUPPORTED, "A MongoDB source " + uri + " has no schemas, owners or "
          + "privileges, so " + String.join(", ", given) + " cannot apply. Remove " + (given.size() == 1 ? "it" : "them")
          + "; pick collections with --table and --exclude-table.");
    }
  }

  /** The collections to dump, in listCollections order, with their indexes. */
  List<CollectionSpec> specs(DumpOptions options) {
    MongoDatabase db = database();
    List<Pattern> include = options.includeTables().stream().map(CollectionNames::glob).toList();
    List<Pattern> exclude = options.excludeTables().stream().map(CollectionNames::glob).toList();
    List<CollectionSpec> specs = new ArrayList<>();
    boolean anyCollection = false;
    for (BsonDocument info : db.listCollections(BsonDocument.class)) {
      anyCollection = true;
      String name = info.getString("name").getValue();
      if (CollectionNames.skipped(name)) {
        continue;
      }
      if (!include.isEmpty() && include.stream().noneMatch(p -> p.matcher(name).matches())) {
        continue;
      }
      if (exclude.stream().anyMatch(p -> p.matcher(name).matches())) {
        continue;
      }
      specs.add(describe(db, info, name));
    }
    if (!anyCollection) {
      // MongoDB has no empty databases: one without collections does not exist, most likely a
      // misspelt name, whose nightly backups would otherwise be empty snapshots that pass every check.
      throw new LifeboatException(ErrorCode.NOT_FOUND, "Database '" + uri.database() + "' does not exist at " + uri
          + " (it holds no collections). Check the database name.");
    }
    if (!options.includeTables().isEmpty() && specs.isEmpty()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "No collection of " + uri + " matches "
          + options.includeTables() + ". Check the names (they are case-sensitive; * matches any characters).");
    }
    return specs;
  }

  private CollectionSpec describe(MongoDatabase db, BsonDocument info, String name) {
    String type = info.isString("type") ? info.getString("type").getValue() : CollectionMetadata.COLLECTION;
    BsonDocument options = info.isDocument("options") ? info.getDocument("options") : new BsonDocument();
    if (options.containsKey("viewOn")) {
      type = CollectionMetadata.VIEW;
    }
    String uuid = "";
    BsonDocument ci = info.isDocument("info") ? info.getDocument("info") : new BsonDocument();
    BsonValue u = ci.get("uuid");
    if (u != null && u.isBinary()) {
      uuid = HexFormat.of().formatHex(u.asBinary().getData());
    }
    if (CollectionMetadata.VIEW.equals(type)) {
      return new CollectionSpec(uri.database(), name, type, options, List.of(), uuid, null);
    }
    String dataCollection = name;
    if (CollectionMetadata.TIMESERIES.equals(type)) {
      if (ServerVersion.parse(serverVersion()).atLeast(8, 3)) {
        throw new LifeboatException(ErrorCode.UNSUPPORTED, "Time-series collection " + name + " of " + uri
            + " is on a server " + serverVersion() + " (8.3 or later), whose bucket data Lifeboat cannot read yet. "
            + "Leave it out with an exclude (--exclude-table " + name + ").");
      }
      dataCollection = Namespace.BUCKETS_PREFIX + name;
    }
    List<BsonDocument> indexes = new ArrayList<>();
    db.getCollection(name).listIndexes(BsonDocument.class).into(indexes);
    return new CollectionSpec(uri.database(), name, type, options, indexes, uuid, dataCollection);
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
