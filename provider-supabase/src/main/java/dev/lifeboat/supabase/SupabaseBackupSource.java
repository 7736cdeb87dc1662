package dev.lifeboat.supabase;

import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Formats;
import dev.lifeboat.Inventory;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.ManifestKeys;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.postgres.PgConnections;
import dev.lifeboat.postgres.PgErrors;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.Dump;
import dev.lifeboat.spi.ProviderContext;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Supabase project's database, dumped the way {@code supabase db dump} would, with the host's
 * pg_dump and no Docker: the installed PostgreSQL provider's dump (one exported snapshot, exact counts in
 * it) of every schema but the platform's excluded ones ({@link DumpRules}), without the services'
 * migration tables, so the user's schemas come whole and {@code auth}/{@code storage} come with
 * their data while {@code vault} never leaves the project. The manifest adds the project ref, the
 * rules' version, what was excluded, the custom roles (no passwords), the roles the objects name
 * and the extensions' schemas, which a restore needs to prepare its destination.
 */
final class SupabaseBackupSource implements BackupSource {
  private static final Pattern LOCK_TABLE = Pattern.compile("LOCK TABLE (?:ONLY )?\"?([^\".\\s]+)\"?\\.\"?([^\"\\s]+)\"?");

  private final SupabaseLocation project;
  private final SupabaseConnections.Resolved connection;
  private final DumpRules rules;
  private final BackupSource direct;

  SupabaseBackupSource(SupabaseLocation project, SupabaseConnections.Resolved connection, DumpRules rules, ProviderContext context) {
    this.project = project;
    this.connection = connection;
    this.rules = rules;
    // The PostgreSQL provider's own source for the database (pg_dump in an exported snapshot, exact counts in it).
    this.direct = context.source(connection.uri());
  }

  @Override
  public SourceFingerprint fingerprint() {
    SourceFingerprint f = direct.fingerprint();
    return new SourceFingerprint("supabase", f.serverVersion(), f.database(), project.uri());
  }

  /** The tables a dump would hold, with their exact counts now. */
  @Override
  public Inventory inventory() {
    return new Inventory(direct.inventory().items().stream()
        .filter(i -> !rules.excludesSchema(i.namespace()) && !rules.excludedTables().contains(i.namespace() + "." + i.name()))
        .toList());
  }

  @Override
  public Compression defaultCompression() {
    return direct.defaultCompression();
  }

  @Override
  public Dump dump(DumpOptions options) {
    if (options.format().filter(f -> !f.equals(Formats.PG_CUSTOM) && !f.equals(Formats.SUPABASE_PG_CUSTOM)).isPresent()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Supabase backups are written in one format, "
          + Formats.SUPABASE_PG_CUSTOM + " (a pg_dump custom archive); leave out the format option.");
    }
    Map<String, String> facts = projectFacts(options);
    if (options.jobs() > 1) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "--jobs " + options.jobs() + " does not apply to a Supabase backup:"
          + " pg_dump writes its " + Formats.SUPABASE_PG_CUSTOM + " archive with one process. Leave --jobs out.");
    }
    DumpOptions.Builder b = options.toBuilder().format(Formats.PG_CUSTOM);
    rules.excludedSchemas().forEach(b::excludeSchema);
    rules.excludedTables().forEach(b::excludeTable);
    Dump dump = direct.dump(b.build());
    return new SupabaseDump(dump, facts);
  }

  /** What the manifest records about the project, read before the dump starts. */
  private Map<String, String> projectFacts(DumpOptions options) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(ManifestKeys.SUPABASE_PROJECT_REF, project.ref());
    p.put("supabase.connection", connection.how());
    p.put("supabase.rules", rules.version());
    p.put("supabase.excludedSchemas", String.join(",", rules.excludedSchemas()));
    p.put("supabase.excludedTables", String.join(",", rules.excludedTables()));
    try (Connection c = PgConnections.open(connection.location())) {
      List<String> schemas = ProjectCatalog.dumpedSchemas(c, rules);
      refuseUnreadable(ProjectCatalog.unreadable(c, schemas).stream()
          .filter(t -> !rules.excludedTables().contains(t) && selected(t, options)).toList());
      p.put("supabase.serverVersion", c.getMetaData().getDatabaseProductVersion());
      p.put("supabase.dumpedSchemas", String.join(",", schemas));
      p.put("supabase.excludedSchemasPresent", String.join(",", ProjectCatalog.excludedSchemasPresent(c, rules)));
      p.put("supabase.referencedRoles", String.join(",", ProjectCatalog.referencedRoles(c, schemas)));
      p.put("supabase.extensions", ProjectCatalog.extensions(c).entrySet().stream()
          .map(e -> e.getKey() + "@" + e.getValue()).collect(Collectors.joining(",")));
      p.put("supabase.roles", String.join("\n", ProjectCatalog.customRoleSql(c, rules)));
      p.put("supabase.policies", String.join("\n", ProjectCatalog.policies(c, schemas)));
    } catch (SQLException e) {
      throw PgErrors.map(e, connection.location(), "reading the project's roles and schemas", ErrorCode.SOURCE_FAILED);
    }
    return p;
  }

  /** Whether the user's own selection (exact names; patterns are left to pg_dump) keeps {@code schema.table}. */
  private static boolean selected(String qualified, DumpOptions options) {
    String schema = qualified.substring(0, qualified.indexOf('.'));
    return (options.includeSchemas().isEmpty() || options.includeSchemas().contains(schema))
        && !options.excludeSchemas().contains(schema) && !options.excludeTables().contains(qualified)
        && (options.includeTables().isEmpty() || options.includeTables().contains(qualified));
  }

  /**
   * Tables the dumping role may not read stop pg_dump half-way (its {@code LOCK TABLE}); refused
   * before any work, naming them and what to do.
   */
  private static void refuseUnreadable(List<String> tables) {
    if (tables.isEmpty()) {
      return;
    }
    String first = tables.get(0);
    throw new LifeboatException(ErrorCode.SOURCE_FAILED, "The database role may not read " + String.join(", ", tables.subList(0,
        Math.min(5, tables.size()))) + (tables.size() > 5 ? " and " + (tables.size() - 5) + " more" : "") + ", so pg_dump would stop"
        + " with permission denied (on LOCK TABLE, or reading a sequence). Connect as the project's postgres user (not a temporary login role), or grant it"
        + " (GRANT SELECT ON " + first + " TO postgres), or leave the table out with --exclude-table " + first + ". Nothing was stored.");
  }

  /**
   * A {@code permission denied} on {@code LOCK TABLE s.t} means the dumping role may not read a
   * table the platform manages: says which, and what to do, instead of pg_dump's raw text.
   */
  static LifeboatException explained(LifeboatException e) {
    String text = String.valueOf(e.getMessage());
    Matcher m = LOCK_TABLE.matcher(text);
    if (!text.contains("permission denied") || !m.find()) {
      return e;
    }
    String schema = m.group(1);
    String table = m.group(2);
    return new LifeboatException(ErrorCode.SOURCE_FAILED, "pg_dump may not read " + schema + "." + table + " (permission denied"
        + " on LOCK TABLE): the platform manages schema " + schema + ". Connect as the project's postgres user (not a"
        + " temporary login role), or grant it: GRANT SELECT ON " + schema + "." + table + " TO postgres; or leave the"
        + " table out with --exclude-table " + schema + "." + table + ". Nothing was stored.", e);
  }

  @Override
  public void close() {
    direct.close();
  }

  @Override
  public String toString() {
    return "SupabaseBackupSource[" + project + " via " + connection.how() + "]";
  }

  /** pg_dump's archive as a Supabase dump: its format name, and the project's facts in the manifest. */
  private final class SupabaseDump implements Dump {
    private final Dump dump;
    private final Map<String, String> facts;

    SupabaseDump(Dump dump, Map<String, String> facts) {
      this.dump = dump;
      this.facts = facts;
    }

    @Override public String format() { return Formats.SUPABASE_PG_CUSTOM; }
    @Override public InputStream stream() { return dump.stream(); }
    @Override public Instant consistentAt() { return dump.consistentAt(); }
    @Override public Inventory inventory() { return dump.inventory(); }
    @Override public void close() { dump.close(); }

    @Override
    public SourceFingerprint source() {
      SourceFingerprint f = dump.source();
      return new SourceFingerprint("supabase", f.serverVersion(), f.database(), project.uri());
    }

    @Override
    public void finish() {
      try {
        dump.finish();
      } catch (LifeboatException e) {
        throw explained(e);
      }
    }

    @Override
    public Map<String, String> properties() {
      Map<String, String> all = new LinkedHashMap<>(dump.properties());
      all.putAll(facts);
      return all;
    }
  }
}
