package dev.lifeboat.pgdump;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.spi.Archive;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreJob;
import dev.lifeboat.spi.Restorer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code pg-custom} and {@code pg-directory} archives into PostgreSQL with
 * {@code pg_restore}. Before changing anything it refuses the snapshot's own source database
 * (unless confirmed with its name) and a destination that already holds objects (unless asked to
 * replace them); it creates a missing destination database when the role may.
 *
 * <p>One job streams the archive into pg_restore's standard input inside a single transaction, so
 * a failed load leaves the destination as it was. More jobs need a seekable file, unpacked into
 * the scratch folder (setting {@code lifeboat.scratchDir}). Extra options: {@code pg.noOwner},
 * {@code pg.noPrivileges}, {@code pg.disableTriggers} ({@code true}/{@code false}).
 */
public final class PgRestorer implements Restorer {
  /** Manifest property with the redacted URI of the PostgreSQL database a dump was read from. */
  static final String SOURCE_PROPERTY = "pg.source";

  private static final Logger LOG = LoggerFactory.getLogger(PgRestorer.class);
  private static final Set<String> FORMATS = Set.of(PgBackupSource.FORMAT_CUSTOM, PgBackupSource.FORMAT_DIRECTORY);

  private final ProviderContext context;

  /** A restorer that takes settings ({@code pgdump.bin}, {@code lifeboat.scratchDir}) and secrets from {@code context}. */
  public PgRestorer(ProviderContext context) {
    this.context = context;
  }

  @Override
  public Set<String> formats() {
    return FORMATS;
  }

  @Override
  public boolean accepts(Location destination) {
    return PgDumpProvider.SCHEMES.contains(destination.scheme());
  }

  @Override
  public String checkArchive(Archive archive) {
    Manifest manifest = archive.manifest();
    PgTools tools = tools(manifest);
    Path scratch = Scratch.create(context, "lifeboat-check-");
    try {
      ArchiveInput input = ArchiveInput.of(archive, scratch, false);
      List<String> toc = listToc(tools, input, scratch, archive);
      long entries = toc.stream().filter(l -> !l.isBlank() && !l.startsWith(";")).count();
      return entries + " TOC entries, read by pg_restore " + tools.version();
    } finally {
      TarFolders.deleteTree(scratch);
    }
  }

  /** Runs {@code pg_restore --list}; an archive it cannot read is a {@code CHECKSUM_MISMATCH}. */
  private List<String> listToc(PgTools tools, ArchiveInput input, Path scratch, Archive archive) {
    Path listFile = scratch.resolve("toc.list");
    List<String> command = new ArrayList<>(List.of(tools.pgRestore().toString(), "--list", "--file=" + listFile));
    command.addAll(input.arguments());
    int status;
    ChildProcess child = ChildProcess.start(command, null, true, null);
    try (child) {
      input.feed(child, context.progress(), "check");
      status = child.waitFor();
    }
    if (status != 0) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "Snapshot " + archive.manifest().id() + " is not a readable "
          + archive.manifest().format() + " archive; pg_restore --list says: " + child.messages()
          + System.lineSeparator() + "Restore an older snapshot; this one cannot be loaded.");
    }
    try {
      return Files.readAllLines(listFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "pg_restore --list of snapshot " + archive.manifest().id()
          + " wrote no table of contents: " + e.getMessage(), e);
    }
  }

  @Override
  public RestoreResult restore(RestoreJob job) {
    long started = System.nanoTime();
    Manifest manifest = job.archive().manifest();
    RestoreOptions options = job.options();
    PgConnectionInfo destination = PgConnectionInfo.parse(job.destination()).resolvePassword(context.secrets());
    List<InventoryItem> selected = selectedItems(manifest, options.tables());
    refuseSource(manifest, destination, options);
    PgTools tools = tools(manifest);

    boolean created = ensureDatabase(destination);
    boolean superuser;
    List<String> existing;
    try (Connection c = destination.connect()) {
      existing = userObjects(c);
      superuser = isSuperuser(c);
    } catch (SQLException e) {
      throw restoreFailure(destination, "inspecting the destination", e);
    }
    if (!existing.isEmpty() && !options.replace()) {
      throw new LifeboatException(ErrorCode.DESTINATION_NOT_EMPTY, "Destination " + destination + " already holds objects ("
          + String.join(", ", existing) + (existing.size() >= 5 ? ", ..." : "") + "). Restore into an empty or new database,"
          + " or ask to replace its contents (--replace).");
    }
    boolean dataOnly = flag(manifest.properties().get("pg.dataOnly"));
    boolean noOwner = flag(manifest.properties().get("pg.noOwner")) || flag(options.extra().get("pg.noOwner"));
    boolean disableTriggers = options.extra().containsKey("pg.disableTriggers")
        ? flag(options.extra().get("pg.disableTriggers")) : dataOnly && superuser;

    Path scratch = Scratch.create(context, "lifeboat-restore-");
    try {
      ArchiveInput input = ArchiveInput.of(job.archive(), scratch, options.jobs() > 1);
      List<String> command = new ArrayList<>();
      command.add(tools.pgRestore().toString());
      command.add("--exit-on-error");
      command.add("--no-password");
      if (options.jobs() > 1) {
        command.add("--jobs=" + options.jobs());
      } else {
        command.add("--single-transaction");
      }
      if (!existing.isEmpty()) {
        if (dataOnly) {
          truncate(destination, selected);
        } else {
          command.add("--clean");
          command.add("--if-exists");
        }
      }
      if (noOwner) {
        command.add("--no-owner");
      }
      if (flag(options.extra().get("pg.noPrivileges"))) {
        command.add("--no-privileges");
      }
      if (disableTriggers) {
        command.add("--disable-triggers");
      }
      if (!options.tables().isEmpty()) {
        List<String> toc = listToc(tools, input, scratch, job.archive());
        Path useList = scratch.resolve("selected.list");
        writeLines(useList, TocSelection.select(toc, selected, schemas(destination)));
        command.add("--use-list=" + useList);
      }
      command.add("--dbname=" + destination.databaseArgument());
      command.addAll(input.arguments());

      LOG.info("Restoring snapshot {} into {} with {} {}", manifest.id(), destination, tools.pgRestore(), tools.version());
      ChildProcess child = ChildProcess.start(command, destination, true, null);
      int status;
      long fed;
      try (child) {
        fed = input.feed(child, job.progress(), "restore");
        status = child.waitFor();
      }
      if (status != 0) {
        String state = options.jobs() > 1 || !existing.isEmpty() && dataOnly
            ? "The destination may be partly restored; restore again with replace."
            : "pg_restore ran in one transaction, so the destination was left as it was.";
        throw new LifeboatException(ErrorCode.RESTORE_FAILED, "pg_restore into " + destination + " failed (exit status "
            + status + "): " + child.messages() + System.lineSeparator() + state);
      }
      Map<String, String> details = new LinkedHashMap<>();
      details.put("tool", tools.pgRestore().toString());
      details.put("toolVersion", tools.version());
      details.put("jobs", Integer.toString(options.jobs()));
      details.put("createdDatabase", Boolean.toString(created));
      details.put("replaced", Boolean.toString(!existing.isEmpty()));
      if (fed > 0) {
        details.put("bytesStreamed", Long.toString(fed));
      }
      List<String> restored = selected.stream().map(InventoryItem::qualifiedName).toList();
      return new RestoreResult(manifest.id(), destination.redactedUri(), manifest.format(), restored,
          Duration.ofNanos(System.nanoTime() - started), details, null);
    } finally {
      TarFolders.deleteTree(scratch);
    }
  }

  /** The manifest's items the restore loads: all, or the named tables (refusing names the snapshot lacks). */
  private static List<InventoryItem> selectedItems(Manifest manifest, List<String> tables) {
    if (tables.isEmpty()) {
      return manifest.inventory().items();
    }
    List<InventoryItem> out = new ArrayList<>();
    for (String t : tables) {
      String[] parts = Sql.splitQualified(t);
      String name = parts[0] == null ? parts[1] : parts[0] + "." + parts[1];
      InventoryItem item = manifest.inventory().find(name).orElseThrow(() -> new LifeboatException(ErrorCode.NOT_FOUND,
          "Snapshot " + manifest.id() + " holds no table '" + t + "'" + (parts[0] == null ? " (or the name is in several schemas)" : "")
              + ". Name it as schema.table; 'lifeboat list --json' shows the snapshot's tables."));
      out.add(item);
    }
    return out;
  }

  private void refuseSource(Manifest manifest, PgConnectionInfo destination, RestoreOptions options) {
    List<String> sources = new ArrayList<>();
    if (manifest.source() != null && manifest.source().uri() != null) {
      sources.add(manifest.source().uri());
    }
    Optional.ofNullable(manifest.properties().get(SOURCE_PROPERTY)).ifPresent(sources::add);
    boolean known = false;
    for (String uri : sources) {
      PgConnectionInfo source;
      try {
        source = PgConnectionInfo.parse(Location.parse(uri));
      } catch (LifeboatException e) {
        continue;
      }
      known = true;
      if (source.sameDatabaseAs(destination) && !confirmed(options, destination)) {
        throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION, "Destination " + destination + " is the database snapshot "
            + manifest.id() + " was taken from. Restoring would overwrite it. To do that on purpose, confirm with the database's"
            + " name (--confirm " + destination.database() + ") and ask to replace its contents (--replace).");
      }
    }
    // Fail closed: a snapshot that does not say which PostgreSQL server it came from could have come from this one.
    if (!known && !confirmed(options, destination)) {
      throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION, "Snapshot " + manifest.id() + " does not record which"
          + " PostgreSQL database it was taken from, so Lifeboat cannot tell whether " + destination + " is that database."
          + " Confirm the destination with its name (--confirm " + destination.database() + ") to restore into it.");
    }
  }

  private static boolean confirmed(RestoreOptions options, PgConnectionInfo destination) {
    return options.confirm().filter(destination.database()::equals).isPresent();
  }


  private PgTools tools(Manifest manifest) {
    int archiveMajor = Optional.ofNullable(manifest.properties().get("pg.dumpToolMajor")).map(Integer::parseInt).orElse(0);
    return PgTools.select(context, "pg_restore", archiveMajor, "archive of snapshot " + manifest.id()
        + " (written by pg_dump " + manifest.properties().getOrDefault("pg.dumpToolVersion", "unknown") + ")");
  }

  /** Creates the destination database when it does not exist; returns whether it did. */
  @SuppressWarnings("try") // Connecting is the test: a role may reach its database without seeing pg_database.
  static boolean ensureDatabase(PgConnectionInfo destination) {
    try (Connection c = destination.connect()) {
      return false;
    } catch (LifeboatException e) {
      if (e.code() != ErrorCode.NOT_FOUND) {
        throw e;
      }
    } catch (SQLException e) {
      throw restoreFailure(destination, "connecting", e);
    }
    String maintenance = destination.database().equals("postgres") ? "template1" : "postgres";
    try (Connection c = destination.withDatabase(maintenance).connect(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + Sql.ident(destination.database()) + " TEMPLATE template0");
      LOG.info("Created database {}", destination);
      return true;
    } catch (SQLException e) {
      if ("42501".equals(e.getSQLState())) {
        throw new LifeboatException(ErrorCode.RESTORE_FAILED, "Database '" + destination.database() + "' does not exist and role '"
            + destination.user() + "' may not create databases. Create it first (CREATE DATABASE "
            + Sql.ident(destination.database()) + ") or grant the role CREATEDB.");
      }
      throw restoreFailure(destination, "creating the database", e);
    }
  }

  /** Up to five user objects of the destination: relations, types, functions, schemas, large objects. */
  static List<String> userObjects(Connection c) throws SQLException {
    String notExtension = " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.objid = %s AND d.deptype = 'e')";
    String sql = "SELECT what FROM ("
        + " SELECT 'relation ' || n.nspname || '.' || c.relname AS what FROM pg_catalog.pg_class c"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','v','m','S','f','c') AND "
        + PgCatalog.USER_SCHEMA_FILTER + String.format(notExtension, "c.oid")
        + " UNION ALL SELECT 'type ' || n.nspname || '.' || t.typname FROM pg_catalog.pg_type t"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype IN ('b','d','e','r','m')"
        + " AND t.typcategory <> 'A' AND t.typrelid = 0 AND " + PgCatalog.USER_SCHEMA_FILTER + String.format(notExtension, "t.oid")
        + " UNION ALL SELECT 'function ' || n.nspname || '.' || p.proname FROM pg_catalog.pg_proc p"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE " + PgCatalog.USER_SCHEMA_FILTER
        + String.format(notExtension, "p.oid")
        + " UNION ALL SELECT 'schema ' || n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname <> 'public' AND "
        + PgCatalog.USER_SCHEMA_FILTER + String.format(notExtension, "n.oid")
        + " UNION ALL SELECT 'large object ' || m.oid FROM pg_catalog.pg_largeobject_metadata m"
        + ") o LIMIT 5";
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static Set<String> schemas(PgConnectionInfo destination) {
    Set<String> out = new java.util.HashSet<>();
    try (Connection c = destination.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT nspname FROM pg_catalog.pg_namespace")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw restoreFailure(destination, "reading its schemas", e);
    }
    return out;
  }

  private static boolean isSuperuser(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  /** Empties the tables a data-only archive loads, so its rows replace theirs. */
  private static void truncate(PgConnectionInfo destination, List<InventoryItem> items) {
    List<String> tables = new ArrayList<>();
    try (Connection c = destination.connect()) {
      for (InventoryItem i : items) {
        if (i.kind().equals("table") && PgCatalog.find(c, i.namespace(), i.name()).isPresent()) {
          tables.add(Sql.qualified(i.namespace(), i.name()));
        }
      }
      if (!tables.isEmpty()) {
        try (Statement st = c.createStatement()) {
          st.execute("TRUNCATE ONLY " + String.join(", ", tables));
        }
      }
    } catch (SQLException e) {
      throw restoreFailure(destination, "emptying the tables to replace", e);
    }
  }

  private static void writeLines(Path file, List<String> lines) {
    try {
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.RESTORE_FAILED, "Cannot write the restore list " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean flag(String value) {
    return value != null && value.trim().equalsIgnoreCase("true");
  }

  private static LifeboatException restoreFailure(PgConnectionInfo destination, String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.startsWith("08") || state.startsWith("28")) {
      return destination.connectionFailure(e);
    }
    return new LifeboatException(ErrorCode.RESTORE_FAILED, "Restoring into " + destination + " failed while " + what + ": "
        + destination.redact(e.getMessage()) + ".");
  }

  @Override
  public String toString() {
    return "PgRestorer" + FORMATS;
  }
}
