package dev.lifeboat.neon;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.lifeboat.BackupRequest;
import dev.lifeboat.DrillRecord;
import dev.lifeboat.DrillReport;
import dev.lifeboat.DrillRequest;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.HealthCheck;
import dev.lifeboat.HealthReport;
import dev.lifeboat.HealthRequest;
import dev.lifeboat.Json;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.PruneRequest;
import dev.lifeboat.PruneResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.retention.RetentionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore drills of Neon backup branches and of a branch at an instant, through the Lifeboat
 * facade: the fake Neon project's branches are databases on an embedded PostgreSQL, so the
 * throwaway branch really holds the backup's rows and the PostgreSQL verifier really counts them.
 */
class NeonDrillTest extends NeonApiTest {
  private static final Location PROJECT_URI = Location.parse("neon://" + PROJECT);
  private static final Location MAIN = Location.parse("neon://" + PROJECT + "/main");
  private static NeonOnPostgres db;

  @TempDir Path reports;

  @BeforeAll
  static void startPostgres() {
    db = new NeonOnPostgres();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    db.close();
  }

  @BeforeEach
  void backBranchesWithDatabases() {
    db.attach(fake);
  }

  private static Lifeboat lifeboat() {
    return Lifeboat.builder().settings(settings()).secrets(secrets()).build();
  }

  private DrillRequest.Builder drillOf(String snapshot) {
    return DrillRequest.builder(PROJECT_URI.toString(), snapshot).reportDir(reports);
  }

  private static List<String> drillBranches() {
    return fake.names().stream().filter(n -> n.startsWith("lifeboat_drill_")).toList();
  }

  private static List<JsonNode> createBodies(String namePrefix) {
    return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
        .filter(r -> r.getMethod().getName().equals("POST") && r.getUrl().endsWith("/projects/" + PROJECT + "/branches"))
        .map(r -> read(r.getBodyAsString())).filter(b -> b.path("branch").path("name").asText().startsWith(namePrefix)).toList();
  }

  private static JsonNode read(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, DrillReport.DrillCheck> checks(DrillReport r) {
    return r.checks().stream().collect(Collectors.toMap(DrillReport.DrillCheck::name, Function.identity(), (a, b) -> a));
  }

  @Test
  void aBackupBranchDrillPassesInAThrowawayBranchWithExpiryThatIsDeletedAndRecorded() throws Exception {
    try (Lifeboat lifeboat = lifeboat()) {
      Snapshot backup = lifeboat.backup(BackupRequest.builder(MAIN, PROJECT_URI).build());
      // The source moves on: the drill must find the backup's rows, not main's.
      db.sql(NeonOnPostgres.database("br-main-000001"), "DELETE FROM shop.orders WHERE id > 2");
      Instant before = Instant.now();
      DrillReport report = lifeboat.drill(drillOf("latest")
          .expect(Expectation.queryIsTrue("five orders", "SELECT count(*) = 5 FROM shop.orders"))
          .expect(Expectation.noOrphanedForeignKeys())
          .expect(Expectation.freshWithin("shop.orders", "created_at", Duration.ofDays(1)))
          .rto(Duration.ofMinutes(10)).build());

      assertThat(report.passed()).as(report.toString()).isTrue();
      assertThat(report.snapshotId()).isEqualTo(backup.id());
      assertThat(report.cleanedUp()).isTrue();
      assertThat(report.cleanup()).isEqualTo("throwaway copy " + report.drillId() + " deleted");
      Map<String, DrillReport.DrillCheck> checks = checks(report);
      assertThat(checks.get("snapshot readable").actual()).isEqualTo("2 tables, 8 rows");
      assertThat(checks.get("count shop.orders").expected()).isEqualTo("5");
      assertThat(checks.get("count shop.orders").actual()).contains("5");
      assertThat(checks).containsKeys("query five orders", "count shop.customers");
      assertThat(checks.keySet()).anyMatch(n -> n.startsWith("fresh")).anyMatch(n -> n.startsWith("foreign key"));
      assertThat(report.rows()).isEqualTo(8);
      assertThat(report.objectives().get("rto").met()).isTrue();

      // The throwaway branch: a child of the backup branch with a compute and an expiry, gone afterwards.
      List<JsonNode> created = createBodies("lifeboat_drill_");
      assertThat(created).hasSize(1);
      JsonNode spec = created.get(0).path("branch");
      assertThat(spec.path("name").asText()).isEqualTo(report.drillId());
      assertThat(spec.path("parent_id").asText()).isEqualTo(backup.manifest().properties().get("neon.branchId"));
      assertThat(spec.has("parent_timestamp")).isFalse();
      Instant expiry = Instant.parse(spec.path("expires_at").asText());
      assertThat(expiry).isBetween(before.plus(Duration.ofHours(6)).minusSeconds(5), Instant.now().plus(Duration.ofHours(6)));
      assertThat(created.get(0).path("endpoints").get(0).path("type").asText()).isEqualTo("read_write");
      assertThat(drillBranches()).isEmpty();
      // The backup branch was read through a read-only compute, stopped again: the branch itself is unchanged.
      assertThat(fake.readOnlyStarted).hasSize(1);
      assertThat(fake.readOnlyRunning()).isEmpty();
      assertThat(fake.hasEndpoint(backup.manifest().properties().get("neon.branchId"))).isFalse();

      // The report files, parsed back.
      assertThat(report.files()).hasSize(2);
      JsonNode parsed = Json.mapper().readTree(Files.readString(report.files().get(1)));
      assertThat(parsed.path("passed").asBoolean()).isTrue();
      assertThat(parsed.path("snapshotId").asText()).isEqualTo(backup.id());
      assertThat(parsed.path("cleanedUp").asBoolean()).isTrue();
      assertThat(parsed.path("target").asText()).isEqualTo("neon://" + PROJECT);
      assertThat(parsed.path("destination").asText()).doesNotContain(NeonOnPostgres.PASSWORD);
      String md = Files.readString(report.files().get(0));
      assertThat(md).contains(backup.id()).contains("count shop.orders");
      assertThat(md + Files.readString(report.files().get(1))).doesNotContain(NeonOnPostgres.PASSWORD).doesNotContain(API_KEY);

      // The record: on a records branch the project keeps, read back by health.
      assertThat(lifeboat.lastDrill(PROJECT_URI.toString())).hasValueSatisfying(r -> {
        assertThat(r.drillId()).isEqualTo(report.drillId());
        assertThat(r.snapshotId()).isEqualTo(backup.id());
        assertThat(r.passed()).isTrue();
      });
      assertThat(fake.names().stream().filter(n -> n.startsWith(NeonDrillRecords.PREFIX))).hasSize(1);
      HealthReport health = lifeboat.health(HealthRequest.builder(PROJECT_URI.toString()).maxDrillAge(Duration.ofDays(1)).build());
      HealthCheck last = health.checks().stream().filter(c -> c.name().equals("last restore drill")).findFirst().orElseThrow();
      assertThat(last.passed()).isTrue();
      assertThat(last.value()).startsWith("passed ");
      assertThat(last.hint()).contains(backup.id());
    }
  }

  @Test
  void aFailedCheckFailsTheDrillAndStillDeletesTheBranchAndTheFailureIsRecorded() {
    try (Lifeboat lifeboat = lifeboat()) {
      Snapshot backup = lifeboat.backup(BackupRequest.builder(MAIN, PROJECT_URI).build());
      DrillReport report = lifeboat.drill(drillOf(backup.id())
          .expect(Expectation.queryIsTrue("no orders", "SELECT count(*) = 0 FROM shop.orders")).build());
      assertThat(report.passed()).isFalse();
      assertThat(report.error()).isNull();
      assertThat(checks(report).get("query no orders").passed()).isFalse();
      assertThat(report.cleanedUp()).isTrue();
      assertThat(drillBranches()).isEmpty();
      assertThat(lifeboat.lastDrill(PROJECT_URI.toString())).hasValueSatisfying(r -> assertThat(r.passed()).isFalse());
    }
  }

  @Test
  void aThrowawayBranchThatDoesNotHoldTheBackupBranchsRowsFailsTheCountCheck() {
    try (Lifeboat lifeboat = lifeboat()) {
      Snapshot backup = lifeboat.backup(BackupRequest.builder(MAIN, PROJECT_URI).build());
      var copyData = fake.onBranchData;
      // A platform copy that lost rows: the counts are compared with the backup branch's, not with the copy's own.
      fake.onBranchData = (b, parent) -> {
        copyData.accept(b, parent);
        if (b.path("name").asText().startsWith("lifeboat_drill_")) {
          db.sql(NeonOnPostgres.database(b.path("id").asText()), "DELETE FROM shop.orders WHERE id > 3");
        }
      };
      DrillReport report = lifeboat.drill(drillOf(backup.id()).build());
      assertThat(report.passed()).isFalse();
      DrillReport.DrillCheck count = checks(report).get("count shop.orders");
      assertThat(count.passed()).isFalse();
      assertThat(count.expected()).isEqualTo("5");
      assertThat(count.actual()).contains("3");
      assertThat(drillBranches()).isEmpty();
    }
  }

  @Test
  void aPointInTimeDrillBranchesMainAtTheInstantAndOneOutsideTheWindowIsRefusedBeforeAnythingIsCreated() {
    try (Lifeboat lifeboat = lifeboat()) {
      Instant at = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
      DrillReport report = lifeboat.drill(DrillRequest.pointInTime(MAIN.toString(), at).reportDir(reports)
          .expect(Expectation.queryIsTrue("orders exist", "SELECT count(*) > 0 FROM shop.orders"))
          .rpo(Duration.ofHours(3)).build());
      assertThat(report.passed()).as(report.toString()).isTrue();
      assertThat(report.snapshotId()).isEqualTo("main@" + at);
      assertThat(report.takenAt()).isEqualTo(at);
      assertThat(report.rpoSeconds()).isBetween(7200.0, 7300.0);
      JsonNode spec = createBodies("lifeboat_drill_").get(0).path("branch");
      assertThat(spec.path("parent_id").asText()).isEqualTo("br-main-000001");
      assertThat(Instant.parse(spec.path("parent_timestamp").asText())).isEqualTo(at);
      assertThat(spec.has("expires_at")).isTrue();
      assertThat(drillBranches()).isEmpty();
      assertThat(fake.readOnlyStarted).as("no backup branch to read").isEmpty();

      int branchesBefore = fake.names().size();
      server.resetRequests();
      Instant tooOld = Instant.now().minus(3, ChronoUnit.DAYS);
      assertThatThrownBy(() -> lifeboat.drill(DrillRequest.pointInTime(MAIN.toString(), tooOld).reportDir(reports).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_RETENTION_WINDOW);
            assertThat(e.code().exitStatus()).isEqualTo(2);
            assertThat(e.getMessage()).contains("outside the history window");
          });
      assertThat(fake.names()).hasSize(branchesBefore);
      assertThat(createBodies("")).isEmpty();
    }
  }

  @Test
  void leftoversOfKilledDrillsAreDeletedOnceOlderThanTheTimeoutAndRecentOnesAreLeftAlone() {
    fake.branch("br-old-drill-000001", "lifeboat_drill_20200101t000000z_0badf00d", "br-main-000001", fake.now);
    String recent = "lifeboat_drill_" + NeonProjectOps.STAMP.format(Instant.now().minus(1, ChronoUnit.HOURS)).toLowerCase() + "_00c0ffee";
    fake.branch("br-recent-drill-000001", recent, "br-main-000001", fake.now);
    try (Lifeboat lifeboat = lifeboat()) {
      Snapshot backup = lifeboat.backup(BackupRequest.builder(MAIN, PROJECT_URI).build());
      DrillReport report = lifeboat.drill(drillOf(backup.id()).build());
      assertThat(report.passed()).as(report.toString()).isTrue();
    }
    assertThat(drillBranches()).containsExactly(recent);
  }

  @Test
  void laterOperationsShortPagesAndA429WithoutRetryAfterDoNotDisturbTheDrill() {
    fake.operationPolls = 3;
    fake.pageCap = 1;
    server.stubFor(post(urlPathEqualTo("/api/v2/projects/" + PROJECT + "/endpoints")).atPriority(1)
        .inScenario("busy").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("answered")
        .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
            .withBody("{\"request_id\":\"r1\",\"code\":\"\",\"message\":\"too many requests\"}")));
    try (Lifeboat lifeboat = lifeboat()) {
      Snapshot backup = lifeboat.backup(BackupRequest.builder(MAIN, PROJECT_URI).build());
      fake.branch("br-other-000001", "other", "br-main-000001", fake.now);
      DrillReport report = lifeboat.drill(drillOf("latest").build());
      assertThat(report.passed()).as(report.toString()).isTrue();
      assertThat(report.snapshotId()).isEqualTo(backup.id());
      assertThat(drillBranches()).isEmpty();
      assertThat(fake.readOnlyRunning()).isEmpty();
      assertThat(lifeboat.lastDrill(PROJECT_URI.toString())).isPresent();
    }
  }

  @Test
  void aCopyThePlatformRefusesIsReportedAsNotMadeAndTheDrillFails() throws Exception {
    try (Lifeboat lifeboat = lifeboat()) {
      Snapshot backup = lifeboat.backup(BackupRequest.builder(MAIN, PROJECT_URI).build());
      server.stubFor(post(urlPathEqualTo("/api/v2/projects/" + PROJECT + "/branches")).atPriority(1)
          .willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/json")
              .withBody("{\"request_id\":\"r3\",\"code\":\"\",\"message\":\"branches limit exceeded\"}")));
      DrillReport report = lifeboat.drill(drillOf(backup.id()).build());
      assertThat(report.passed()).isFalse();
      assertThat(report.cleanup()).isEqualTo("throwaway copy " + report.drillId() + " was not made (its creation failed); none left behind");
      assertThat(drillBranches()).isEmpty();
    }
  }

  @Test
  void aDeleteThatKeepsFailingWithTheTokenInItsBodyLeavesTheExpiryAsSafetyNetAndNoSecretInTheReport() throws Exception {
    server.stubFor(delete(urlPathMatching("/api/v2/projects/" + PROJECT + "/branches/br-fake-branch-.*")).atPriority(1)
        .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
            .withBody("{\"request_id\":\"r2\",\"code\":\"\",\"message\":\"internal error for Bearer " + API_KEY + "\"}")));
    try (Lifeboat lifeboat = lifeboat()) {
      Snapshot backup = lifeboat.backup(BackupRequest.builder(MAIN, PROJECT_URI).build());
      DrillReport report = lifeboat.drill(drillOf(backup.id()).build());
      assertThat(report.passed()).as("a drill that could not clean up does not pass").isFalse();
      assertThat(report.cleanedUp()).isFalse();
      assertThat(report.cleanup()).contains("could not be deleted").contains("removes it once older than the drill timeout");
      assertThat(report.toJson()).doesNotContain(API_KEY);
      for (Path f : report.files()) {
        assertThat(Files.readString(f)).doesNotContain(API_KEY);
      }
      assertThat(drillBranches()).containsExactly(report.drillId());
      assertThat(fake.byName(report.drillId()).path("expires_at").asText()).isNotEmpty();
    }
  }

  @Test
  void theShutdownCleanupDeletesTheBranchOfADrillStillRunning() throws Exception {
    try (Lifeboat lifeboat = lifeboat()) {
      Snapshot backup = lifeboat.backup(BackupRequest.builder(MAIN, PROJECT_URI).build());
      // Neon takes its time with the drill's branch: the drill is still waiting for it when the process is told to stop.
      var copyData = fake.onBranchData;
      fake.onBranchData = (b, parent) -> {
        copyData.accept(b, parent);
        if (b.path("name").asText().startsWith("lifeboat_drill_")) {
          server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathMatching("/api/v2/projects/" + PROJECT + "/operations/.*"))
              .atPriority(1).willReturn(aResponse().withTransformers(FakeNeon.NAME).withFixedDelay(3000)));
        }
      };
      java.util.concurrent.CompletableFuture<DrillReport> drill =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> lifeboat.drill(drillOf(backup.id()).build()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (drillBranches().isEmpty() && System.nanoTime() < deadline && !drill.isDone()) {
        Thread.sleep(20);
      }
      assertThat(drillBranches()).as("the drill's branch, while the drill runs").hasSize(1);
      lifeboat.cleanUpDrills();
      assertThat(drillBranches()).as("deleted by the shutdown cleanup").isEmpty();
      DrillReport report = drill.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(report.passed()).isFalse();
      assertThat(drillBranches()).isEmpty();
    }
  }

  @Test
  void pruneNeverRemovesTheNewestProvenBackupBranch() {
    try (Lifeboat lifeboat = lifeboat()) {
      Snapshot older = lifeboat.backup(BackupRequest.builder(MAIN, PROJECT_URI).build());
      assertThat(lifeboat.drill(drillOf(older.id()).build()).passed()).isTrue();
      Snapshot newer = lifeboat.backup(BackupRequest.builder(MAIN, PROJECT_URI).build());
      PruneResult result = lifeboat.prune(PruneRequest.builder(PROJECT_URI.toString(), RetentionPolicy.builder().keepLast(1).build()).build());
      assertThat(result.deleted()).isEmpty();
      assertThat(lifeboat.list(PROJECT_URI)).extracting(Snapshot::id).containsExactly(older.id(), newer.id());
    }
  }

  @Test
  void healthReportsThePitrWindowAndBranchUseAgainstTheLimits() {
    fake.historySeconds = 86400;
    fake.branchesLimit = 4;
    try (Lifeboat lifeboat = lifeboat()) {
      lifeboat.backup(BackupRequest.builder(MAIN, PROJECT_URI).build());
      lifeboat.backup(BackupRequest.builder(MAIN, PROJECT_URI).build());
      HealthReport report = lifeboat.health(HealthRequest.builder(PROJECT_URI.toString()).build());
      Map<String, HealthCheck> checks = report.checks().stream().collect(Collectors.toMap(HealthCheck::name, Function.identity()));
      HealthCheck pitr = checks.get("neon PITR window");
      assertThat(pitr.value()).isEqualTo("24 h");
      assertThat(pitr.limit()).isEqualTo("at least 48 h");
      assertThat(pitr.passed()).isFalse();
      HealthCheck use = checks.get("neon branch use");
      assertThat(use.value()).isEqualTo("3 of 4 (75 %)");
      assertThat(use.limit()).isEqualTo("at most 80 %");
      assertThat(use.passed()).isTrue();
      assertThat(report.healthy()).isFalse();

      HealthReport relaxed = lifeboat.health(HealthRequest.builder(PROJECT_URI.toString()).minPitr(Duration.ofHours(12)).maxBranchUsePercent(50).build());
      Map<String, HealthCheck> again = relaxed.checks().stream().collect(Collectors.toMap(HealthCheck::name, Function.identity()));
      assertThat(again.get("neon PITR window").passed()).isTrue();
      assertThat(again.get("neon branch use").passed()).isFalse();
      assertThat(again.get("neon branch use").hint()).contains("lifeboat prune --target neon://" + PROJECT);
      HealthCheck size = checks.get("neon logical size");
      assertThat(size.value()).contains("29.0 MiB").contains("0 % of");
      assertThat(size.limit()).isEqualTo("at most 90 %");
      assertThat(size.passed()).isTrue();

      fake.branchSizeLimitBytes = 32_000_000L;
      HealthCheck full = lifeboat.health(HealthRequest.builder(PROJECT_URI.toString()).build()).checks().stream()
          .filter(c -> c.name().equals("neon logical size")).findFirst().orElseThrow();
      assertThat(full.value()).contains("95 % of");
      assertThat(full.passed()).isFalse();
      assertThat(full.hint()).contains("size limit");
    }
  }

  @Test
  void recordsKeepTheNewestAndTheNewestPassedOne() {
    List<DrillRecord> records = new java.util.ArrayList<>();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    records.add(new DrillRecord("lifeboat_drill_a", "backup-1", true, t));
    for (int i = 0; i < 45; i++) {
      records.add(new DrillRecord("lifeboat_drill_f" + i, "backup-2", false, t.plusSeconds(60 + i)));
    }
    List<DrillRecord> kept = NeonDrillRecords.kept(records);
    assertThat(kept).hasSize(NeonDrillRecords.KEPT);
    assertThat(kept).extracting(DrillRecord::drillId).contains("lifeboat_drill_a", "lifeboat_drill_f44").doesNotContain("lifeboat_drill_f0");
    DrillRecord r = records.get(0);
    assertThat(NeonDrillRecords.parse(r.drillId(), NeonDrillRecords.format(r))).contains(r);
    assertThat(NeonDrillRecords.parse("x", "maybe 2026 backup-1")).isEmpty();
  }
}
