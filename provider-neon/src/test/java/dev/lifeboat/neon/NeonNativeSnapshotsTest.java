package dev.lifeboat.neon;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.lifeboat.BackupRequest;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NeonNativeSnapshotsTest extends NeonApiTest {
  private static final String P = "/api/v2/projects/" + PROJECT;
  private static final Location MAIN = Location.parse("neon://" + PROJECT + "/main");

  private NeonNativeSnapshots target() {
    return (NeonNativeSnapshots) new NeonProvider().nativeSnapshots(Location.parse("neon://" + PROJECT), context(settings())).orElseThrow();
  }

  @Test
  void nativeSnapshotIsABackupBranchOfTheSourceWithoutComputeAndWithLabels() {
    NeonNativeSnapshots t = target();
    assertThat(t.accepts(MAIN)).isTrue();
    assertThat(t.accepts(Location.parse("neon://other-project-1/main"))).isFalse();
    assertThat(t.accepts(Location.parse("neon://" + PROJECT))).isFalse();
    assertThat(t.accepts(Location.parse("postgresql://localhost/db"))).isFalse();

    Snapshot s = t.take(MAIN, "20260301T120000.000Z-0a1b2c3d", null, Map.of("reason", "pre-migration"));
    assertThat(s.id()).isEqualTo("backup-20260301T120000Z");
    assertThat(s.manifest().kind()).isEqualTo(SnapshotKind.BRANCH);
    assertThat(s.manifest().format()).isEqualTo("neon-branch");
    assertThat(s.manifest().labels()).containsEntry("reason", "pre-migration");
    assertThat(s.manifest().properties()).containsEntry("neon.parentId", "br-main-000001")
        .containsEntry("lifeboat.id", "20260301T120000.000Z-0a1b2c3d");
    assertThat(s.manifest().source().kind()).isEqualTo("neon");
    assertThat(s.manifest().source().uri()).isEqualTo("neon://" + PROJECT + "/main");
    assertThat(fake.hasEndpoint(s.manifest().properties().get("neon.branchId"))).isFalse();
    assertThat(fake.byName("backup-20260301T120000Z").path("parent_id").asText()).isEqualTo("br-main-000001");

    // Listed, with labels read back from Neon's annotations.
    List<Snapshot> listed = t.list();
    assertThat(listed).extracting(Snapshot::id).containsExactly("backup-20260301T120000Z");
    assertThat(listed.get(0).manifest().labels()).containsEntry("reason", "pre-migration");
    assertThat(listed.get(0).manifest().consistentAt()).isNotNull();
    assertThat(t.get("20260301T120000.000Z-0a1b2c3d")).isPresent();
    assertThat(t.get("backup-20260301T120000Z")).isPresent();
  }

  @Test
  void snapshotAtAnInstantSendsItAsParentTimestampAndRecordsItAsConsistentAt() {
    Instant at = fake.now.minus(Duration.ofHours(3));
    Snapshot s = target().take(MAIN, "id", at, Map.of());
    assertThat(s.manifest().consistentAt()).isEqualTo(at);
    LoggedRequest post = server.findAll(postRequestedFor(urlPathEqualTo(P + "/branches"))).get(0);
    assertThat(post.getBodyAsString()).contains("\"parent_timestamp\":\"2026-03-01T09:00:00Z\"").doesNotContain("endpoints");
  }

  @Test
  void anInstantOutsideTheHistoryWindowIsRefusedBeforeAnyCreateWithTheWindow() {
    fake.historySeconds = 6 * 3600;
    assertThatThrownBy(() -> target().take(MAIN, "id", fake.now.minus(Duration.ofHours(7)), Map.of()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_RETENTION_WINDOW);
          assertThat(e.code().exitStatus()).isEqualTo(2);
          assertThat(e.getMessage()).contains("6 h", "2026-03-01T06:00:00Z", "2026-03-01T12:00:00Z");
        });
    assertThatThrownBy(() -> target().take(MAIN, "id", fake.now.plusSeconds(60), Map.of()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_RETENTION_WINDOW);
          assertThat(e.getMessage()).contains("future");
        });
    server.verify(0, postRequestedFor(urlMatching("/api/v2/.*")));
  }

  @Test
  void aBackupBranchWhoseOperationFailsIsRemovedAndNeverListed() {
    server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
            com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(P + "/operations/.*")).atPriority(1)
        .willReturn(NeonClientTest.json("{\"operation\":" + NeonClientTest.operationJson("5b1f6c2e-3333-4d44-9a3f-1c2b3d4e5f60", "failed") + "}")));
    NeonNativeSnapshots t = target();
    assertThatThrownBy(() -> t.take(MAIN, "id", null, Map.of()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_API));
    assertThat(t.list()).isEmpty();
    assertThat(fake.names()).containsExactly("main");
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void aBackupAbortedWhileNeonWorksEndsAtOnceNamingTheBackupBranchLeftAndTheCommandThatDeletesIt() throws Exception {
    // Neon's operations never finish: the backup waits on Neon until the abort.
    fake.operationPolls = Integer.MAX_VALUE;
    try (Lifeboat lifeboat = Lifeboat.builder().settings(settings()).secrets(secrets()).clock(clock()).build()) {
      java.util.concurrent.CompletableFuture<Snapshot> running = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> lifeboat.backup(BackupRequest.builder(MAIN.toString(), "neon://" + PROJECT).build()));
      while (fake.byName("backup-20260301T120000Z") == null) {
        assertThat(running).as("the backup still waits on Neon").isNotDone();
        Thread.sleep(10);
      }
      String branchId = fake.byName("backup-20260301T120000Z").path("id").asText();

      assertThat(lifeboat.abortBackups(Duration.ofSeconds(10))).as("the wait on Neon ended in time").isTrue();

      assertThatThrownBy(running::join).hasCauseInstanceOf(LifeboatException.class).cause()
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ABORTED);
            assertThat(e.getMessage()).contains("stopped before it finished")
                .contains("Backup branch backup-20260301T120000Z (" + branchId + ") was created on Neon project " + PROJECT)
                .contains("left in place")
                .contains("'lifeboat branch delete --on neon://" + PROJECT + " --name " + branchId + "'")
                .doesNotContain("nothing was stored");
          });
    }
    assertThat(fake.byName("backup-20260301T120000Z")).as("left in place, as the message says").isNotNull();
  }

  @Test
  void dumpOptionsABranchCannotHonourAreRefusedBeforeAnyBranchIsMade() {
    try (Lifeboat lifeboat = Lifeboat.builder().settings(settings()).secrets(secrets()).clock(clock()).build()) {
      assertThatThrownBy(() -> lifeboat.backup(BackupRequest.builder(MAIN.toString(), "neon://" + PROJECT)
          .options(dev.lifeboat.DumpOptions.builder().includeTable("public.orders").jobs(2).build()).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
            assertThat(e.getMessage()).contains("--table, --jobs do not apply").contains("file:/var/backups");
          });
    }
    assertThat(fake.names()).as("no backup branch").containsExactly("main");
  }

  @Test
  void archivesAreRefusedWithAdviceBeforeAnyDump() {
    try (Lifeboat lifeboat = Lifeboat.builder().settings(settings()).secrets(secrets()).clock(clock()).build()) {
      assertThatThrownBy(() -> lifeboat.backup(BackupRequest.builder("postgresql://postgres@localhost:1/db", "neon://" + PROJECT).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
            assertThat(e.getMessage()).contains("file:");
          });
    }
    assertThat(fake.names()).containsExactly("main");
  }

  @Test
  void listShowsOnlyPrefixedBranchesOldestFirst() {
    fake.branch("br-b2-000001", "backup-20260220T000000Z", "br-main-000001", fake.now.minus(Duration.ofDays(9)));
    fake.branch("br-b1-000001", "backup-20260210T000000Z", "br-main-000001", fake.now.minus(Duration.ofDays(19)));
    fake.branch("br-dev-000001", "dev", "br-main-000001", fake.now.minus(Duration.ofDays(5)));
    assertThat(target().list()).extracting(Snapshot::id).containsExactly("backup-20260210T000000Z", "backup-20260220T000000Z");
  }

  @Test
  void deleteRemovesTheBranchButNeverOneWithChildrenAndUnknownIdsAreNotFound() {
    fake.branch("br-b1-000001", "backup-20260210T000000Z", "br-main-000001", fake.now.minus(Duration.ofDays(19)));
    fake.branch("br-b2-000001", "backup-20260220T000000Z", "br-main-000001", fake.now.minus(Duration.ofDays(9)));
    fake.branch("br-test-000001", "restore-test", "br-b2-000001", fake.now.minus(Duration.ofDays(1)));
    NeonNativeSnapshots t = target();
    t.delete("backup-20260210T000000Z");
    assertThat(fake.get("br-b1-000001")).isNull();
    assertThatThrownBy(() -> t.delete("backup-20260220T000000Z")).isInstanceOfSatisfying(LifeboatException.class, e ->
        assertThat(e.getMessage()).contains("restore-test"));
    assertThat(fake.get("br-b2-000001")).isNotNull();
    assertThatThrownBy(() -> t.delete("backup-19990101T000000Z")).isInstanceOfSatisfying(LifeboatException.class, e ->
        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void restoreIntoANewBranchCreatesItFromTheSnapshotWithACompute() {
    NeonNativeSnapshots t = target();
    Snapshot s = t.take(MAIN, "id", null, Map.of());
    RestoreResult r = t.restore(s, Location.parse("neon://" + PROJECT + "/restore-check"), RestoreOptions.defaults());
    assertThat(r.details()).containsEntry("mode", "new-branch");
    var created = fake.byName("restore-check");
    assertThat(created.path("parent_id").asText()).isEqualTo(s.manifest().properties().get("neon.branchId"));
    assertThat(fake.hasEndpoint(created.path("id").asText())).isTrue();
    assertThat(r.destination()).isEqualTo("neon://" + PROJECT + "/restore-check");
  }

  @Test
  void restoreInPlaceNeedsConfirmationAndAlwaysPreservesThePreviousState() {
    NeonNativeSnapshots t = target();
    Snapshot s = t.take(MAIN, "id", null, Map.of());
    Location main = Location.parse("neon://" + PROJECT + "/main");
    assertThatThrownBy(() -> t.restore(s, main, RestoreOptions.defaults()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION);
          assertThat(e.getMessage()).contains("default branch", "--confirm main");
        });
    assertThatThrownBy(() -> t.restore(s, main, RestoreOptions.builder().confirm("wrong").build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION));
    server.verify(0, postRequestedFor(urlPathEqualTo(P + "/branches/br-main-000001/restore")));

    RestoreResult r = t.restore(s, main, RestoreOptions.builder().confirm("main").build());
    assertThat(r.details()).containsEntry("mode", "in-place").containsEntry("preservedAs", "main-before-restore-20260301T120000Z");
    assertThat(fake.byName("main-before-restore-20260301T120000Z")).isNotNull();
    LoggedRequest restore = server.findAll(postRequestedFor(urlPathEqualTo(P + "/branches/br-main-000001/restore"))).get(0);
    assertThat(restore.getBodyAsString()).contains("\"source_branch_id\":\"" + s.manifest().properties().get("neon.branchId") + "\"",
        "\"preserve_under_name\":\"main-before-restore-20260301T120000Z\"");
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void anInPlaceRestoreInterruptedWhileNeonWorksEndsWithTheBranchThatKeepsThePreviousState() throws Exception {
    NeonNativeSnapshots t = target();
    Snapshot s = t.take(MAIN, "id", null, Map.of());
    // Neon's operations never finish: the restore waits on Neon until its thread is interrupted.
    fake.operationPolls = Integer.MAX_VALUE;
    Throwable failure = interruptedOnceWaiting(() -> t.restore(s, MAIN, RestoreOptions.builder().confirm("main").build()),
        () -> fake.byName("main-before-restore-20260301T120000Z") != null);
    String keptId = fake.byName("main-before-restore-20260301T120000Z").path("id").asText();

    assertThat(failure).isInstanceOfSatisfying(LifeboatException.class, e -> {
      List<String> lines = e.getMessage().lines().toList();
      assertThat(lines.get(lines.size() - 1)).as("the last line says what Neon holds")
          .startsWith("Branch main is being restored in place by Neon, which goes on without Lifeboat")
          .contains("kept as branch main-before-restore-20260301T120000Z (" + keptId + ")")
          .contains("'lifeboat branch list --on neon://" + PROJECT + "'");
    });
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void aRestoreIntoANewBranchInterruptedWhileNeonWorksNamesTheBranchLeftAndTheCommandThatDeletesIt() throws Exception {
    NeonNativeSnapshots t = target();
    Snapshot s = t.take(MAIN, "id", null, Map.of());
    fake.operationPolls = Integer.MAX_VALUE;
    Throwable failure = interruptedOnceWaiting(() -> t.restore(s, Location.parse("neon://" + PROJECT + "/restored"),
        RestoreOptions.defaults()), () -> fake.byName("restored") != null);
    String id = fake.byName("restored").path("id").asText();

    assertThat(failure).isInstanceOfSatisfying(LifeboatException.class, e -> {
      List<String> lines = e.getMessage().lines().toList();
      assertThat(lines.get(lines.size() - 1)).isEqualTo("Branch restored (" + id + ") was created on Neon project " + PROJECT
          + " and is left in place: use it once Neon reports it ready, or delete it with 'lifeboat branch delete --on neon://" + PROJECT
          + " --name " + id + "'.");
    });
  }

  @Test
  void theApiKeyNeverLeavesTheAuthorizationHeader() {
    Snapshot s = target().take(MAIN, "id", null, Map.of("k", "v"));
    assertThat(s.toString() + s.manifest()).doesNotContain(API_KEY);
    for (LoggedRequest r : server.findAll(anyRequestedFor(urlMatching("/api/v2/.*")))) {
      assertThat(r.getUrl() + r.getBodyAsString()).doesNotContain(API_KEY);
    }
  }

  @Test
  void aMissingKeyIsAConfigurationErrorNamingTheVariable() {
    var ctx = context(settings(), name -> java.util.Optional.empty(), clock());
    assertThatThrownBy(() -> new NeonProvider().nativeSnapshots(Location.parse("neon://" + PROJECT), ctx))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
          assertThat(e.getMessage()).contains("NEON_API_KEY");
        });
  }

  /**
   * Runs {@code restore} on its own thread, interrupts it once {@code reached} holds (as the CLI's
   * signal handler does), and returns what it threw; the interrupt must end its wait on Neon.
   */
  private static Throwable interruptedOnceWaiting(Runnable restore, java.util.function.BooleanSupplier reached) throws InterruptedException {
    java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    Thread restoring = new Thread(() -> {
      try {
        restore.run();
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    restoring.start();
    while (!reached.getAsBoolean()) {
      assertThat(restoring.isAlive()).as("the restore still waits on Neon").isTrue();
      Thread.sleep(10);
    }
    restoring.interrupt();
    restoring.join(10_000);
    assertThat(restoring.isAlive()).as("the interrupt ended the wait").isFalse();
    return failure.get();
  }
}
