package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.Json;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lifeboat drill} through the packaged jar: a passing drill and a failing check, reports read back. */
class DrillJarIT {
  static EmbeddedPostgres pg;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws SQLException {
    pg = SharedPostgres.get();
    SharedPostgres.createDemoDatabase("drillshop", 60);
  }

  static String uri(String database) {
    return SharedPostgres.uri(database);
  }

  @Test
  void passingDrillAndFailingCheckThroughTheJar() throws Exception {
    String target = "file:" + work.resolve("store");
    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--source", uri("drillshop"), "--target", target);
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();

    PackagedJar.Run pass = PackagedJar.run(work, "drill", "--target", target, "--into", uri("postgres"),
        "--expect-sql", "SELECT count(*) = 60 FROM orders", "--no-orphans", "--rto", "1h", "--rpo", "24h");
    assertThat(pass.exit()).as(pass.toString()).isZero();
    assertThat(pass.out()).contains("Drill lifeboat_drill_").contains("of snapshot " + id + ": PASSED").contains("report: drills/");
    List<Path> reports = files(work.resolve("drills"));
    assertThat(reports).hasSize(2);
    Path json = reports.stream().filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
    JsonNode parsed = Json.mapper().readTree(Files.readString(json));
    assertThat(parsed.get("passed").asBoolean()).isTrue();
    assertThat(parsed.get("snapshotId").asText()).isEqualTo(id);
    assertThat(parsed.get("objectives").get("rto").get("met").asBoolean()).isTrue();
    assertThat(parsed.get("objectives").get("rpo").get("met").asBoolean()).isTrue();
    Path md = reports.stream().filter(p -> p.toString().endsWith(".md")).findFirst().orElseThrow();
    assertThat(Files.readString(md)).contains("**Verdict: PASSED**").contains("| count public.orders | 60 |");

    PackagedJar.Run fail = PackagedJar.run(work, "drill", "--target", target, "--snapshot", id, "--into", uri("postgres"),
        "--expect-sql", "SELECT count(*) = 61 FROM orders", "--report-dir", "failed", "--json");
    assertThat(fail.exit()).as(fail.toString()).isEqualTo(3);
    JsonNode failed = Json.mapper().readTree(fail.out());
    assertThat(failed.get("passed").asBoolean()).isFalse();
    assertThat(failed.get("cleanedUp").asBoolean()).isTrue();
    List<Path> failedReports = files(work.resolve("failed"));
    assertThat(failedReports).hasSize(2);
    Path failedJson = failedReports.stream().filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
    assertThat(Json.mapper().readTree(Files.readString(failedJson))).isEqualTo(failed);
    assertThat(fail.err()).doesNotContain("WARN").doesNotContain("INFO");

    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE 'lifeboat\\_drill\\_%'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
