package dev.lifeboat.pgdump;

import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Formats;
import dev.lifeboat.Inventory;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.ManifestKeys;
import dev.lifeboat.Progress;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.postgres.PgCatalog;
import dev.lifeboat.postgres.PgConnections;
import dev.lifeboat.postgres.PgErrors;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.postgres.PgTools;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.Dump;
import dev.lifeboat.spi.ProviderContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live PostgreSQL database backed up with {@code pg_dump}. The dump runs in a snapshot exported
 * from a {@code REPEATABLE READ} transaction of this source's own connection, and the exact row
 * counts are taken in that same snapshot, so the manifest's counts are exactly what the archive
 * holds.
 *
 * <p>Formats: {@code pg-custom} (default; streamed from pg_dump's standard output) and
 * {@code pg-directory} (pg_dump {@code -Fd} with parallel jobs into a scratch folder, streamed as
 * a tar when pg_dump has finished). Extra options: {@code pg.compressLevel} (pg_dump's own
 * compression, used only when Lifeboat's outer compression is {@code NONE}). Parallel jobs apply to
 * the directory format only; pg_dump writes custom archives with one process.
 *
 * <p>Once the snapshot is exported, and before pg_dump starts, the context's progress listener
 * receives a {@code snapshot} report whose detail is the snapshot id.
 */
public final class PgBackupSource implements BackupSource {
  private static final Logger LOG = LoggerFactory.getLogger(PgBackupSource.class);

  private final PgLocation connection;
  private final ProviderContext context;

  /**
   * A source for {@code connection}, parsed with its password ({@link PgLocation#parse(dev.lifeboat.Location,
   * dev.lifeboat.spi.SecretResolver)}); nothing connects until a method is called.
   */
  public PgBackupSource(PgLocation connection, ProviderContext context) {
    this.connection = connection;
    this.context = context;
  }

  @Override
  public SourceFingerprint fingerprint() {
    try (Connection c = PgConnections.open(connection); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('server_version'), current_database()")) {
      rs.next();
      return new SourceFingerprint("postgresql", rs.getString(1), rs.getString(2), connection.redacted());
    } catch (SQLException e) {
      throw failure("reading the server version", e);
    }
  }

  @Override
  public Inventory inventory() {
    try (Connection c = PgConnections.open(connection); Statement st = c.createStatement()) {
      st.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      try {
        return new Inventory(PgCatalog.items(c, PgCatalog.relations(c), true, true));
      } finally {
        st.execute("ROLLBACK");
      }
    } catch (SQLException e) {
      throw failure("reading the inventory", e);
    }
  }

  /** zstd on the other core beats pg_dump's own single-threaded gzip at a similar size. */
  @Override
  public Compression defaultCompression() {
    return Compression.ZSTD;
  }

  @Override
  public Dump dump(DumpOptions options) {
    String format = options.format().orElse(Formats.PG_CUSTOM);
    if (!Set.of(Formats.PG_CUSTOM, Formats.PG_DIRECTORY).contains(format)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "PostgreSQL dumps come in formats " + Formats.PG_CUSTOM + " and "
          + Formats.PG_DIRECTORY + ", not '" + format + "'.");
    }
    if (format.equals(Formats.PG_CUSTOM) && options.jobs() > 1) {
      // pg_dump writes a custom archive with one process: jobs would be silently ignored.
      throw new LifeboatException(ErrorCode.CONFIGURATION, "--jobs " + options.jobs() + " needs the directory format: pg_dump"
          + " writes a " + Formats.PG_CUSTOM + " archive with one process. Add --format " + Formats.PG_DIRECTORY
          + " (staged in the scratch folder until pg_dump has finished), or leave --jobs out.");
    }
    // Asked while the connection is made: which pg_dump to run depends on the server's version.
    PgTools.Probe installed = PgTools.probeInBackground(context, "pg_dump");
    Connection c = PgConnections.open(connection);
    PgDump dump = null;
    try {
      Statement st = c.createStatement();
      st.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      String snapshot;
      Instant consistentAt;
      String serverVersion;
      int serverMajor;
      String database;
      try (ResultSet rs = st.executeQuery("SELECT pg_catalog.pg_export_snapshot(), now(), current_setting('server_version'),"
          + " current_setting('server_version_num')::int, current_database()")) {
        rs.next();
        snapshot = rs.getString(1);
        consistentAt = rs.getTimestamp(2).toInstant();
        serverVersion = rs.getString(3);
        serverMajor = PgTools.majorOfServer(rs.getInt(4));
        database = rs.getString(5);
      }
      st.close();
      PgTools tools = installed.select(serverMajor, "PostgreSQL server " + serverVersion);
      SourceFingerprint fingerprint = new SourceFingerprint("postgresql", serverVersion, database, connection.redacted());
      context.progress().onProgress(new Progress("snapshot", 0, -1, snapshot));
      Path scratch = format.equals(Formats.PG_DIRECTORY) ? Scratch.create(context, "lifeboat-pgdump-") : null;
      List<String> args = arguments(options, format, snapshot, scratch);
      List<String> command = new ArrayList<>();
      command.add(tools.pgDump().toString());
      command.addAll(args);
      LOG.info("Dumping {} with {} {} (snapshot {})", connection, tools.pgDump(), tools.version(), snapshot);
      dump = new PgDump(c, connection, command, format, scratch, fingerprint, consistentAt,
          properties(tools, format, args, options, connection), new DumpSelection(options), !options.schemaOnly(), !options.dataOnly());
      dump.start();
      return dump;
    } catch (SQLException e) {
      closeQuietly(c);
      throw failure("starting the dump", e);
    } catch (RuntimeException e) {
      if (dump != null) {
        dump.close();
      } else {
        closeQuietly(c);
      }
      throw e;
    }
  }

  /** pg_dump's arguments; the connection travels in the environment. */
  static List<String> arguments(DumpOptions options, String format, String snapshot, Path folder) {
    List<String> a = new ArrayList<>();
    a.add("--snapshot=" + snapshot);
    if (format.equals(Formats.PG_DIRECTORY)) {
      a.add("--format=directory");
      a.add("--jobs=" + options.jobs());
      a.add("--file=" + folder.resolve("dump"));
    } else {
      a.add("--format=custom");
    }
    Compression outer = options.compression().orElse(Compression.NONE);
    if (outer != Compression.NONE) {
      a.add("--compress=0");
    } else if (options.extra().containsKey("pg.compressLevel")) {
      a.add("--compress=" + Integer.parseInt(options.extra().get("pg.compressLevel").trim()));
    }
    options.includeSchemas().forEach(s -> a.add("--schema=" + s));
    options.excludeSchemas().forEach(s -> a.add("--exclude-schema=" + s));
    options.includeTables().forEach(t -> a.add("--table=" + t));
    options.excludeTables().forEach(t -> a.add("--exclude-table=" + t));
    if (options.schemaOnly()) {
      a.add("--schema-only");
    }
    if (options.dataOnly()) {
      a.add("--data-only");
    }
    if (options.noOwner()) {
      a.add("--no-owner");
    }
    if (options.noPrivileges()) {
      a.add("--no-privileges");
    }
    a.add("--no-password");
    return a;
  }

  private static Map<String, String> properties(PgTools tools, String format, List<String> args, DumpOptions options,
      PgLocation connection) {
    Map<String, String> p = new LinkedHashMap<>();
    // The server actually dumped, even when a platform (a Neon branch) names the source otherwise:
    // restores use it to refuse overwriting that database.
    p.put(ManifestKeys.PG_SOURCE, connection.redacted());
    p.put("pg.dumpTool", tools.pgDump().toString());
    p.put(ManifestKeys.PG_DUMP_TOOL_VERSION, tools.version());
    p.put(ManifestKeys.PG_DUMP_TOOL_MAJOR, Integer.toString(tools.major()));
    p.put("pg.format", format);
    p.put("pg.dumpArgs", String.join(" ", args.stream().filter(s -> !s.startsWith("--snapshot=") && !s.startsWith("--file=")).toList()));
    p.put("pg.schemaOnly", Boolean.toString(options.schemaOnly()));
    p.put(ManifestKeys.PG_DATA_ONLY, Boolean.toString(options.dataOnly()));
    p.put(ManifestKeys.PG_NO_OWNER, Boolean.toString(options.noOwner()));
    p.put("pg.noPrivileges", Boolean.toString(options.noPrivileges()));
    return p;
  }

  private LifeboatException failure(String what, SQLException e) {
    return PgErrors.map(e, connection, what, ErrorCode.SOURCE_FAILED);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // The connection is being abandoned after another failure.
    }
  }

  @Override
  public String toString() {
    return "PgBackupSource[" + connection + "]";
  }
}
