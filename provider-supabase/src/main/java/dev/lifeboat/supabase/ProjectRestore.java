package dev.lifeboat.supabase;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import dev.lifeboat.ManifestKeys;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.postgres.ChildProcess;
import dev.lifeboat.postgres.PgConnections;
import dev.lifeboat.postgres.PgErrors;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.postgres.PgTools;
import dev.lifeboat.postgres.Sql;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a Supabase dump into another Supabase project, in the order Supabase's migration guide
 * gives: the custom roles (no passwords), then the user's schemas whole, then only the data of the
 * schemas the platform manages ({@code auth}, {@code storage}, …; their definitions are the
 * destination's own), all in one {@code pg_restore} transaction with triggers and foreign-key
 * checks off ({@code session_replication_role = replica}). Owners are not restored (the objects
 * belong to the restoring {@code postgres}); the platform's publications, event triggers, grants
 * on managed schemas and extension comments are left out, as {@code supabase db dump} leaves them
 * out. The source project itself needs {@code --confirm REF}; a project that holds user tables or
 * auth users needs {@code --replace} and {@code --confirm REF}. The result lists what needs manual follow-up.
 */
final class ProjectRestore {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectRestore.class);
  private static final Pattern ENTRY = Pattern.compile("^\\d+; \\d+ \\d+ (.*)$");
  /** pg_restore --list descriptions, longest first so that "TABLE DATA" wins over "TABLE". */
  private static final List<String> KINDS = Stream.of("TABLE DATA", "TABLE", "SEQUENCE SET", "SEQUENCE OWNED BY", "SEQUENCE",
      "FK CONSTRAINT", "CHECK CONSTRAINT", "CONSTRAINT", "DEFAULT ACL", "DEFAULT", "INDEX", "VIEW", "MATERIALIZED VIEW",
      "MATERIALIZED VIEW DATA", "FUNCTION", "PROCEDURE", "AGGREGATE", "TYPE", "DOMAIN", "SCHEMA", "EXTENSION", "COMMENT", "ACL",
      "TRIGGER", "EVENT TRIGGER", "RULE", "POLICY", "ROW SECURITY", "PUBLICATION TABLE", "PUBLICATION", "SUBSCRIPTION",
      "LARGE OBJECT", "BLOBS", "BLOB").sorted(Comparator.comparingInt(String::length).reversed()).toList();

  private final ProviderContext context;
  private final DumpRules rules;

  ProjectRestore(ProviderContext context, DumpRules rules) {
    this.context = context;
    this.rules = rules;
  }

  RestoreResult restore(RestoreJob job, SupabaseLocation project, SupabaseConnections.Resolved connection) {
    long started = System.nanoTime();
    Manifest manifest = job.archive().manifest();
    RestoreOptions options = job.options();
    PgLocation db = connection.location();
    boolean confirmed = options.confirm().filter(project.ref()::equals).isPresent();
    if (project.ref().equals(manifest.properties().get(ManifestKeys.SUPABASE_PROJECT_REF)) && !confirmed) {
      throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION, project + " is the project snapshot " + manifest.id()
          + " was taken from. Restoring would overwrite its data. To do that on purpose, confirm with --confirm " + project.ref() + ".");
    }
    List<String> held = heldData(db);
    if (!held.isEmpty() && !options.replace()) {
      throw new LifeboatException(ErrorCode.DESTINATION_NOT_EMPTY, project + " is not empty (" + String.join(", ", held)
          + "). Restore into an empty project, or replace its data with --replace --confirm " + project.ref()
          + " (its user tables are replaced; auth and storage rows that clash make the restore fail and roll back).");
    }
    if (!held.isEmpty() && !confirmed) {
      throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION, "Replacing the data of " + project + " needs its ref as"
          + " confirmation: --confirm " + project.ref() + ".");
    }
    int archiveMajor = Optional.ofNullable(manifest.properties().get(ManifestKeys.PG_DUMP_TOOL_MAJOR)).map(Integer::parseInt).orElse(0);
    PgTools tools = PgTools.select(context, "pg_restore", archiveMajor, "archive of snapshot " + manifest.id());
    Path scratch = scratch();
    try {
      Path file = job.archive().localFile().orElseGet(() -> job.archive().file(scratch));
      List<String> all = toc(tools, file, db);
      List<String> kept = new ArrayList<>();
      List<String> left = new ArrayList<>();
      for (String line : all) {
        (keep(line) ? kept : left).add(line);
      }
      Path list = scratch.resolve("project.list");
      Files.write(list, kept, StandardCharsets.UTF_8);
      List<String> roles = createRoles(manifest, db);

      List<String> command = new ArrayList<>(List.of(tools.pgRestore().toString(), "--exit-on-error", "--no-password",
          "--single-transaction", "--no-owner", "--use-list=" + list));
      if (!held.isEmpty()) {
        command.add("--clean");
        command.add("--if-exists");
      }
      // Triggers and foreign-key checks off for the whole load, as the migration guide's data step does.
      command.add("--dbname=dbname='" + db.database().replace("\\", "\\\\").replace("'", "\\'")
          + "' options='-c session_replication_role=replica'");
      command.add(file.toString());
      LOG.info("Restoring snapshot {} into {} ({} of {} archive entries)", manifest.id(), project, kept.size(), all.size());
      int status;
      ChildProcess child = ChildProcess.start(command, db, true, null);
      try (child) {
        status = child.waitFor();
      }
      if (status != 0) {
        throw new LifeboatException(ErrorCode.RESTORE_FAILED, "pg_restore into " + project + " failed (exit status " + status
            + "): " + child.messages() + System.lineSeparator() + "It ran in one transaction, so the project's data was left as it was"
            + (roles.isEmpty() ? "." : "; the roles created for it (" + String.join(", ", roles) + ") were kept."));
      }
      Map<String, String> details = new LinkedHashMap<>();
      details.put(ManifestKeys.SUPABASE_PROJECT_REF, project.ref());
      details.put("supabase.connection", connection.how());
      details.put("supabase.createdRoles", String.join(",", roles));
      details.put("supabase.entriesRestored", Integer.toString(kept.size()));
      details.put("supabase.entriesLeftOut", Integer.toString(left.size()));
      details.put("supabase.followUp", followUp(manifest));
      List<String> restored = manifest.inventory().items().stream().map(i -> i.qualifiedName()).toList();
      return new RestoreResult(manifest.id(), project.uri(), manifest.format(), restored,
          Duration.ofNanos(System.nanoTime() - started), details, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(scratch);
    }
  }

  /**
   * Whether an archive entry goes into another project: everything of the user's schemas; of the
   * managed schemas only rows and sequence values; never the platform's publications, event
   * triggers, extension comments, or default privileges of its own roles.
   */
  boolean keep(String line) {
    Matcher m = ENTRY.matcher(line);
    if (!m.matches()) {
      return false;
    }
    String text = m.group(1);
    String kind = KINDS.stream().filter(k -> text.startsWith(k + " ")).findFirst().orElse("");
    String[] rest = text.substring(Math.min(text.length(), kind.length() + 1)).split(" ", 2);
    String namespace = rest[0];
    String tag = rest.length > 1 ? rest[1] : "";
    if (kind.equals("EVENT TRIGGER") || kind.startsWith("PUBLICATION") && tag.startsWith("supabase_realtime")) {
      return false;
    }
    if (kind.equals("COMMENT") && tag.startsWith("EXTENSION ")) {
      return false;
    }
    if (kind.equals("DEFAULT ACL")) {
      String owner = tag.substring(tag.lastIndexOf(' ') + 1);
      return !namespace.equals("-") && !rules.managesSchema(namespace) && !(rules.reservesRole(owner) && !owner.equals("postgres"));
    }
    if (kind.equals("SCHEMA") || (kind.equals("ACL") || kind.equals("COMMENT")) && tag.startsWith("SCHEMA ")) {
      String schema = kind.equals("SCHEMA") ? tag.split(" ")[0] : tag.split(" ")[1];
      return !rules.managesSchema(unquote(schema)) && !schema.equals("public");
    }
    if (!namespace.equals("-") && rules.managesSchema(namespace)) {
      return kind.equals("TABLE DATA") || kind.equals("SEQUENCE SET");
    }
    return true;
  }

  private List<String> toc(PgTools tools, Path file, PgLocation db) {
    List<String> command = List.of(tools.pgRestore().toString(), "--list", file.toString());
    ChildProcess child = ChildProcess.start(command, null, false, null);
    List<String> lines;
    try (child) {
      lines = new String(child.stdout().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      if (child.waitFor() != 0) {
        throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "pg_restore --list cannot read the archive: " + child.messages());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines.stream().filter(l -> !l.isBlank() && !l.startsWith(";")).toList();
  }

  /** User tables (outside the managed schemas) and auth users the project already holds, a few named. */
  private List<String> heldData(PgLocation db) {
    List<String> out = new ArrayList<>();
    try (Connection c = PgConnections.open(db); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT n.nspname || '.' || c.relname, n.nspname FROM pg_catalog.pg_class c"
          + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm')"
          + " AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' ORDER BY 1")) {
        while (rs.next() && out.size() < 5) {
          if (!rules.managesSchema(rs.getString(2))) {
            out.add("table " + rs.getString(1));
          }
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT to_regclass('auth.users') IS NOT NULL")) {
        if (rs.next() && rs.getBoolean(1)) {
          try (ResultSet n = st.executeQuery("SELECT count(*) FROM auth.users")) {
            if (n.next() && n.getLong(1) > 0) {
              out.add(n.getLong(1) + " auth users");
            }
          }
        }
      }
    } catch (SQLException e) {
      throw PgErrors.map(e, db, "looking at what the project holds", ErrorCode.RESTORE_FAILED);
    }
    return out;
  }

  /** Creates the custom roles the destination lacks (no passwords) with their settings and memberships. */
  private List<String> createRoles(Manifest manifest, PgLocation db) {
    List<String> sql = Arrays.stream(manifest.properties().getOrDefault("supabase.roles", "").split("\n"))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
    List<String> created = new ArrayList<>();
    try (Connection c = PgConnections.open(db); Statement st = c.createStatement()) {
      for (String line : sql) {
        if (line.startsWith("CREATE ROLE ")) {
          String name = unquote(line.substring("CREATE ROLE ".length(), line.length() - 1));
          try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                continue;
              }
            }
          }
          st.execute(line);
          created.add(name);
        }
      }
      for (String line : sql) {
        boolean ours = created.stream().anyMatch(n -> line.startsWith("ALTER ROLE " + Sql.ident(n) + " ")
            || line.startsWith("GRANT ") && line.endsWith(" TO " + Sql.ident(n) + ";"));
        if (ours) {
          st.execute(line);
        }
      }
    } catch (SQLException e) {
      throw PgErrors.map(e, db, "creating the custom roles", ErrorCode.RESTORE_FAILED);
    }
    return created;
  }

  private static String followUp(Manifest manifest) {
    List<String> logins = new ArrayList<>();
    Matcher m = Pattern.compile("ALTER ROLE \"((?:[^\"]|\"\")+)\" WITH [^;]* LOGIN").matcher(manifest.properties().getOrDefault("supabase.roles", ""));
    while (m.find()) {
      logins.add(m.group(1).replace("\"\"", "\""));
    }
    List<String> steps = new ArrayList<>();
    if (!logins.isEmpty()) {
      steps.add("set the passwords of custom login roles (" + String.join(", ", logins) + ")");
    }
    steps.add("copy the Storage objects themselves through the Storage API (only their metadata rows were restored)");
    steps.add("copy the pgsodium root key if columns are encrypted");
    steps.add("recreate changes made to the auth and storage schemas (triggers, policies), which a dump does not carry between projects");
    return String.join("; ", steps);
  }

  private static String unquote(String ident) {
    return ident.startsWith("\"") && ident.endsWith("\"") ? ident.substring(1, ident.length() - 1).replace("\"\"", "\"") : ident;
  }

  private Path scratch() {
    try {
      Optional<String> dir = context.setting("lifeboat.scratchDir").filter(s -> !s.isBlank());
      return dir.isPresent() ? Files.createTempDirectory(Path.of(dir.get()), "lifeboat-supabase-")
          : Files.createTempDirectory("lifeboat-supabase-");
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Cannot create a scratch folder: " + e.getMessage()
          + ". Set lifeboat.scratchDir to a writable folder.", e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("Could not remove {}: {}", root, e.getMessage());
    }
  }
}
