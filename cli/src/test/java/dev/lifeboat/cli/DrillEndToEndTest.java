package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.BackupRequest;
import dev.lifeboat.DrillRecord;
import dev.lifeboat.DrillReport;
import dev.lifeboat.DrillReport.DrillCheck;
import dev.lifeboat.DrillRequest;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.Json;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Snapshot;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore drills end to end on a real PostgreSQL (zonky), through the library and the command
 * line: the scratch database is created, checked and always dropped; reports are parsed back.
 */
class DrillEndToEndTest {
  private static final String PASSWORD = "drill-Secr3t-pw";
  static EmbeddedPostgres pg;
  @TempDir static Path work;
  static String store;
  static String snapshotId;

  @BeforeAll
  static void start() throws IOException, SQLException {
    Path hba = work.resolve("pg_hba.conf");
    Files.writeString(hba, String.join("\n",
        "local all all trust",
        "host all postgres 127.0.0.1/32 trust",
        "host all postgres ::1/128 trust",
        "host all all 127.0.0.1/32 scram-sha-256",
        "host all all ::1/128 scram-sha-256", ""));
    pg = EmbeddedPostgres.builder().setServerConfig("hba_file", hba.toString()).start();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE app LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
      s.execute("CREATE ROLE reader LOGIN NOCREATEDB PASSWORD '" + PASSWORD + "'");
      s.execute("CREATE DATABASE shop OWNER app");
    }
    DemoData.fill(pg.getDatabase("postgres", "shop"), 120);
    store = "file:" + work.resolve("store");
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      snapshotId = lifeboat.backup(BackupRequest.builder(uri("shop"), store).build()).id();
    }
  }

  @AfterAll
  static void stop() throws IOException {
    pg.close();
  }

  static String uri(String database) {
    return "postgresql://app:" + PASSWORD + "@localhost:" + pg.getPort() + "/" + database;
  }

  @Test
  void passingDrillRestoresChecksDropsReportsAndRecords() throws Exception {
    Path reports = work.resolve("reports-pass");
    DrillReport report;
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      report = lifeboat.drill(DrillRequest.builder(store, "latest").into(uri("postgres"))
          .expect(new Expectation.QueryIsTrue("orders present", "SELECT count(*) = 120 FROM orders"))
          .expect(new Expectation.NoOrphanedForeignKeys())
          .rto(Duration.ofHours(1)).rpo(Duration.ofHours(24)).reportDir(reports).build());
      assertThat(report.passed()).as(report.toJson()).isTrue();
      DrillRecord last = lifeboat.lastDrill(store).orElseThrow();
      assertThat(last.drillId()).isEqualTo(report.drillId());
      assertThat(last.snapshotId()).isEqualTo(snapshotId);
      assertThat(last.passed()).isTrue();
      // The record is kept beside the snapshots, never listed as one.
      assertThat(lifeboat.list(store)).extracting(Snapshot::id).containsExactly(snapshotId);
    }
    assertThat(report.passed()).as(report.toJson()).isTrue();
    assertThat(report.error()).isNull();
    assertThat(report.snapshotId()).isEqualTo(snapshotId);
    assertThat(report.drillId()).matches("lifeboat_drill_\\d{8}t\\d{6}z_[0-9a-f]{8}");
    assertThat(report.destination()).endsWith("/" + report.drillId()).doesNotContain(PASSWORD);
    assertThat(report.checks()).extracting(DrillCheck::name)
        .contains("size and sha256", "count public.orders", "query orders present");
    assertThat(report.checks()).filteredOn(c -> c.name().equals("count public.orders"))
        .singleElement().satisfies(c -> assertThat(c.expected()).isEqualTo("120"));
    assertThat(report.rtoSeconds()).isPositive();
    assertThat(report.rtoSeconds()).isGreaterThanOrEqualTo(report.restoreSeconds());
    assertThat(report.rpoSeconds()).isGreaterThanOrEqualTo(0.0).isLessThan(3600.0);
    assertThat(report.objectives().get("rto").met()).isTrue();
    assertThat(report.objectives().get("rpo").met()).isTrue();
    assertThat(report.cleanedUp()).isTrue();
    assertThat(drillDatabases()).isEmpty();

    assertThat(report.files()).hasSize(2);
    Path md = report.files().get(0);
    Path json = report.files().get(1);
    assertThat(json.getFileName().toString()).matches("\\d{4}-Q[1-4]-restore-drill-\\d{8}T\\d{6}Z\\.json");
    assertThat(md.getFileName().toString()).isEqualTo(json.getFileName().toString().replace(".json", ".md"));
    JsonNode parsed = Json.mapper().readTree(Files.readString(json));
    assertThat(parsed.get("passed").asBoolean()).isTrue();
    assertThat(parsed.get("snapshotId").asText()).isEqualTo(snapshotId);
    assertThat(parsed.get("objectives").get("rto").get("limitSeconds").asDouble()).isEqualTo(3600.0);
    assertThat(parsed.get("checks").get(0).get("name").asText()).isEqualTo("size and sha256");
    assertThat(parsed.get("cleanedUp").asBoolean()).isTrue();
    for (String field : List.of("source", "destination", "startedAt", "finishedAt", "restoreSeconds", "verifySeconds", "rtoSeconds",
        "rpoSeconds")) {
      assertThat(parsed.has(field)).as(field).isTrue();
    }
    String markdown = Files.readString(md);
    assertThat(markdown).contains("**Verdict: PASSED**", snapshotId, "| count public.orders | 120 |", "Lifeboat version")
        .contains("Done: scratch database " + report.drillId() + " dropped");
    assertThat(markdown + Files.readString(json)).doesNotContain(PASSWORD);
  }

  @Test
  void missedObjectiveFailsTheDrillAndStillCleansUp() {
    DrillReport report = drill(DrillRequest.builder(store, snapshotId).into(uri("postgres")).rpo(Duration.ofMillis(1)));
    assertThat(report.passed()).isFalse();
    assertThat(report.error()).isNull();
    assertThat(report.checks()).allMatch(DrillCheck::passed);
    assertThat(report.objectives().get("rpo").met()).isFalse();
    assertThat(report.cleanedUp()).isTrue();
    assertThat(drillDatabases()).isEmpty();
  }

  @Test
  void falseCheckFailsTheDrillOnTheCommandLineWithExit3() throws Exception {
    Path reports = work.resolve("reports-false");
    Cli.Result r = Cli.run("drill", "--target", store, "--into", uri("postgres"), "--expect-sql", "SELECT count(*) = 7 FROM orders",
        "--report-dir", reports.toString(), "--json");
    assertThat(r.exit()).as(r.toString()).isEqualTo(3);
    JsonNode parsed = Json.mapper().readTree(r.out());
    assertThat(parsed.get("passed").asBoolean()).isFalse();
    assertThat(parsed.get("cleanedUp").asBoolean()).isTrue();
    List<String> failed = new ArrayList<>();
    parsed.get("checks").forEach(c -> {
      if (!c.get("passed").asBoolean()) {
        failed.add(c.get("name").asText());
      }
    });
    assertThat(failed).singleElement().asString().startsWith("query");
    try (Stream<Path> files = Files.list(reports)) {
      Path json = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
      assertThat(Json.mapper().readTree(Files.readString(json))).isEqualTo(parsed);
    }
    assertThat(r.all()).doesNotContain(PASSWORD);
    assertThat(drillDatabases()).isEmpty();
  }

  @Test
  void corruptArchiveFailsWithExit3BeforeAnythingIsCreated() throws Exception {
    Path copy = work.resolve("corrupt");
    String target = "file:" + copy;
    String id;
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      id = lifeboat.backup(BackupRequest.builder(uri("shop"), target).build()).id();
    }
    Path archive;
    try (Stream<Path> files = Files.list(copy.resolve(id))) {
      archive = files.filter(p -> p.getFileName().toString().startsWith("archive")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(archive);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(archive, bytes);

    Cli.Result r = Cli.run("drill", "--target", target, "--into", uri("postgres"), "--report-dir", work.resolve("reports-corrupt").toString(),
        "--json");
    assertThat(r.exit()).as(r.toString()).isEqualTo(3);
    JsonNode parsed = Json.mapper().readTree(r.out());
    assertThat(parsed.get("checks").get(0).get("name").asText()).isEqualTo("size and sha256");
    assertThat(parsed.get("checks").get(0).get("passed").asBoolean()).isFalse();
    assertThat(parsed.get("cleanup").asText()).isEqualTo("nothing was created");
    assertThat(parsed.has("restoreSeconds")).isFalse();
    assertThat(drillDatabases()).isEmpty();
  }

  @Test
  void damagedSnapshotFailsTheDrillWithAReportAndNothingCreated() throws Exception {
    Path copy = work.resolve("truncated");
    String target = "file:" + copy;
    String id;
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      id = lifeboat.backup(BackupRequest.builder(uri("shop"), target).build()).id();
    }
    try (Stream<Path> files = Files.list(copy.resolve(id))) {
      Path archive = files.filter(p -> p.getFileName().toString().startsWith("archive")).findFirst().orElseThrow();
      byte[] bytes = Files.readAllBytes(archive);
      Files.write(archive, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    }
    DrillReport report = drill(DrillRequest.builder(target, "latest").into(uri("postgres")).reportDir(work.resolve("reports-damaged")));
    assertThat(report.passed()).isFalse();
    assertThat(report.error()).isNull();
    assertThat(report.checks()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("stored bytes");
      assertThat(c.passed()).isFalse();
      assertThat(c.actual()).contains(id);
    });
    assertThat(report.files()).hasSize(2);
    assertThat(drillDatabases()).isEmpty();
  }

  @Test
  void aRestoreThatCannotRunIsReportedWithExit1AndLeavesNothing() throws Exception {
    // A role without CREATEDB cannot create the scratch database: the restore fails.
    Path reports = work.resolve("reports-error");
    String into = "postgresql://reader:" + PASSWORD + "@localhost:" + pg.getPort() + "/postgres";
    Cli.Result r = Cli.run("drill", "--target", store, "--into", into, "--report-dir", reports.toString(), "--json");
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    JsonNode parsed = Json.mapper().readTree(r.out());
    assertThat(parsed.get("passed").asBoolean()).isFalse();
    assertThat(parsed.get("errorCode").asText()).isEqualTo(ErrorCode.RESTORE_FAILED.name());
    assertThat(parsed.get("error").asText()).contains("may not create databases");
    assertThat(r.err()).contains("could not run");
    try (Stream<Path> files = Files.list(reports)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".md")).anyMatch(n -> n.endsWith(".json"));
    }
    assertThat(r.all()).doesNotContain(PASSWORD);
    assertThat(drillDatabases()).isEmpty();
  }

  @Test
  void failingRestoreToolIsReportedAndTheScratchDatabaseDropped() throws Exception {
    // pg_restore reads the archive's table of contents, then fails while loading.
    Path bin = Files.createDirectories(work.resolve("failing-bin"));
    Path real = Path.of(PgToolsOnPath.find("pg_restore"));
    Path script = bin.resolve("pg_restore");
    Files.writeString(script, "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in --version|--list|-l) exec " + real
        + " \"$@\";; esac; done\necho 'pg_restore: error: simulated failure' >&2\nexit 1\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(bin.resolve("pg_dump"), real.resolveSibling("pg_dump"));
    DrillReport report;
    try (Lifeboat lifeboat = Lifeboat.builder().setting("pgdump.bin", bin.toString()).build()) {
      report = lifeboat.drill(DrillRequest.builder(store, snapshotId).into(uri("postgres")).build());
    }
    assertThat(report.passed()).isFalse();
    assertThat(report.errorCode()).as(report.toJson()).isEqualTo(ErrorCode.RESTORE_FAILED);
    assertThat(report.cleanedUp()).isTrue();
    assertThat(drillDatabases()).isEmpty();
  }

  @Test
  void aDrillStoppedWithSigtermDropsItsScratchDatabase() throws Exception {
    // pg_restore answers --version and --list, then takes a minute to load: long enough to stop it.
    Path bin = Files.createDirectories(work.resolve("slow-bin"));
    String real = PgToolsOnPath.find("pg_restore");
    Path script = bin.resolve("pg_restore");
    Files.writeString(script, "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in --version|--list|-l) exec " + real
        + " \"$@\";; esac; done\nsleep 60\nexec " + real + " \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(bin.resolve("pg_dump"), Path.of(real).resolveSibling("pg_dump"));
    ChildJvmTest.Started drill = ChildJvmTest.start(work, "--setting", "pgdump.bin=" + bin, "drill", "--target", store,
        "--into", uri("postgres"), "--report-dir", work.resolve("reports-sigterm").toString());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (drillDatabases().isEmpty()) {
      assertThat(drill.process().isAlive()).as("the drill is still running").isTrue();
      assertThat(System.nanoTime()).as("a scratch database appeared").isLessThan(deadline);
      Thread.sleep(50);
    }
    drill.process().destroy();
    ChildJvmTest.Run stopped = drill.await();
    assertThat(stopped.exit()).as(stopped.toString()).isNotZero();
    assertThat(stopped.err()).as(stopped.toString()).contains("drill interrupted by a signal; its scratch database (or throwaway branch) was removed");
    assertThat(drillDatabases()).isEmpty();
  }

  @Test
  void leftoversOlderThanTheTimeoutAreSweptYoungerOnesKept() throws Exception {
    String old = "lifeboat_drill_20200101t000000z_deadbeef";
    String young = "lifeboat_drill_" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now()).toLowerCase() + "_0badf00d";
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + old + "\"");
      s.execute("CREATE DATABASE \"" + young + "\"");
    }
    try {
      DrillReport report = drill(DrillRequest.builder(store, snapshotId).into(uri("postgres")));
      assertThat(report.passed()).isTrue();
      assertThat(drillDatabases()).containsExactly(young);
    } finally {
      try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS \"" + young + "\"");
      }
    }
  }

  @Test
  void blankSnapshotIsAUsageError() {
    Assertions.assertThatThrownBy(() -> DrillRequest.builder(store, " "))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION));
    Cli.Result r = Cli.run("drill", "--target", store, "--snapshot", "", "--into", uri("postgres"));
    assertThat(r.exit()).isEqualTo(2);
    Cli.Result noInto = Cli.run("drill", "--target", store);
    assertThat(noInto.exit()).isEqualTo(2);
    assertThat(noInto.err()).contains("--into");
  }

  /** A --report-dir that is a file is refused in words, before any scratch database is made. */
  @Test
  void reportDirThatIsAFileIsRefusedBeforeTheDrill() throws IOException {
    Path file = Files.writeString(work.resolve("not-a-folder"), "x");
    long records = drillRecords();
    Cli.Result r = Cli.run("drill", "--target", store, "--into", uri("postgres"), "--report-dir", file.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).as(r.toString()).containsExactly("lifeboat: drill cannot start: Cannot write the drill report into "
        + file + ": it is a file, not a folder. Give a folder with --report-dir (created when missing).");
    assertThat(drillDatabases()).isEmpty();
    assertThat(drillRecords()).as("the drill did not run").isEqualTo(records);
  }

  private static long drillRecords() throws IOException {
    Path records = work.resolve("store").resolve("drills");
    if (!Files.isDirectory(records)) {
      return 0;
    }
    try (java.util.stream.Stream<Path> files = Files.list(records)) {
      return files.count();
    }
  }

  private static DrillReport drill(DrillRequest.Builder request) {
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      return lifeboat.drill(request.build());
    }
  }

  static List<String> drillDatabases() {
    List<String> out = new ArrayList<>();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'lifeboat\\_drill\\_%' ORDER BY 1")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** Where the pg_restore the tests use lives. */
  static final class PgToolsOnPath {
    static String find(String tool) throws IOException, InterruptedException {
      Process p = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
      String path = new String(p.getInputStream().readAllBytes()).strip();
      p.waitFor();
      if (path.isEmpty()) {
        throw new IllegalStateException(tool + " is not on PATH; this test needs the PostgreSQL client tools");
      }
      return path;
    }
  }
}
