package dev.lifeboat.mongo.jsonb;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Progress;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.mongo.archive.ArchiveRestorer;
import dev.lifeboat.mongo.archive.ArchiveVisitor;
import dev.lifeboat.mongo.archive.CollectionMetadata;
import dev.lifeboat.mongo.archive.MongoArchiveReader;
import dev.lifeboat.mongo.archive.Namespace;
import dev.lifeboat.mongo.archive.NamespaceStats;
import dev.lifeboat.mongo.archive.RestorePlan;
import dev.lifeboat.mongo.archive.ShutdownSignal;
import dev.lifeboat.postgres.PgConnections;
import dev.lifeboat.postgres.PgDatabases;
import dev.lifeboat.postgres.PgErrors;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.postgres.Sql;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreJob;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a {@code mongo-archive} into PostgreSQL as a JSONB standby: one table per collection
 * with {@code _id text} (canonical Extended JSON of the id) and {@code data jsonb} (see
 * {@link StandbyJson}), loaded with {@code COPY … FROM STDIN WITH (FREEZE)} (allowed because the
 * tables are created in the same transaction, it spares a later vacuum) from BSON bytes encoded
 * straight into COPY's text format; the primary key on {@code _id} is added after the load, which
 * is faster than maintaining it row by row. The whole load is one transaction, so a failed restore leaves no table
 * behind, and a database the restore created for it is dropped again. Views have no documents and
 * get no table. Replacing drops the tables the restore brings back, and is refused before anything
 * changes when the schema holds other tables, since the result would not equal the snapshot.
 */
public final class JsonbStandbyRestorer extends ArchiveRestorer {
  /** The setting naming the schema of the standby's tables (default {@code public}; a {@code currentSchema} URI parameter wins). */
  public static final String SCHEMA_SETTING = StandbySchema.SETTING;

  private static final Logger LOG = LoggerFactory.getLogger(JsonbStandbyRestorer.class);
  private static final int COPY_BUFFER = 1 << 20;

  /** A restorer that takes settings and the destination's secrets from {@code context}. */
  public JsonbStandbyRestorer(ProviderContext context) {
    super(context);
  }

  @Override
  public boolean accepts(Location destination) {
    return PgLocation.accepts(destination);
  }

  /**
   * The whole load (tables, rows, keys, a replace's drops) is one transaction, committed after the
   * archive's last byte was read: core can check the stored bytes during that one read.
   */
  @Override
  public Reading reading(Manifest manifest, RestoreOptions options) {
    return Reading.STREAM_COMMITTING_AT_END;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A missing destination database is created first, as restores into PostgreSQL do, and
   * dropped again when the restore fails. More than one job is refused ({@code UNSUPPORTED}, before
   * anything is read or created): the load is one transaction on one connection, so more jobs
   * could not load anything at once.
   */
  @Override
  public RestoreResult restore(RestoreJob job) {
    if (job.options().jobs() > 1) {
      throw new LifeboatException(ErrorCode.UNSUPPORTED, "A JSONB standby loads in one transaction on one connection, so --jobs "
          + job.options().jobs() + " cannot apply to " + job.destination().redacted()
          + ". Leave --jobs out; nothing was changed.");
    }
    PgLocation dest = PgLocation.parse(job.destination(), context.secrets());
    String schema = StandbySchema.of(dest, context.settings(), job.options().extra());
    ShutdownSignal.watch();
    boolean created = PgDatabases.createIfMissing(dest);
    try {
      return load(job, dest, schema);
    } catch (RuntimeException | Error e) {
      // The transaction rolled back; a database this restore created goes too (its connection is closed by now).
      PgDatabases.dropIfCreated(dest, created, e);
      throw e;
    }
  }

  private RestoreResult load(RestoreJob job, PgLocation dest, String schema) {
    long started = System.nanoTime();
    Manifest manifest = job.archive().manifest();
    try (InputStream in = job.archive().open();
        MongoArchiveReader reader = MongoArchiveReader.open(in);
        Connection conn = PgConnections.open(dest)) {
      RestorePlan plan = RestorePlan.of(reader.prelude(), manifest, job.options().tables());
      Map<String, String> tableNames = TableNames.derive(plan.allNames());
      List<CollectionMetadata> tables = plan.selected().stream().filter(e -> !e.isView()).toList();
      conn.setAutoCommit(false);
      prepare(conn, dest, manifest, schema, plan, tableNames, job.options().replace());
      CopyLoader loader = new CopyLoader(conn, plan, schema, tableNames, job);
      long loadStart = System.nanoTime();
      try {
        reader.readAll(loader);
        loader.endCopy();
      } finally {
        loader.cancel();
      }
      long loaded = System.nanoTime();
      try (Statement st = conn.createStatement()) {
        for (CollectionMetadata e : tables) {
          st.execute("ALTER TABLE " + Sql.qualified(schema, tableNames.get(e.collection())) + " ADD PRIMARY KEY (_id)");
        }
      }
      long keyed = System.nanoTime();
      conn.commit();
      long committed = System.nanoTime();
      Map<String, String> details = new LinkedHashMap<>();
      details.put("documents", Long.toString(loader.total));
      details.put("schema", schema);
      details.put("loader", "COPY FROM STDIN");
      for (CollectionMetadata e : tables) {
        details.put("table." + e.collection(), tableNames.get(e.collection()));
      }
      List<String> views = plan.selected().stream().filter(CollectionMetadata::isView).map(CollectionMetadata::collection).toList();
      if (!views.isEmpty()) {
        details.put("skippedViews", String.join(",", views));
      }
      LOG.info("Loaded {} documents into {} JSONB tables of {} (COPY {} ms, primary keys {} ms, commit {} ms)", loader.total,
          tables.size(), dest, millis(loaded - loadStart), millis(keyed - loaded), millis(committed - keyed));
      return new RestoreResult(manifest.id(), dest.redacted(), manifest.format(),
          tables.stream().map(CollectionMetadata::collection).toList(), Duration.ofNanos(System.nanoTime() - started), details, null);
    } catch (SQLException e) {
      throw PgErrors.map(e, dest, "loading snapshot " + manifest.id(), ErrorCode.RESTORE_FAILED);
    } catch (IOException e) {
      throw readFailure(manifest, e);
    }
  }

  private static void prepare(Connection conn, PgLocation dest, Manifest manifest, String schema, RestorePlan plan,
      Map<String, String> tableNames, boolean replace) throws SQLException {
    List<CollectionMetadata> tables = plan.selected().stream().filter(e -> !e.isView()).toList();
    if (replace) {
      Set<String> inSnapshot = plan.all().stream().filter(e -> !e.isView()).map(e -> tableNames.get(e.collection()))
          .collect(Collectors.toSet());
      List<String> extras = relations(conn, schema).stream().filter(t -> !inSnapshot.contains(t)).toList();
      refuseExtras(extras, "tables in schema " + schema, dest, manifest);
    }
    List<String> wanted = tables.stream().map(e -> tableNames.get(e.collection())).toList();
    List<String> existing = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "WHERE n.nspname = ? AND c.relname = ANY (?) ORDER BY 1")) {
      ps.setString(1, schema);
      ps.setArray(2, conn.createArrayOf("text", wanted.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          existing.add(rs.getString(1));
        }
      }
    }
    try (Statement st = conn.createStatement()) {
      refuseOrDrop(existing, replace, "The destination " + dest + " already has tables " + existing + " in schema "
          + schema + ". Restore into another database or schema, or ask to replace them (--replace), which drops them first.", dest,
          t -> st.execute("DROP TABLE " + Sql.qualified(schema, t)));
      st.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.ident(schema));
      for (CollectionMetadata e : tables) {
        String table = Sql.qualified(schema, tableNames.get(e.collection()));
        st.execute("CREATE TABLE " + table + " (_id text NOT NULL, data jsonb NOT NULL)");
        st.execute("COMMENT ON TABLE " + table + " IS " + Sql.literal("MongoDB " + e.kind() + " " + e.db() + "." + e.collection()
            + " (Lifeboat JSONB standby)"));
      }
    }
  }

  /** The tables, views, materialized views and foreign tables of {@code schema}. */
  private static List<String> relations(Connection conn, String schema) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  /**
   * Streams the selected namespaces' documents into their tables through {@code COPY}. A namespace
   * whose documents arrive in several segments gets one {@code COPY} per segment.
   */
  private static final class CopyLoader implements ArchiveVisitor {
    private final PGConnection pg;
    private final RestorePlan plan;
    private final String schema;
    private final Map<String, String> tableNames;
    private final RestoreJob job;
    private final byte[] buffer = new byte[COPY_BUFFER];
    private final StandbyJsonEncoder encoder = new StandbyJsonEncoder();
    private int used;
    private CopyIn copy;
    private Namespace copying;
    private long total;
    private long bytes;

    CopyLoader(Connection conn, RestorePlan plan, String schema, Map<String, String> tableNames, RestoreJob job) throws SQLException {
      this.pg = conn.unwrap(PGConnection.class);
      this.plan = plan;
      this.schema = schema;
      this.tableNames = tableNames;
      this.job = job;
      encoder.copyEscape(true);
    }

    @Override
    public boolean wants(Namespace ns) {
      CollectionMetadata e = plan.byDataNamespace().get(ns);
      return e != null && !e.isView();
    }

    @Override
    public void document(Namespace ns, byte[] bson) {
      try {
        if (!ns.equals(copying)) {
          endCopy();
          CollectionMetadata e = plan.byDataNamespace().get(ns);
          copy = pg.getCopyAPI().copyIn("COPY " + Sql.qualified(schema, tableNames.get(e.collection())) + " (_id, data) FROM STDIN WITH (FREEZE)");
          copying = ns;
        }
        encoder.reset();
        if (!encoder.id(bson, 0)) {
          throw new LifeboatException(ErrorCode.RESTORE_FAILED, "A document of " + ns
              + " has no _id, which the JSONB standby's primary key needs. Restore that collection into MongoDB instead.");
        }
        encoder.ascii('\t');
        encoder.data(bson, 0);
        encoder.ascii('\n');
        write(encoder.buffer(), encoder.length());
        total++;
        bytes += bson.length;
        if ((total & 0x3FFF) == 0) {
          job.progress().onProgress(new Progress("restore", bytes, total, ns.collection()));
        }
      } catch (SQLException e) {
        throw new LifeboatException(ErrorCode.RESTORE_FAILED, "COPY into the table of " + ns + " failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void endOfNamespace(Namespace ns, NamespaceStats stats) {
      if (ns.equals(copying)) {
        try {
          endCopy();
        } catch (SQLException e) {
          throw new LifeboatException(ErrorCode.RESTORE_FAILED, "COPY into the table of " + ns + " failed: " + e.getMessage(), e);
        }
      }
    }

    private void write(byte[] bytes, int length) throws SQLException {
      if (used + length > buffer.length) {
        flush();
      }
      if (length > buffer.length) {
        copy.writeToCopy(bytes, 0, length);
        return;
      }
      System.arraycopy(bytes, 0, buffer, used, length);
      used += length;
    }

    private void flush() throws SQLException {
      if (ShutdownSignal.stopping()) {
        // Ends the load while there is time to roll it back and drop a database the restore created.
        throw new LifeboatException(ErrorCode.ABORTED, "Restoring snapshot " + job.archive().manifest().id()
            + " was stopped because the process is shutting down.\n"
            + "The destination is unchanged: the load was rolled back (a database it created is dropped).");
      }
      if (used > 0) {
        copy.writeToCopy(buffer, 0, used);
        used = 0;
      }
    }

    void endCopy() throws SQLException {
      if (copy != null) {
        flush();
        copy.endCopy();
        copy = null;
        copying = null;
      }
    }

    void cancel() {
      if (copy != null && copy.isActive()) {
        try {
          copy.cancelCopy();
        } catch (SQLException e) {
          LOG.debug("Cancelling COPY failed: {}", e.getMessage());
        }
      }
    }
  }
}
