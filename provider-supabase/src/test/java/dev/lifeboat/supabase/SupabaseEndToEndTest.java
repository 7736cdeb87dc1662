package dev.lifeboat.supabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Formats;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PostgreSQL shaped like a Supabase project (reached through SUPABASE_DB_URL) backed up
 * with the Supabase-aware dump and restored into a second, plain cluster that has none of
 * Supabase's roles or schemas.
 */
class SupabaseEndToEndTest {
  static final String REF = "abcdefghijklmnopqrst";
  static EmbeddedPostgres project;
  static EmbeddedPostgres plain;
  @TempDir static Path store;

  @BeforeAll
  static void start() throws IOException, SQLException {
    project = EmbeddedPostgres.builder().start();
    plain = EmbeddedPostgres.builder().start();
    String sql;
    try (InputStream in = SupabaseEndToEndTest.class.getResourceAsStream("/supabase-project.sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = project.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  @AfterAll
  static void stop() throws IOException {
    project.close();
    plain.close();
  }

  static Lifeboat lifeboat(Map<String, String> secrets) {
    return Lifeboat.builder().secrets(name -> Optional.ofNullable(secrets.get(name))).build();
  }

  static String projectUrl() {
    return "postgresql://postgres@localhost:" + project.getPort() + "/postgres";
  }

  static Snapshot backup(Lifeboat lb, DumpOptions options) {
    return lb.backup(BackupRequest.builder(Location.parse("supabase://" + REF), Location.of(store)).options(options).build());
  }

  @Test
  void backupLeavesOutManagedSchemasAndRestoresIntoPlainPostgres() throws Exception {
    try (Lifeboat lb = lifeboat(Map.of("SUPABASE_DB_URL", projectUrl()))) {
      Snapshot s = backup(lb, DumpOptions.builder().compression(Compression.NONE).build());
      Manifest m = s.manifest();
      assertThat(m.format()).isEqualTo(Formats.SUPABASE_PG_CUSTOM);
      assertThat(m.source().kind()).isEqualTo("supabase");
      assertThat(m.source().uri()).isEqualTo("supabase://" + REF);
      assertThat(m.source().serverVersion()).startsWith("15.");
      assertThat(m.properties()).containsEntry("supabase.projectRef", REF)
          .containsEntry("supabase.rules", DumpRules.standard().version());
      assertThat(m.properties().get("supabase.connection")).startsWith("SUPABASE_DB_URL");
      assertThat(List.of(m.properties().get("supabase.excludedSchemasPresent").split(",")))
          .contains("realtime", "vault", "supabase_migrations", "graphql", "graphql_public", "_analytics", "pgsodium", "extensions")
          .doesNotContain("auth", "storage", "public", "app");
      assertThat(List.of(m.properties().get("supabase.referencedRoles").split(",")))
          .contains("anon", "authenticated", "service_role", "supabase_auth_admin", "supabase_storage_admin", "reporting");
      String roles = m.properties().get("supabase.roles");
      assertThat(roles).contains("CREATE ROLE \"app_writer\";", "CREATE ROLE \"reporting\";", "GRANT \"reporting\" TO \"app_writer\";",
          "ALTER ROLE \"app_writer\" SET statement_timeout TO E'30s';")
          .doesNotContain("anon", "authenticator", "supabase_auth_admin", "work_mem", "PASSWORD", "SUPERUSER");

      Map<String, Long> counts = m.inventory().items().stream().filter(InventoryItem::counted)
          .collect(Collectors.toMap(InventoryItem::qualifiedName, InventoryItem::count));
      assertThat(counts).containsEntry("auth.users", 25L).containsEntry("auth.identities", 25L)
          .containsEntry("storage.buckets", 1L).containsEntry("storage.objects", 10L)
          .containsEntry("public.profiles", 25L).containsEntry("public.notes", 75L).containsEntry("app.settings", 1L)
          .containsEntry("supabase_functions.hooks", 1L)
          .doesNotContainKeys("auth.schema_migrations", "storage.migrations", "supabase_functions.migrations",
              "vault.secrets", "realtime.messages", "supabase_migrations.schema_migrations", "graphql.meta");

      // The archive itself: no vault secret, no role password, no managed table.
      String archive = archiveText(s);
      assertThat(archive).doesNotContain("vault-secret-value-123").doesNotContain("writer-secret-pw-42")
          .doesNotContain("schema_migrations").doesNotContain("realtime").contains("user7@example.com");

      String dest = "postgresql://postgres@localhost:" + plain.getPort() + "/drill";
      RestoreResult r = lb.restore(RestoreRequest.builder(Location.of(store), s.id(), Location.parse(dest)).verify().build());
      assertThat(r.verified()).hasValueSatisfying(v -> assertThat(v.passed()).as(v.toString()).isTrue());
      assertThat(r.details().get("supabase.createdRoles").split(","))
          .contains("anon", "authenticated", "service_role", "supabase_auth_admin", "reporting", "app_writer");
      assertThat(r.details()).containsEntry("supabase.createdSchemas", "extensions");

      try (Connection c = plain.getDatabase("postgres", "drill").getConnection()) {
        for (Map.Entry<String, Long> e : counts.entrySet()) {
          assertThat(number(c, "SELECT count(*) FROM " + e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(text(c, "SELECT string_agg(email, ',' ORDER BY email) FROM auth.users"))
            .isEqualTo(textOfProject("SELECT string_agg(email, ',' ORDER BY email) FROM auth.users"));
        assertThat(text(c, "SELECT string_agg(confrelid::regclass::text, ',' ORDER BY conname) FROM pg_constraint"
            + " WHERE contype = 'f' AND conrelid IN ('public.profiles'::regclass, 'public.notes'::regclass, 'storage.objects'::regclass)"))
            .contains("auth.users");
        assertThat(text(c, "SELECT string_agg(tablename || ':' || policyname || ':' || array_to_string(roles, '|'), ',' ORDER BY policyname)"
            + " FROM pg_policies")).isEqualTo("objects:avatars are public:anon,profiles:own profile:authenticated");
        assertThat(text(c, "SELECT relrowsecurity::text FROM pg_class WHERE oid = 'public.profiles'::regclass")).isEqualTo("true");
        assertThat(text(c, "SELECT has_table_privilege('anon', 'public.profiles', 'SELECT')::text")).isEqualTo("true");
        assertThat(text(c, "SELECT has_table_privilege('anon', 'public.profiles', 'INSERT')::text")).isEqualTo("false");
        assertThat(text(c, "SELECT rolcanlogin::text FROM pg_roles WHERE rolname = 'anon'")).isEqualTo("false");
        assertThat(text(c, "SELECT tableowner FROM pg_tables WHERE schemaname = 'auth' AND tablename = 'users'")).isEqualTo("supabase_auth_admin");
        assertThat(text(c, "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pgcrypto'")).isEqualTo("extensions");
        assertThat(number(c, "SELECT count(*) FROM pg_namespace WHERE nspname IN ('vault', 'realtime', 'supabase_migrations', 'graphql')")).isZero();
        assertThat(text(c, "SELECT to_regclass('auth.schema_migrations')::text")).isNull();
        // The identity column goes on from where the source left off.
        assertThat(text(c, "INSERT INTO public.notes (owner, body) SELECT id, 'new' FROM auth.users LIMIT 1 RETURNING id::text")).isEqualTo("76");
      }
    }
  }

  @Test
  void extensionsLeftOutAreNotCreatedAndEverythingElseIs() throws Exception {
    try (Lifeboat lb = lifeboat(Map.of("SUPABASE_DB_URL", projectUrl()))) {
      Snapshot s = backup(lb, DumpOptions.defaults());
      assertThat(s.manifest().properties().get("supabase.extensions")).contains("pgcrypto@extensions", "uuid-ossp@extensions");
      String dest = "postgresql://postgres@localhost:" + plain.getPort() + "/without_uuid";
      RestoreResult r = lb.restore(RestoreRequest.builder(Location.of(store), s.id(), Location.parse(dest))
          .options(dev.lifeboat.RestoreOptions.builder().extra("pg.skipExtensions", "uuid-ossp").build()).verify().build());
      assertThat(r.verified()).hasValueSatisfying(v -> assertThat(v.passed()).as(v.toString()).isTrue());
      try (Connection c = plain.getDatabase("postgres", "without_uuid").getConnection()) {
        assertThat(text(c, "SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension")).isEqualTo("pgcrypto,plpgsql");
        assertThat(number(c, "SELECT count(*) FROM public.notes")).isEqualTo(75);
      }
    }
  }

  @Test
  void restoreIntoAnotherProjectLoadsUserSchemasAndAuthStorageData() throws Exception {
    String other = "zyxwvutsrqponmlkjihg";
    try (EmbeddedPostgres target = EmbeddedPostgres.builder().start()) {
      // Another project: the platform's roles, schemas and own rows, none of the user's.
      try (Connection c = target.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
        st.execute(fixture());
        st.execute("DROP VIEW public.note_counts; DROP TABLE public.notes, public.profiles; DROP SCHEMA app CASCADE;"
            + " DELETE FROM storage.objects; DELETE FROM storage.buckets; DELETE FROM auth.identities; DELETE FROM auth.users;"
            + " DELETE FROM supabase_functions.hooks;"
            // A platform trigger that must not fire for restored rows (session_replication_role = replica).
            + " CREATE TABLE auth.audit_log_entries (id serial PRIMARY KEY, note text);"
            + " CREATE FUNCTION auth.log_user() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " INSERT INTO auth.audit_log_entries (note) VALUES (NEW.email); RETURN NEW; END $$;"
            + " CREATE TRIGGER on_user AFTER INSERT ON auth.users FOR EACH ROW EXECUTE FUNCTION auth.log_user();"
            + " DROP ROLE app_writer; DROP ROLE reporting; INSERT INTO auth.schema_migrations VALUES ('20990101')");
      }
      Snapshot s;
      try (Lifeboat lb = lifeboat(Map.of("SUPABASE_DB_URL", projectUrl()))) {
        s = backup(lb, DumpOptions.defaults());
      }
      String targetUrl = "postgresql://postgres@localhost:" + target.getPort() + "/postgres";
      try (Lifeboat lb = lifeboat(Map.of("SUPABASE_DB_URL", targetUrl))) {
        RestoreResult r = lb.restore(RestoreRequest.builder(Location.of(store), s.id(), Location.parse("supabase://" + other)).build());
        assertThat(r.details().get("supabase.createdRoles").split(",")).containsExactlyInAnyOrder("app_writer", "reporting");
        assertThat(r.details().get("supabase.followUp")).contains("app_writer").contains("Storage objects").contains("pgsodium");
        assertThat(r.destination()).isEqualTo("supabase://" + other);

        try (Connection c = target.getPostgresDatabase().getConnection()) {
          for (String t : List.of("auth.users", "auth.identities", "storage.buckets", "storage.objects", "public.profiles",
              "public.notes", "app.settings")) {
            assertThat(number(c, "SELECT count(*) FROM " + t)).as(t).isEqualTo(countInProject("SELECT count(*) FROM " + t));
          }
          assertThat(number(c, "SELECT count(*) FROM auth.audit_log_entries")).as("triggers were off during the load").isZero();
          assertThat(text(c, "SELECT string_agg(version, ',' ORDER BY version) FROM auth.schema_migrations"))
              .as("the destination's own migration history is kept").isEqualTo("20240101,20240102,20990101");
          assertThat(text(c, "SELECT string_agg(policyname, ',' ORDER BY policyname) FROM pg_policies"))
              .isEqualTo("avatars are public,own profile");
          assertThat(text(c, "SELECT rolcanlogin::text FROM pg_roles WHERE rolname = 'app_writer'")).isEqualTo("true");
          assertThat(text(c, "SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = 'app_writer'")).isEqualTo("t");
          assertThat(text(c, "SELECT has_table_privilege('anon', 'public.profiles', 'SELECT')::text")).isEqualTo("true");
          assertThat(text(c, "SELECT string_agg(confrelid::regclass::text, ',') FROM pg_constraint WHERE conrelid = 'public.profiles'::regclass"
              + " AND contype = 'f'")).isEqualTo("auth.users");
          assertThat(text(c, "SELECT secret FROM vault.secrets")).isEqualTo("vault-secret-value-123");
          assertThat(number(c, "SELECT count(*) FROM vault.secrets")).as("vault is never copied").isEqualTo(1);
        }

        // Again: the project now holds data, so it needs the confirmation.
        assertThatThrownBy(() -> lb.restore(RestoreRequest.builder(Location.of(store), s.id(), Location.parse("supabase://" + other)).build()))
            .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DESTINATION_NOT_EMPTY))
            .hasMessageContaining("--confirm " + other);
      }
    }
  }

  private static String fixture() throws IOException {
    try (InputStream in = SupabaseEndToEndTest.class.getResourceAsStream("/supabase-project.sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static long countInProject(String sql) throws SQLException {
    return Long.parseLong(textOfProject(sql));
  }

  @Test
  void aRoleThatMayNotCreateRolesRestoresWithoutGrantsAndThePoliciesForMissingRoles() throws Exception {
    try (EmbeddedPostgres bare = EmbeddedPostgres.builder().start()) {
      try (Connection c = bare.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
        st.execute("CREATE ROLE drill_user LOGIN CREATEDB NOCREATEROLE");
      }
      try (Lifeboat lb = lifeboat(Map.of("SUPABASE_DB_URL", projectUrl()))) {
        Snapshot s = backup(lb, DumpOptions.defaults());
        assertThat(s.manifest().properties().get("supabase.policies"))
            .contains("public\tprofiles\town profile\tauthenticated").contains("storage\tobjects\tavatars are public\tanon");
        String dest = "postgresql://drill_user@localhost:" + bare.getPort() + "/limited";
        RestoreResult r = lb.restore(RestoreRequest.builder(Location.of(store), s.id(), Location.parse(dest)).verify().build());
        assertThat(r.verified()).hasValueSatisfying(v -> assertThat(v.passed()).as(v.toString()).isTrue());
        assertThat(r.details().get("supabase.skipped")).contains("GRANT").contains("anon").contains("authenticated");
        assertThat(r.details().get("supabase.skippedPolicies"))
            .contains("public.profiles \"own profile\" (for authenticated)").contains("storage.objects \"avatars are public\" (for anon)");
        try (Connection c = bare.getDatabase("postgres", "limited").getConnection()) {
          assertThat(number(c, "SELECT count(*) FROM pg_roles WHERE rolname IN ('anon', 'authenticated', 'service_role')")).isZero();
          assertThat(number(c, "SELECT count(*) FROM pg_policies")).isZero();
          assertThat(number(c, "SELECT count(*) FROM auth.users")).isEqualTo(25);
          assertThat(text(c, "SELECT tableowner FROM pg_tables WHERE schemaname = 'auth' AND tablename = 'users'")).isEqualTo("drill_user");
        }
      }
    }
  }

  @Test
  void managedTableThatMayNotBeLockedIsExplained() throws Exception {
    try (Connection c = project.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cli_login_postgres') THEN"
          + " CREATE ROLE cli_login_postgres LOGIN PASSWORD 'temporary-login-pw'; END IF; END $$");
      st.execute("GRANT USAGE ON SCHEMA public, app, auth, storage, supabase_functions TO cli_login_postgres");
      st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public, app, auth, storage TO cli_login_postgres");
      st.execute("GRANT SELECT ON ALL SEQUENCES IN SCHEMA public, app, auth, storage TO cli_login_postgres");
    }
    String url = "postgresql://cli_login_postgres@localhost:" + project.getPort() + "/postgres";
    try (Lifeboat lb = lifeboat(Map.of("SUPABASE_DB_URL", url, "SUPABASE_DB_PASSWORD", "temporary-login-pw"))) {
      assertThatThrownBy(() -> backup(lb, DumpOptions.defaults()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_FAILED))
          .hasMessageContaining("may not read supabase_functions.hooks,")
          .hasMessageContaining("GRANT SELECT ON supabase_functions.hooks TO postgres")
          .hasMessageContaining("--exclude-table supabase_functions.hooks")
          .hasMessageNotContaining("temporary-login-pw");
    }
  }

  @Test
  void badProjectRefIsAConfigurationError() {
    try (Lifeboat lb = lifeboat(Map.of("SUPABASE_DB_URL", projectUrl()))) {
      assertThatThrownBy(() -> lb.backup(BackupRequest.builder(Location.parse("supabase://Not-A-Ref"), Location.of(store)).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code().exitStatus()).isEqualTo(2))
          .hasMessageContaining("20 lowercase letters");
    }
  }

  @Test
  void parallelJobsAreRefusedRatherThanIgnored() {
    try (Lifeboat lb = lifeboat(Map.of("SUPABASE_DB_URL", projectUrl()))) {
      int before = lb.list(Location.of(store)).size();
      assertThatThrownBy(() -> backup(lb, DumpOptions.builder().jobs(3).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
          .hasMessageContaining("--jobs 3 does not apply to a Supabase backup").hasMessageContaining("Leave --jobs out");
      assertThat(lb.list(Location.of(store))).as("nothing stored").hasSize(before);
    }
  }

  @Test
  void missingPasswordSaysWhatToSet() {
    try (Lifeboat lb = lifeboat(Map.of())) {
      assertThatThrownBy(() -> backup(lb, DumpOptions.defaults()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
          .hasMessageContaining("SUPABASE_DB_PASSWORD");
    }
  }

  /** The archive as SQL, written by pg_restore. */
  private static String archiveText(Snapshot s) throws Exception {
    Path file;
    try (Stream<Path> files = Files.walk(store)) {
      file = files.filter(p -> p.getParent().getFileName().toString().equals(s.id()) && !p.toString().endsWith(".json")
          && Files.isRegularFile(p)).findFirst().orElseThrow();
    }
    Process p = new ProcessBuilder("pg_restore", "--file=-", file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  private static long number(Connection c, String sql) throws SQLException {
    return Long.parseLong(text(c, sql));
  }

  private static String text(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static String textOfProject(String sql) throws SQLException {
    try (Connection c = project.getPostgresDatabase().getConnection()) {
      return text(c, sql);
    }
  }
}
