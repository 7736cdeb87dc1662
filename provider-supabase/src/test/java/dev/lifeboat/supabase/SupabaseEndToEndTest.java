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
  void managedTableThatMayNotBeLockedIsExplained() throws Exception {
    try (Connection c = project.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cli_login_postgres') THEN"
          + " CREATE ROLE cli_login_postgres LOGIN PASSWORD 'temporary-login-pw'; END IF; END $$");
      st.execute("GRANT USAGE ON SCHEMA public, app, auth, storage, supabase_functions TO cli_login_postgres");
      st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public, app, auth, storage TO cli_login_postgres");
    }
    String url = "postgresql://cli_login_postgres@localhost:" + project.getPort() + "/postgres";
    try (Lifeboat lb = lifeboat(Map.of("SUPABASE_DB_URL", url, "SUPABASE_DB_PASSWORD", "temporary-login-pw"))) {
      assertThatThrownBy(() -> backup(lb, DumpOptions.defaults()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_FAILED))
          .hasMessageContaining("supabase_functions.hooks")
          .hasMessageContaining("GRANT SELECT ON supabase_functions.hooks TO postgres")
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
