package dev.lifeboat.pgdump;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.Formats;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.ManifestKeys;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.postgres.ChildProcess;
import dev.lifeboat.postgres.PgCatalog;
import dev.lifeboat.postgres.PgConnections;
import dev.lifeboat.postgres.PgDatabases;
import dev.lifeboat.postgres.PgErrors;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.postgres.PgTools;
import dev.lifeboat.postgres.Sql;
import dev.lifeboat.postgres.Words;
import dev.lifeboat.spi.Archive;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreJob;
import dev.lifeboat.spi.Restorer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code pg-custom} and {@code pg-directory} archives into PostgreSQL with
 * {@code pg_restore}. Before changing anything it refuses the snapshot's own source database
 * (unless confirmed with its name), a destination that already holds objects (unless asked to
 * replace them), a replace that would leave objects the snapshot lacks, and a selection of tables
 * that needs objects it leaves out. It creates a missing destination database when the role may,
 * and drops it again when the restore then fails.
 *
 * <p>One job streams the archive into pg_restore's standard input inside a single transaction, so
 * a failed load leaves the destination as it was. More jobs need a seekable file, unpacked into
 * the scratch folder (setting {@code lifeboat.scratchDir}). Extra options: {@code pg.noOwner},
 * {@code pg.noPrivileges}, {@code pg.disableTriggers} ({@code true}/{@code false}), and
 * {@code pg.skipExtensions} (extension names, comma-separated, whose {@code CREATE EXTENSION} and
 * comment are left out of a whole-archive restore), {@code pg.skipEntries} (one entry a line, as
 * {@code pg_restore --list} names it without ids and owner, e.g. {@code POLICY public profiles own
 * profile}; left out likewise).
 */
public final class PgRestorer implements Restorer {
  private static final Logger LOG = LoggerFactory.getLogger(PgRestorer.class);
  private static final Set<String> FORMATS = Set.of(Formats.PG_CUSTOM, Formats.PG_DIRECTORY);

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
      List<String> toc = listToc(tools, input, scratch, archive, false);
      long entries = toc.stream().filter(l -> !l.isBlank() && !l.startsWith(";")).count();
      return Words.count(entries, "TOC entry", "TOC entries") + ", read by pg_restore " + tools.version();
    } finally {
      TarFolders.deleteTree(scratch);
    }
  }

  /**
   * Reads every block of the archive: pg_restore writes the whole archive as an SQL script
   * (decompressing every data block and failing on any it cannot read), and the rows of each
   * table's COPY block are counted against the manifest. Touches no database.
   */
  @Override
  public String readArchive(Archive archive) {
    Manifest manifest = archive.manifest();
    PgTools tools = tools(manifest);
    Path scratch = Scratch.create(context, "lifeboat-read-");
    try {
      ArchiveInput input = ArchiveInput.of(archive, scratch, false);
      // The script goes to standard output ("-"), where it is counted, never stored.
      List<String> command = new ArrayList<>(List.of(tools.pgRestore().toString(), "--file=-"));
      command.addAll(input.arguments());
      ChildProcess child = ChildProcess.start(command, null, false, null);
      CompletableFuture<Map<String, Long>> rows;
      int status;
      try (child) {
        rows = CompletableFuture.supplyAsync(() -> {
          try (InputStream script = child.stdout()) {
            return ScriptRows.count(script);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, runnable -> daemon(runnable, "pg_restore-script").start());
        input.feed(child, context.progress(), "read", false);
        status = child.waitFor();
      }
      if (status != 0) {
        throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "Snapshot " + manifest.id() + " is not a readable "
            + manifest.format() + " archive: reading every data block, pg_restore says: " + child.messages()
            + System.lineSeparator() + "Restore an older snapshot; this one cannot be loaded.");
      }
      Map<String, Long> counted;
      try {
        counted = rows.join();
      } catch (CompletionException e) {
        throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "Reading the data of snapshot " + manifest.id()
            + " failed: " + Words.clause(String.valueOf(e.getCause().getMessage())) + ".", e.getCause());
      }
      return compareRows(manifest, counted) + ", read by pg_restore " + tools.version();
    } finally {
      TarFolders.deleteTree(scratch);
    }
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread t = new Thread(runnable, name);
    t.setDaemon(true);
    return t;
  }

  /** Compares the rows read per table with the manifest's exact counts; any difference is damage. */
  private static String compareRows(Manifest manifest, Map<String, Long> counted) {
    List<String> differences = new ArrayList<>();
    long tables = 0;
    long total = 0;
    for (InventoryItem item : manifest.inventory().items()) {
      Long found = counted.get(item.qualifiedName());
      if (found == null || !item.kind().equals("table") || !item.counted()) {
        continue;
      }
      tables++;
      total += found;
      if (found != item.count()) {
        differences.add(item.qualifiedName() + " has " + Words.count(found, "row", "rows") + ", the manifest says "
            + item.count());
      }
    }
    if (!differences.isEmpty()) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "The data in snapshot " + manifest.id()
          + " does not match its manifest: " + Words.firstOf(differences, 10) + ". The archive is damaged; restore an"
          + " older snapshot.");
    }
    return "every data block read: " + Words.count(total, "row", "rows") + " in " + Words.count(tables, "table", "tables")
        + ", as the manifest counts";
  }

  /**
   * Runs {@code pg_restore --list}; an archive it cannot read is a {@code CHECKSUM_MISMATCH}.
   *
   * @param dependencies whether to list each entry's dependencies too ({@code --verbose})
   */
  private List<String> listToc(PgTools tools, ArchiveInput input, Path scratch, Archive archive, boolean dependencies) {
    Path listFile = scratch.resolve("toc.list");
    List<String> command = new ArrayList<>(List.of(tools.pgRestore().toString(), "--list", "--file=" + listFile));
    if (dependencies) {
      command.add("--verbose");
    }
    command.addAll(input.arguments());
    int status;
    ChildProcess child = ChildProcess.start(command, null, true, null);
    try (child) {
      input.feed(child, context.progress(), "check", false);
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
          + " wrote no table of contents: " + Words.clause(e.getMessage()) + ".", e);
    }
  }

  /**
   * A single-job restore of a custom archive streams it into one pg_restore transaction, which
   * commits only after the last byte: the checksum is checked during that read. Not for data-only
   * archives (a replace empties the tables before pg_restore starts). Parallel jobs seek in a file.
   */
  @Override
  public Reading reading(Manifest manifest, RestoreOptions options) {
    if (!manifest.format().equals(Formats.PG_CUSTOM)) {
      return Reading.STREAM;
    }
    if (options.jobs() > 1) {
      return Reading.SEEKABLE_FILE;
    }
    return flag(manifest.properties().get(ManifestKeys.PG_DATA_ONLY)) ? Reading.STREAM : Reading.STREAM_COMMITTING_AT_END;
  }

  /**
   * The file parallel jobs seek in holds each table's rows in chunks of up to 64 KiB, as the
   * streamed restore gets them ({@link ChunkMergingStream}): pg_restore reads a file of pg_dump's
   * standard output by walking its blocks, which merged chunks change nothing about.
   */
  @Override
  public InputStream seekableCopy(Manifest manifest, InputStream dump) {
    return new ChunkMergingStream(dump);
  }

  @Override
  public RestoreResult restore(RestoreJob job) {
    long started = System.nanoTime();
    Manifest manifest = job.archive().manifest();
    RestoreOptions options = job.options();
    PgLocation destination = PgLocation.parse(job.destination(), context.secrets()).requireOneServer();
    List<InventoryItem> selected = selectedItems(manifest, options.tables());
    refuseSource(manifest, destination, options);
    // Asked while the destination is inspected.
    PgTools.Probe installed = PgTools.probeInBackground(context, "pg_restore");
    boolean dataOnly = flag(manifest.properties().get(ManifestKeys.PG_DATA_ONLY));
    // Before any scratch copy of the archive: a server that is down or a busy destination fails fast.
    DestinationState state = DestinationState.inspect(destination);
    PgTools tools = tools(installed, manifest);
    if (!state.objects().isEmpty() && !options.replace()) {
      throw new LifeboatException(ErrorCode.DESTINATION_NOT_EMPTY, "Destination " + destination + " already holds objects ("
          + String.join(", ", state.objects()) + (state.objects().size() >= DestinationState.SHOWN ? ", ..." : "")
          + "). Restore into an empty or new database, or ask to replace its contents (--replace).");
    }
    boolean replacing = !state.objects().isEmpty();

    Path scratch = Scratch.create(context, "lifeboat-restore-");
    try {
      ArchiveInput input = ArchiveInput.of(job.archive(), scratch, options.jobs() > 1);
      Path useList = null;
      if (!options.tables().isEmpty()) {
        Toc toc = Toc.parse(listToc(tools, input, scratch, job.archive(), true));
        List<Toc.Entry> entries = TocSelection.entries(toc, selected, state.schemas());
        refuseMissingNeeds(toc, entries, selected, destination, state);
        useList = scratch.resolve("selected.list");
        writeLines(useList, entries.stream().map(Toc.Entry::line).toList());
      } else if (replacing && !dataOnly) {
        Toc toc = Toc.parse(listToc(tools, input, scratch, job.archive(), false));
        refuseObjectsTheSnapshotLacks(toc, manifest, destination);
      }
      List<String> skipped = list(options.extra().get("pg.skipExtensions"));
      List<String> skippedEntries = options.extra().getOrDefault("pg.skipEntries", "").lines().filter(l -> !l.isBlank()).toList();
      if ((!skipped.isEmpty() || !skippedEntries.isEmpty()) && options.tables().isEmpty()) {
        // Extensions the destination cannot install (a platform's own) with their comments, and
        // entries the caller names (policies for roles the destination lacks), are left out.
        List<String> lines = listToc(tools, input, scratch, job.archive(), false).stream()
            .filter(l -> skipped.stream().noneMatch(x -> Toc.createsExtension(l, x)))
            .filter(l -> skippedEntries.stream().noneMatch(x -> Toc.isEntry(l, x))).toList();
        useList = scratch.resolve("without-extensions.list");
        writeLines(useList, lines);
      }

      boolean created = !state.exists() && PgDatabases.createMissing(destination);
      try {
        return load(job, destination, tools, input, selected, useList, replacing, dataOnly, created, started);
      } catch (RuntimeException | Error e) {
        PgDatabases.dropIfCreated(destination, created, e);
        throw e;
      }
    } finally {
      TarFolders.deleteTree(scratch);
    }
  }

  /** Runs pg_restore into a destination that passed every check. */
  private RestoreResult load(RestoreJob job, PgLocation destination, PgTools tools, ArchiveInput input,
      List<InventoryItem> selected, Path useList, boolean replacing, boolean dataOnly, boolean created, long started) {
    Manifest manifest = job.archive().manifest();
    RestoreOptions options = job.options();
    boolean noOwner = flag(manifest.properties().get(ManifestKeys.PG_NO_OWNER)) || flag(options.extra().get("pg.noOwner"));
    // Only a data-only load asks who the role is (a connection less for every other restore).
    boolean disableTriggers = options.extra().containsKey("pg.disableTriggers")
        ? flag(options.extra().get("pg.disableTriggers")) : dataOnly && isSuperuser(destination);

    List<String> command = new ArrayList<>();
    command.add(tools.pgRestore().toString());
    command.add("--exit-on-error");
    command.add("--no-password");
    if (options.jobs() > 1) {
      command.add("--jobs=" + options.jobs());
    } else {
      command.add("--single-transaction");
    }
    if (replacing) {
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
    if (useList != null) {
      command.add("--use-list=" + useList);
    }
    command.add("--dbname=" + databaseArgument(destination));
    command.addAll(input.arguments());

    LOG.info("Restoring snapshot {} into {} with {} {}", manifest.id(), destination, tools.pgRestore(), tools.version());
    ChildProcess child = ChildProcess.start(command, destination, true, null);
    int status;
    long fed;
    try (child) {
      fed = input.feed(child, job.progress(), "restore", true);
      status = child.waitFor();
    }
    if (status != 0) {
      if (reading(manifest, options) == Reading.STREAM_COMMITTING_AT_END) {
        // Its format was not checked before this one read: an archive pg_restore cannot read is damage, not a failed load.
        checkArchive(job.archive());
      }
      String state = created ? "The database Lifeboat created for it was dropped again."
          : options.jobs() > 1 || replacing && dataOnly ? "The destination may be partly restored; restore again with replace."
          : "pg_restore ran in one transaction, so the destination was left as it was.";
      throw new LifeboatException(ErrorCode.RESTORE_FAILED, "pg_restore into " + destination + " failed (exit status "
          + status + "): " + child.messages() + System.lineSeparator() + state);
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("tool", tools.pgRestore().toString());
    details.put("toolVersion", tools.version());
    details.put("jobs", Integer.toString(options.jobs()));
    details.put("createdDatabase", Boolean.toString(created));
    details.put("replaced", Boolean.toString(replacing));
    if (fed > 0) {
      details.put("bytesStreamed", Long.toString(fed));
    }
    List<String> restored = selected.stream().map(InventoryItem::qualifiedName).toList();
    return new RestoreResult(manifest.id(), destination.redacted(), manifest.format(), restored,
        Duration.ofNanos(System.nanoTime() - started), details, null);
  }

  /**
   * Refuses a selection of tables that needs objects it leaves out (a type, a function used in a
   * default, a sequence another table owns...) and that the destination does not already have:
   * pg_restore would stop half-way. Nothing has been changed yet.
   */
  private static void refuseMissingNeeds(Toc toc, List<Toc.Entry> entries, List<InventoryItem> selected,
      PgLocation destination, DestinationState state) {
    List<Toc.Name> missing = new ArrayList<>();
    for (Toc.Entry e : TocSelection.missing(toc, entries)) {
      missing.add(toc.name(e));
    }
    if (!missing.isEmpty() && state.exists()) {
      try (Connection c = PgConnections.open(destination)) {
        List<Toc.Name> absent = new ArrayList<>();
        for (Toc.Name n : missing) {
          if (!DestinationState.has(c, n)) {
            absent.add(n);
          }
        }
        missing = absent;
      } catch (SQLException e) {
        throw restoreFailure(destination, "looking for the objects the selected tables need", e);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    String tables = selected.stream().map(InventoryItem::qualifiedName).reduce((a, b) -> a + ", " + b).orElse("");
    throw new LifeboatException(ErrorCode.CONFIGURATION, "Restoring only " + tables + " needs "
        + Words.count(missing.size(), "object", "objects") + " the selection leaves out and the destination lacks: "
        + Words.firstOf(missing.stream().map(Toc.Name::toString).toList(), 10) + ". Add the tables that own them with"
        + " --table, restore the whole snapshot, or create them in the destination first; nothing was changed.");
  }

  /**
   * With replace, the destination must end up equal to the snapshot: pg_restore --clean drops and
   * recreates only what the archive holds, so objects the snapshot lacks would survive it. Refuses
   * before anything changes, naming them.
   */
  private static void refuseObjectsTheSnapshotLacks(Toc toc, Manifest manifest, PgLocation destination) {
    List<String> extra;
    try (Connection c = PgConnections.open(destination)) {
      extra = DestinationState.objectsNotIn(c, toc);
    } catch (SQLException e) {
      throw restoreFailure(destination, "comparing its objects with the snapshot", e);
    }
    if (!extra.isEmpty()) {
      throw new LifeboatException(ErrorCode.DESTINATION_NOT_EMPTY, "Destination " + destination + " holds "
          + Words.count(extra.size(), "object", "objects") + " that snapshot " + manifest.id() + " does not have: "
          + Words.firstOf(extra, 10) + ". Replacing would leave them next to the restored data; drop them or restore"
          + " into an empty database. Nothing was changed.");
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

  private void refuseSource(Manifest manifest, PgLocation destination, RestoreOptions options) {
    List<String> sources = new ArrayList<>();
    if (manifest.source() != null && manifest.source().uri() != null) {
      sources.add(manifest.source().uri());
    }
    Optional.ofNullable(manifest.properties().get(ManifestKeys.PG_SOURCE)).ifPresent(sources::add);
    boolean known = false;
    for (String uri : sources) {
      PgLocation source;
      try {
        source = PgLocation.parse(Location.parse(uri));
      } catch (LifeboatException e) {
        continue;
      }
      known = true;
      if (PgDatabases.sameDatabase(source, destination) && !confirmed(options, destination)) {
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

  private static boolean confirmed(RestoreOptions options, PgLocation destination) {
    return options.confirm().filter(destination.database()::equals).isPresent();
  }


  private PgTools tools(Manifest manifest) {
    return tools(PgTools.probeInBackground(context, "pg_restore"), manifest);
  }

  private static PgTools tools(PgTools.Probe installed, Manifest manifest) {
    int archiveMajor = Optional.ofNullable(manifest.properties().get(ManifestKeys.PG_DUMP_TOOL_MAJOR)).map(Integer::parseInt).orElse(0);
    return installed.select(archiveMajor, "archive of snapshot " + manifest.id()
        + " (written by pg_dump " + manifest.properties().getOrDefault(ManifestKeys.PG_DUMP_TOOL_VERSION, "unknown") + ")");
  }

  private static boolean isSuperuser(PgLocation destination) {
    try (Connection c = PgConnections.open(destination); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user")) {
      return rs.next() && rs.getBoolean(1);
    } catch (SQLException e) {
      throw restoreFailure(destination, "inspecting the destination", e);
    }
  }

  /** Empties the tables a data-only archive loads, so its rows replace theirs. */
  private static void truncate(PgLocation destination, List<InventoryItem> items) {
    List<String> tables = new ArrayList<>();
    try (Connection c = PgConnections.open(destination)) {
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
      throw new LifeboatException(ErrorCode.RESTORE_FAILED, "Cannot write the restore list " + file + ": "
          + Words.clause(e.getMessage()) + ".", e);
    }
  }

  private static List<String> list(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  private static boolean flag(String value) {
    return value != null && value.trim().equalsIgnoreCase("true");
  }

  /** A failed statement while restoring: a lost connection or refused role as such, anything else as a restore failure. */
  static LifeboatException restoreFailure(PgLocation destination, String what, SQLException e) {
    return PgErrors.map(e, destination, what, ErrorCode.RESTORE_FAILED);
  }

  /** A libpq connection string naming only the database, for {@code --dbname}: no host, user or password. */
  static String databaseArgument(PgLocation destination) {
    return "dbname='" + destination.database().replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  @Override
  public String toString() {
    return "PgRestorer" + FORMATS;
  }
}
