package dev.lifeboat.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lifeboat.Json;
import dev.lifeboat.neon.FakeNeon;
import dev.lifeboat.neon.NeonSpecCheck;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Neon backup-branch drill and a Neon health check through the packaged jar, against the spec-
 * checked Neon stub whose branches are databases on the shared embedded PostgreSQL: the drill makes
 * a throwaway branch with an expiry, checks it against the backup branch (read through a read-only
 * compute), deletes it also when a check fails, and records the drill so that {@code health}
 * reports it beside Neon's PITR window and branch use.
 */
class NeonDrillJarIT {
  private static final String PROJECT = "drill-lake-654321";
  private static final String API_KEY = "napi_drill_jar_5ecr3t_key";
  /** The role password connection URIs carry; it must never be printed. */
  private static final String ROLE_PASSWORD = "stub-role-pw-5ecr3t";
  static WireMockServer wiremock;
  static FakeNeon neon;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    EmbeddedPostgres pg = SharedPostgres.get();
    sql(pg, "DROP DATABASE IF EXISTS " + database("br-main-000001") + " WITH (FORCE)");
    sql(pg, "CREATE DATABASE " + database("br-main-000001"));
    DemoData.fill(pg.getDatabase("postgres", database("br-main-000001")), 200);
    // The real clock: the jar runs on it. Operations finish at once: the jar polls at its default pace.
    neon = new FakeNeon(PROJECT, Instant.now());
    neon.operationPolls = 0;
    neon.historySeconds = 7 * 86400;
    neon.rolePassword = ROLE_PASSWORD;
    // Every branch is a database nj_<branch id>; a new one is a template copy of its parent's.
    neon.backedBy(new FakeNeon.Backing() {
      @Override
      public String uri(String branchId, String database, String role, String password) {
        return "postgresql://postgres:" + password + "@localhost:" + pg.getPort() + "/" + database(branchId);
      }

      @Override
      public void copied(String branchId, String sourceId) {
        sql(pg, "DROP DATABASE IF EXISTS " + database(branchId) + " WITH (FORCE)");
        sql(pg, "CREATE DATABASE " + database(branchId) + " TEMPLATE " + database(sourceId));
      }

      @Override
      public void deleted(String branchId) {
        sql(pg, "DROP DATABASE IF EXISTS " + database(branchId) + " WITH (FORCE)");
      }
    });
    wiremock = new WireMockServer(options().dynamicPort().extensions(neon));
    wiremock.start();
    wiremock.stubFor(any(urlPathMatching("/api/v2/.*")).willReturn(aResponse().withTransformers(FakeNeon.NAME)));
  }

  @AfterAll
  static void stop() {
    wiremock.stop();
  }

  private static String database(String branchId) {
    return "nj_" + branchId.replace('-', '_');
  }

  private static void sql(EmbeddedPostgres pg, String statement) {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute(statement);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(statement + ": " + e.getMessage(), e);
    }
  }

  private static PackagedJar.Run lifeboat(String... args) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("NEON_API_KEY", API_KEY);
    env.put("NEON_API_URL", wiremock.baseUrl() + FakeNeon.BASE);
    PackagedJar.Run r = PackagedJar.run(work, env, args);
    assertThat(r.out() + r.err()).as(r.toString()).doesNotContain(API_KEY).doesNotContain(ROLE_PASSWORD);
    return r;
  }

  private static List<String> drillBranches() {
    return neon.names().stream().filter(n -> n.startsWith("lifeboat_drill_")).toList();
  }

  @Test
  void drillAndHealthOfANeonProjectThroughTheJar() throws Exception {
    String project = "neon://" + PROJECT;
    PackagedJar.Run backup = lifeboat("backup", "--source", project + "/main", "--target", project);
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();

    // A drill whose check fails: exit 3, and its branch is still deleted.
    PackagedJar.Run failed = lifeboat("drill", "--target", project, "--snapshot", id, "--expect-sql", "SELECT count(*) = 0 FROM orders",
        "--report-dir", work.resolve("drills").toString());
    assertThat(failed.exit()).as(failed.toString()).isEqualTo(3);
    assertThat(failed.out()).contains("FAILED").contains("query").contains("throwaway copy lifeboat_drill_").contains(" deleted");
    assertThat(drillBranches()).isEmpty();

    // A passing drill, latest snapshot, JSON on standard output.
    Instant before = Instant.now();
    PackagedJar.Run passed = lifeboat("drill", "--target", project, "--expect-sql", "SELECT count(*) = 200 FROM orders", "--no-orphans",
        "--rto", "10m", "--rpo", "1h", "--report-dir", work.resolve("drills").toString(), "--json");
    assertThat(passed.exit()).as(passed.toString()).isZero();
    JsonNode report = Json.mapper().readTree(passed.out());
    assertThat(report.path("passed").asBoolean()).isTrue();
    assertThat(report.path("snapshotId").asText()).isEqualTo(id);
    assertThat(report.path("cleanedUp").asBoolean()).isTrue();
    assertThat(report.path("objectives").path("rto").path("met").asBoolean()).isTrue();
    assertThat(report.path("rows").asLong()).isEqualTo(200 + 50 + 50 + 400);
    assertThat(report.path("checks").findValuesAsText("name")).contains("snapshot readable", "count public.orders", "query SELECT count(*) = 200 FROM orders", "unexpected objects");
    assertThat(drillBranches()).isEmpty();
    JsonNode create = neon.creates().stream().filter(b -> b.path("branch").path("name").asText().equals(report.path("drillId").asText()))
        .findFirst().orElseThrow();
    assertThat(create.path("branch").path("parent_id").asText()).isEqualTo(neon.byName(id).path("id").asText());
    assertThat(Instant.parse(create.path("branch").path("expires_at").asText())).isAfter(before.plusSeconds(5 * 3600));
    try (var files = Files.list(work.resolve("drills"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))).hasSize(2);
    }

    PackagedJar.Run health = lifeboat("health", "--target", project, "--max-drill-age", "1h", "--json");
    assertThat(health.exit()).as(health.toString()).isZero();
    JsonNode checks = Json.mapper().readTree(health.out()).path("checks");
    Map<String, JsonNode> byName = new HashMap<>();
    checks.forEach(c -> byName.put(c.path("name").asText(), c));
    assertThat(byName.get("last restore drill").path("value").asText()).startsWith("passed ");
    assertThat(byName.get("neon PITR window").path("value").asText()).isEqualTo("168 h");
    assertThat(byName.get("neon PITR window").path("limit").asText()).isEqualTo("at least 48 h");
    assertThat(byName.get("neon branch use").path("value").asText()).isEqualTo("3 of 10 (30 %)");

    PackagedJar.Run strict = lifeboat("health", "--target", project, "--min-pitr", "240h");
    assertThat(strict.exit()).as(strict.toString()).isEqualTo(3);
    assertThat(strict.out()).contains("neon PITR window");

    assertThat(NeonSpecCheck.problems(wiremock)).as("exchanges that break neon-api-v2.json").isEmpty();
  }

  @Test
  void pointInTimeDrillsThroughTheJar() throws Exception {
    String main = "neon://" + PROJECT + "/main";
    Instant at = Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    PackagedJar.Run pitr = lifeboat("drill", "--target", main, "--at", at.toString(), "--expect-sql", "SELECT count(*) > 0 FROM orders",
        "--report-dir", work.resolve("pitr").toString(), "--json");
    assertThat(pitr.exit()).as(pitr.toString()).isZero();
    JsonNode report = Json.mapper().readTree(pitr.out());
    assertThat(report.path("snapshotId").asText()).isEqualTo("main@" + at);
    assertThat(report.path("takenAt").asText()).isEqualTo(at.toString());
    JsonNode create = neon.creates().stream().filter(b -> b.path("branch").path("name").asText().equals(report.path("drillId").asText()))
        .findFirst().orElseThrow();
    assertThat(Instant.parse(create.path("branch").path("parent_timestamp").asText())).isEqualTo(at);
    assertThat(drillBranches()).isEmpty();

    int creates = neon.creates().size();
    PackagedJar.Run tooOld = lifeboat("drill", "--target", main, "--at", Instant.now().minusSeconds(30L * 86400).toString());
    assertThat(tooOld.exit()).as(tooOld.toString()).isEqualTo(2);
    assertThat(tooOld.err().strip().lines()).as(tooOld.toString()).hasSize(1);
    assertThat(tooOld.err()).contains("outside the history window");
    PackagedJar.Run both = lifeboat("drill", "--target", main, "--at", at.toString(), "--snapshot", "latest");
    assertThat(both.exit()).as(both.toString()).isEqualTo(2);
    assertThat(both.err()).contains("not both");
    PackagedJar.Run branchAsStore = lifeboat("drill", "--target", main);
    assertThat(branchAsStore.exit()).as(branchAsStore.toString()).isEqualTo(2);
    assertThat(branchAsStore.err()).contains("--at INSTANT");
    assertThat(neon.creates()).as("nothing created by refused drills").hasSize(creates);
    assertThat(NeonSpecCheck.problems(wiremock)).as("exchanges that break neon-api-v2.json").isEmpty();
  }
}
