package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Supabase through the packaged jar: a Supabase-aware backup of an embedded PostgreSQL shaped like
 * a Supabase project (reached through SUPABASE_DB_URL), the listing, a verified restore into a
 * second, plain cluster, and a project ref that is not one (exit 2).
 */
class SupabaseJarIT {
  static final String REF = "abcdefghijklmnopqrst";
  static EmbeddedPostgres project;
  static EmbeddedPostgres plain;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    project = EmbeddedPostgres.builder().start();
    plain = EmbeddedPostgres.builder().start();
    // The same Supabase-shaped project the provider's own end-to-end test uses.
    String sql = Files.readString(Path.of("..", "provider-supabase", "src", "test", "resources", "supabase-project.sql"));
    try (Connection c = project.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    project.close();
    plain.close();
  }

  @Test
  void backupListRestoreThroughTheJar() throws Exception {
    String target = "file:" + work.resolve("store");
    Map<String, String> env = Map.of("SUPABASE_DB_URL", "postgresql://postgres@localhost:" + project.getPort() + "/postgres");

    PackagedJar.Run backup = PackagedJar.run(work, env, "backup", "--source", "supabase://" + REF, "--target", target);
    assertThat(backup.exit()).as(backup.toString()).isZero();
    assertThat(backup.err()).as(backup.toString()).contains("supabase://" + REF + ": connecting through SUPABASE_DB_URL");
    String id = backup.lastOutLine();

    PackagedJar.Run list = PackagedJar.run(work, env, "list", "--target", target, "--json");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out()).contains(id).contains("supabase-pg-custom").contains("\"supabase.projectRef\" : \"" + REF + "\"")
        .contains("\"namespace\" : \"auth\"").contains("\"name\" : \"users\"").doesNotContain("\"namespace\" : \"vault\"")
        .contains("\"supabase.excludedSchemasPresent\" : \"").doesNotContain("writer-secret-pw-42");

    String dest = "postgresql://postgres@localhost:" + plain.getPort() + "/drill";
    PackagedJar.Run restore = PackagedJar.run(work, env, "restore", "--target", target, "--snapshot", id,
        "--destination", dest, "--verify");
    assertThat(restore.exit()).as(restore.toString()).isZero();
    assertThat(restore.out()).startsWith("RESTORED  snapshot " + id).contains("VERIFIED").contains("count auth.users")
        .doesNotContain("FAIL");
    assertThat(count("SELECT count(*) FROM auth.users")).isEqualTo(25);
    assertThat(count("SELECT count(*) FROM public.profiles p JOIN auth.users u ON u.id = p.id")).isEqualTo(25);
    assertThat(count("SELECT count(*) FROM pg_policies WHERE 'authenticated' = ANY (roles)")).isEqualTo(1);

    PackagedJar.Run bad = PackagedJar.run(work, env, "backup", "--source", "supabase://NotARef", "--target", target);
    assertThat(bad.exit()).as(bad.toString()).isEqualTo(2);
    assertThat(bad.errLines()).as(bad.toString()).hasSize(1);
    assertThat(bad.err()).contains("20 lowercase letters");

    for (PackagedJar.Run r : List.of(backup, list, restore)) {
      assertThat(r.err()).as("no library log lines: " + r).doesNotContain("WARN").doesNotContain("INFO").doesNotContain("SLF4J");
    }
  }

  @Test
  void platformBackupsAreListedAndAPointOutsideTheWindowIsRefused() throws Exception {
    WireMockServer api = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    api.start();
    try {
      api.stubFor(WireMock.get(WireMock.urlPathEqualTo("/v1/projects/" + REF + "/database/backups")).willReturn(WireMock.okJson(
          "{\"region\":\"eu-central-1\",\"walg_enabled\":true,\"pitr_enabled\":true,\"backups\":[{\"id\":4711,"
              + "\"is_physical_backup\":true,\"status\":\"COMPLETED\",\"inserted_at\":\"2026-02-08 16:44:07\"}],"
              + "\"physical_backup_data\":{\"earliest_physical_backup_date_unix\":1772000000,"
              + "\"latest_physical_backup_date_unix\":1772600000}}")));
      Map<String, String> env = Map.of("SUPABASE_ACCESS_TOKEN", "sbp_0123456789abcdef0123456789abcdef01234567",
          "SUPABASE_API_URL", api.baseUrl());

      PackagedJar.Run list = PackagedJar.run(work, env, "list", "--target", "supabase://" + REF);
      assertThat(list.exit()).as(list.toString()).isZero();
      assertThat(list.out()).contains("4711").contains("2026-02-08").contains("pitr").contains("supabase-platform");
      assertThat(list.err()).doesNotContain("sbp_0123456789abcdef");

      PackagedJar.Run outside = PackagedJar.run(work, env, "restore", "--target", "supabase://" + REF, "--at", "2020-01-01T00:00:00Z",
          "--destination", "supabase://" + REF, "--confirm", REF);
      assertThat(outside.exit()).as(outside.toString()).isEqualTo(2);
      assertThat(outside.errLines()).as(outside.toString()).hasSize(1);
      assertThat(outside.err()).contains("outside the point-in-time window").contains("2026-02-25T06:13:20Z");
      api.verify(0, WireMock.postRequestedFor(WireMock.anyUrl()));
    } finally {
      api.stop();
    }
  }

  @Test
  void anInPlaceRestoreStoppedWhileSupabaseRestoresSaysItGoesOnThereInOneLine() throws Exception {
    WireMockServer api = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    api.start();
    try {
      String base = "/v1/projects/" + REF;
      api.stubFor(WireMock.get(WireMock.urlPathEqualTo(base + "/database/backups")).willReturn(WireMock.okJson(
          "{\"region\":\"eu-central-1\",\"walg_enabled\":true,\"pitr_enabled\":false,\"backups\":[{\"id\":4711,"
              + "\"is_physical_backup\":true,\"status\":\"COMPLETED\",\"inserted_at\":\"2026-02-08 16:44:07\"}]}")));
      api.stubFor(WireMock.post(WireMock.urlPathEqualTo(base + "/database/backups/restore")).willReturn(WireMock.aResponse().withStatus(201)));
      // The project never comes back while the command runs: it waits until the signal.
      api.stubFor(WireMock.get(WireMock.urlPathEqualTo(base)).willReturn(WireMock.okJson(
          "{\"id\":\"1\",\"ref\":\"" + REF + "\",\"organization_id\":\"org\",\"organization_slug\":\"acme\",\"name\":\"shop\","
              + "\"region\":\"eu-central-1\",\"created_at\":\"2025-01-01T00:00:00Z\",\"status\":\"RESTORING\",\"database\":"
              + "{\"host\":\"db." + REF + ".supabase.co\",\"version\":\"15.8.1.085\",\"postgres_engine\":\"15\",\"release_channel\":\"ga\"}}")));
      Map<String, String> env = Map.of("SUPABASE_ACCESS_TOKEN", "sbp_0123456789abcdef0123456789abcdef01234567",
          "SUPABASE_API_URL", api.baseUrl());
      PackagedJar.Running restore = PackagedJar.spawn(work, env, "restore", "--target", "supabase://" + REF, "--snapshot", "4711",
          "--destination", "supabase://" + REF, "--confirm", REF);
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while (api.findAll(WireMock.getRequestedFor(WireMock.urlPathEqualTo(base))).isEmpty()) {
        assertThat(restore.process().isAlive()).as("lifeboat still runs").isTrue();
        assertThat(System.nanoTime()).as("the restore polls the project").isLessThan(deadline);
        Thread.sleep(50);
      }

      restore.process().destroy();
      PackagedJar.Run stopped = restore.await();

      assertThat(stopped.exit()).as(stopped.toString()).isEqualTo(143);
      // Before it, the in-place warning and the project's status, as any in-place restore prints them.
      assertThat(stopped.errLines()).as(stopped.toString()).filteredOn(l -> l.startsWith("lifeboat:")).singleElement()
          .isEqualTo(stopped.errLines().get(stopped.errLines().size() - 1)).satisfies(line -> assertThat(line)
          .startsWith("lifeboat: restore interrupted by a signal; the restore goes on at Supabase without Lifeboat: check ")
          .contains(REF).doesNotContain("replace").doesNotContain("sbp_0123456789abcdef"));
      api.verify(1, WireMock.postRequestedFor(WireMock.urlPathEqualTo(base + "/database/backups/restore")));
    } finally {
      api.stop();
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = plain.getDatabase("postgres", "drill").getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
