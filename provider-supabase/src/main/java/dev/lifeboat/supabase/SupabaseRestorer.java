package dev.lifeboat.supabase;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.Formats;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.ManifestKeys;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.postgres.PgConnections;
import dev.lifeboat.postgres.PgDatabases;
import dev.lifeboat.postgres.PgErrors;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.postgres.Sql;
import dev.lifeboat.spi.Archive;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreJob;
import dev.lifeboat.spi.Restorer;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a Supabase dump into a plain PostgreSQL server (a drill, a standby, a laptop). What the
 * destination lacks of Supabase is prepared first, never failed on: the roles the dumped objects
 * name (owners, grantees, the API roles of RLS policies) are created as {@code NOLOGIN} roles and
 * the custom roles from their recorded SQL (no passwords), when the restoring role may create
 * roles, otherwise grants, ownership and the policies naming missing roles are left out and the
 * result lists them; the schemas of the
 * extensions the dump uses ({@code extensions}) are created, and extensions the server cannot
 * install (Supabase's own, such as {@code pg_graphql}) are left out and listed. Then the PostgreSQL provider's
 * restorer loads the archive in one transaction, so {@code auth.users}, {@code storage.*} and the
 * user's schemas arrive whole, with their foreign keys and policies. The load and the checks are
 * the installed PostgreSQL provider's, found through the provider context.
 *
 * <p>Into another Supabase project ({@code supabase://REF}) it hands over to {@link ProjectRestore}.
 */
final class SupabaseRestorer implements Restorer {
  private static final Logger LOG = LoggerFactory.getLogger(SupabaseRestorer.class);

  /** Where the PostgreSQL provider's restorer is looked up when no destination is at hand (checking an archive). */
  private static final Location ANY_POSTGRES = Location.parse("postgresql://localhost/postgres");

  private final ProviderContext context;

  SupabaseRestorer(ProviderContext context) {
    this.context = context;
  }

  /** The installed restorer of pg_dump's custom archives into {@code destination}. */
  private Restorer pg(Location destination) {
    return context.restorer(Formats.PG_CUSTOM, destination);
  }

  @Override
  public Set<String> formats() {
    return Set.of(Formats.SUPABASE_PG_CUSTOM);
  }

  @Override
  public boolean accepts(Location destination) {
    return PgLocation.accepts(destination) || destination.scheme().equals(SupabaseLocation.SCHEME);
  }

  @Override
  public String checkArchive(Archive archive) {
    return pg(ANY_POSTGRES).checkArchive(new ArchiveAsPg(archive));
  }

  @Override
  public String readArchive(Archive archive) {
    return pg(ANY_POSTGRES).readArchive(new ArchiveAsPg(archive));
  }

  /**
   * Core checks the stored bytes in a pass of their own first: the restore may read the archive
   * twice (its table of contents, to leave out extensions the destination lacks, then the load).
   * Parallel jobs seek in a file, as for PostgreSQL.
   */
  @Override
  public Reading reading(Manifest manifest, RestoreOptions options) {
    return options.jobs() > 1 ? Reading.SEEKABLE_FILE : Reading.STREAM;
  }

  /** The file parallel jobs seek in, as the PostgreSQL restorer writes it. */
  @Override
  public InputStream seekableCopy(Manifest manifest, InputStream dump) {
    return pg(ANY_POSTGRES).seekableCopy(manifest, dump);
  }

  @Override
  public RestoreResult restore(RestoreJob job) {
    Manifest manifest = job.archive().manifest();
    if (job.destination().scheme().equals(SupabaseLocation.SCHEME)) {
      SupabaseLocation project = SupabaseLocation.parse(job.destination());
      SupabaseSettings settings = SupabaseSettings.from(context);
      SupabaseConnections connections = new SupabaseConnections(context, settings, () -> SupabaseApi.create(context, settings));
      return new ProjectRestore(context, DumpRules.standard()).restore(job, project, connections.resolve(project.ref()));
    }
    PgLocation destination = PgLocation.parse(job.destination(), context.secrets()).requireOneServer();
    RestoreOptions options = confirmedByRef(manifest, destination, job.options());
    boolean existed = PgDatabases.exists(destination);
    if (existed && !options.replace()) {
      List<String> objects = userObjects(destination);
      if (!objects.isEmpty()) {
        throw new LifeboatException(ErrorCode.DESTINATION_NOT_EMPTY, "Destination " + destination + " already holds objects ("
            + String.join(", ", objects) + "). Restore into an empty or new database, or ask to replace its contents (--replace).");
      }
    }
    Map<String, String> details = new LinkedHashMap<>();
    List<String> createdRoles = new ArrayList<>();
    boolean created = false;
    try {
      Preparation prep = prepareRoles(manifest, destination, createdRoles);
      created = !existed && PgDatabases.createMissing(destination);
      List<String> schemas = prepareSchemas(manifest, destination);
      RestoreOptions.Builder b = options.toBuilder();
      if (!existed || !options.replace()) {
        // The destination held nothing but what was just prepared: --clean only meets absent objects.
        b.replace(!schemas.isEmpty() || options.replace());
      }
      List<String> unavailable = unavailableExtensions(manifest, destination);
      if (!unavailable.isEmpty()) {
        b.extra("pg.skipExtensions", String.join(",", unavailable));
        details.put("supabase.skippedExtensions", String.join(",", unavailable));
        LOG.info("Leaving out extensions {}: {} cannot install them", unavailable, destination);
      }
      if (!prep.missing.isEmpty()) {
        b.extra("pg.noOwner", "true").extra("pg.noPrivileges", "true");
        details.put("supabase.skipped", "ownership and every GRANT (roles " + String.join(", ", prep.missing)
            + " do not exist and the restoring role may not create them)");
        List<String[]> policies = policiesNaming(manifest, prep.missing);
        if (!policies.isEmpty()) {
          b.extra("pg.skipEntries", String.join("\n", policies.stream().map(x -> "POLICY " + x[0] + " " + x[1] + " " + x[2]).toList()));
          details.put("supabase.skippedPolicies", String.join(", ", policies.stream()
              .map(x -> x[0] + "." + x[1] + " \"" + x[2] + "\" (for " + x[3] + ")").toList()));
        }
        LOG.info("Restoring without ownership and grants, and without the policies for roles {}: the restoring role may not create them",
            prep.missing);
      }
      RestoreResult r = pg(job.destination()).restore(new RestoreJob(new ArchiveAsPg(job.archive()), job.destination(), b.build(), job.progress()));
      details.putAll(r.details());
      details.put("supabase.createdRoles", String.join(",", createdRoles));
      details.put("supabase.createdSchemas", String.join(",", schemas));
      details.put("createdDatabase", Boolean.toString(created || Boolean.parseBoolean(r.details().get("createdDatabase"))));
      Optional.ofNullable(manifest.properties().get(ManifestKeys.SUPABASE_PROJECT_REF)).ifPresent(ref -> details.put(ManifestKeys.SUPABASE_PROJECT_REF, ref));
      return new RestoreResult(r.snapshotId(), r.destination(), manifest.format(), r.restored(), r.elapsed(), details, r.verification());
    } catch (RuntimeException | Error e) {
      PgDatabases.dropIfCreated(destination, created, e);
      dropRoles(destination, createdRoles);
      throw e;
    }
  }

  /** The source project is refused unless confirmed; its ref confirms it as well as the database's name. */
  private static RestoreOptions confirmedByRef(Manifest manifest, PgLocation destination, RestoreOptions options) {
    String ref = manifest.properties().get(ManifestKeys.SUPABASE_PROJECT_REF);
    if (ref != null && options.confirm().filter(ref::equals).isPresent()) {
      return options.toBuilder().confirm(destination.database()).build();
    }
    return options;
  }

  private record Preparation(List<String> missing) {}

  /**
   * Creates the roles the archive names and the destination lacks: custom roles from their SQL,
   * the others (platform and API roles) as {@code NOLOGIN}. Without the right to create roles,
   * returns the ones still missing.
   */
  private Preparation prepareRoles(Manifest manifest, PgLocation destination, List<String> created) {
    DumpRules rules = DumpRules.standard();
    Set<String> wanted = new LinkedHashSet<>(list(manifest.properties().get("supabase.referencedRoles")));
    wanted.addAll(rules.apiRoles());
    List<String> roleSql = list(manifest.properties().get("supabase.roles"), "\n");
    PgLocation server = destination.withDatabase("postgres");
    try (Connection c = PgConnections.open(server)) {
      boolean mayCreate = mayCreateRoles(c);
      Set<String> missing = new LinkedHashSet<>();
      for (String role : wanted) {
        if (!roleExists(c, role)) {
          missing.add(role);
        }
      }
      Set<String> custom = new LinkedHashSet<>();
      for (String line : roleSql) {
        if (line.startsWith("CREATE ROLE ")) {
          String name = unquote(line.substring("CREATE ROLE ".length(), line.length() - 1));
          if (!roleExists(c, name)) {
            custom.add(name);
          }
        }
      }
      if (!mayCreate) {
        missing.addAll(custom);
        return new Preparation(List.copyOf(missing));
      }
      try (Statement st = c.createStatement()) {
        for (String role : missing) {
          if (!custom.contains(role)) {
            st.execute("CREATE ROLE " + Sql.ident(role) + " NOLOGIN");
            created.add(role);
          }
        }
        for (String line : roleSql) {
          if (line.startsWith("CREATE ROLE ")) {
            String name = unquote(line.substring("CREATE ROLE ".length(), line.length() - 1));
            if (!custom.contains(name)) {
              continue;
            }
            st.execute(line);
            created.add(name);
          } else if (line.startsWith("ALTER ROLE ") && custom.stream().anyMatch(n -> line.startsWith("ALTER ROLE " + Sql.ident(n) + " "))) {
            st.execute(line);
          } else if (line.startsWith("GRANT ")) {
            grantQuietly(c, line);
          }
        }
      }
      if (!created.isEmpty()) {
        LOG.info("Created roles {} in {} for the restore", created, server);
      }
      return new Preparation(List.of());
    } catch (SQLException e) {
      throw PgErrors.map(e, server, "creating the roles the snapshot names", ErrorCode.RESTORE_FAILED);
    }
  }

  /** A membership whose role is missing on this server is left out, not fatal. */
  private static void grantQuietly(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SAVEPOINT grant_role");
      st.execute(sql);
      st.execute("RELEASE SAVEPOINT grant_role");
    } catch (SQLException e) {
      LOG.info("Left out '{}': {}", sql, e.getMessage());
    }
  }

  /** Creates the schemas the dumped extensions live in when the dump left them out ({@code extensions}). */
  private static List<String> prepareSchemas(Manifest manifest, PgLocation destination) {
    Set<String> dumped = new LinkedHashSet<>(list(manifest.properties().get("supabase.dumpedSchemas")));
    List<String> created = new ArrayList<>();
    try (Connection c = PgConnections.open(destination); Statement st = c.createStatement()) {
      for (String ext : list(manifest.properties().get("supabase.extensions"))) {
        int at = ext.lastIndexOf('@');
        String schema = at < 0 ? null : ext.substring(at + 1);
        if (schema == null || dumped.contains(schema) || schema.equals("pg_catalog") || created.contains(schema)) {
          continue;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
          ps.setString(1, schema);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              continue;
            }
          }
        }
        st.execute("CREATE SCHEMA " + Sql.ident(schema));
        created.add(schema);
      }
    } catch (SQLException e) {
      throw PgErrors.map(e, destination, "creating the extensions' schemas", ErrorCode.RESTORE_FAILED);
    }
    return created;
  }

  /** The recorded policies that name one of {@code missing}: {schema, table, policy, roles}. */
  private static List<String[]> policiesNaming(Manifest manifest, List<String> missing) {
    List<String[]> out = new ArrayList<>();
    for (String line : list(manifest.properties().get("supabase.policies"), "\n")) {
      String[] p = line.split("\t", -1);
      if (p.length == 4 && Arrays.stream(p[3].split(",")).anyMatch(missing::contains)) {
        out.add(p);
      }
    }
    return out;
  }

  /** The dump's extensions the destination server does not have (Supabase's own: pg_graphql, pgsodium, ...). */
  private static List<String> unavailableExtensions(Manifest manifest, PgLocation destination) {
    List<String> out = new ArrayList<>();
    try (Connection c = PgConnections.open(destination);
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = ?")) {
      for (String ext : list(manifest.properties().get("supabase.extensions"))) {
        int at = ext.lastIndexOf('@');
        String name = at < 0 ? ext : ext.substring(0, at);
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            out.add(name);
          }
        }
      }
    } catch (SQLException e) {
      throw PgErrors.map(e, destination, "looking up the extensions it can install", ErrorCode.RESTORE_FAILED);
    }
    return out;
  }

  private static void dropRoles(PgLocation destination, List<String> roles) {
    if (roles.isEmpty()) {
      return;
    }
    try (Connection c = PgConnections.open(destination.withDatabase("postgres")); Statement st = c.createStatement()) {
      for (String r : roles) {
        st.execute("DROP ROLE IF EXISTS " + Sql.ident(r));
      }
    } catch (SQLException | RuntimeException e) {
      LOG.warn("Could not drop the roles created for a failed restore ({}): {}", roles, e.getMessage());
    }
  }

  private static List<String> userObjects(PgLocation destination) {
    try (Connection c = PgConnections.open(destination)) {
      return PgDatabases.userObjects(c, 5);
    } catch (SQLException e) {
      throw PgErrors.map(e, destination, "inspecting the destination", ErrorCode.RESTORE_FAILED);
    }
  }

  private static boolean mayCreateRoles(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT rolsuper OR rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = current_user")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private static boolean roleExists(Connection c, String role) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?")) {
      ps.setString(1, role);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static String unquote(String ident) {
    return ident.startsWith("\"") && ident.endsWith("\"") ? ident.substring(1, ident.length() - 1).replace("\"\"", "\"") : ident;
  }

  private static List<String> list(String text) {
    return list(text, ",");
  }

  private static List<String> list(String text, String separator) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return Arrays.stream(text.split(separator)).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  @Override
  public String toString() {
    return "SupabaseRestorer[" + Formats.SUPABASE_PG_CUSTOM + "]";
  }
}
