package dev.lifeboat.neon;

import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.Check;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Branch;
import dev.lifeboat.BranchRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NeonBranchingTest extends NeonApiTest {
  private static final String P = "/api/v2/projects/" + PROJECT;

  private NeonBranching branching(Map<String, String> settings) {
    return (NeonBranching) new NeonProvider().branching(Location.parse("neon://" + PROJECT), context(settings)).orElseThrow();
  }

  private NeonBranching branching() {
    return branching(settings());
  }

  @Test
  void throwawayBranchHasComputeExpiryAndConnectsDirectly() {
    NeonBranching b = branching();
    Instant expires = fake.now.plus(Duration.ofHours(2));
    Branch created = b.create(new BranchRequest("drill-1", null, null, expires));
    assertThat(created.name()).isEqualTo("drill-1");
    assertThat(created.parentId()).isEqualTo("br-main-000001");
    assertThat(created.expiresAt()).isEqualTo(expires);
    assertThat(server.findAll(postRequestedFor(urlPathEqualTo(P + "/branches"))).get(0).getBodyAsString())
        .contains("\"expires_at\":\"2026-03-01T14:00:00Z\"", "\"type\":\"read_write\"");
    Location uri = b.connect(created);
    assertThat(uri.scheme()).isEqualTo("postgresql");
    assertThat(uri.raw()).contains("s3cret-pw", "/neondb");
    assertThat(uri.toString()).doesNotContain("s3cret-pw");
    assertThat(b.get("drill-1")).map(Branch::id).contains(created.id());
    assertThat(b.list()).extracting(Branch::name).contains("main", "drill-1");
    b.delete("drill-1");
    assertThat(b.get("drill-1")).isEmpty();
  }

  @Test
  void expiryIsShortenedToNeonsMaximumAndRefusedOnAnExpiringParent() {
    NeonBranching b = branching();
    Branch created = b.create(new BranchRequest("long", "main", null, fake.now.plus(Duration.ofDays(90))));
    assertThat(created.expiresAt()).isEqualTo(fake.now.plus(Duration.ofDays(30)));
    assertThatThrownBy(() -> b.create(new BranchRequest("child", "long", null, fake.now.plus(Duration.ofHours(1)))))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.getMessage()).contains("expires"));
    assertThatThrownBy(() -> b.create(new BranchRequest("past", null, null, fake.now.minusSeconds(1))))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION));
  }

  @Test
  void pointInTimeBranchOutsideTheWindowIsRefusedBeforeAnyCall() {
    fake.historySeconds = 3600;
    assertThatThrownBy(() -> branching().create(new BranchRequest("pitr", "main", fake.now.minus(Duration.ofHours(2)), null)))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_RETENTION_WINDOW);
          assertThat(e.getMessage()).contains("60 min");
        });
    server.verify(0, postRequestedFor(urlMatching("/api/v2/.*")));
    Branch inside = branching().create(new BranchRequest("pitr", "main", fake.now.minus(Duration.ofMinutes(30)), null));
    assertThat(inside.attributes()).containsEntry("parentTimestamp", "2026-03-01T11:30:00Z");
  }

  @Test
  void aBlankOverlongOrMultiLineNameIsRefusedBeforeAnyCall() {
    NeonBranching b = branching();
    for (String name : List.of("", "  ", "a".repeat(NeonBranching.MAX_NAME_LENGTH + 1), "two\nlines")) {
      assertThatThrownBy(() -> b.create(BranchRequest.named(name))).as("name '%s'", name)
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION));
    }
    server.verify(0, postRequestedFor(urlMatching("/api/v2/.*")));
    assertThat(b.create(BranchRequest.named("a".repeat(NeonBranching.MAX_NAME_LENGTH))).name()).hasSize(NeonBranching.MAX_NAME_LENGTH);
  }

  @Test
  void aCreateThatStopsWaitingSaysTheBranchWasLeftInPlace() {
    fake.operationPolls = Integer.MAX_VALUE;
    Map<String, String> settings = new LinkedHashMap<>(settings());
    settings.put("neon.operationTimeout", "200ms");
    assertThatThrownBy(() -> branching(settings).create(BranchRequest.named("slow")))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
          String id = fake.byName("slow").path("id").asText();
          assertThat(e.getMessage()).contains("is still running after")
              .contains("Branch slow (" + id + ") was created on Neon project " + PROJECT + " and is left in place")
              .contains("lifeboat branch delete --on neon://" + PROJECT + " --name " + id);
        });
  }

  @Test
  void neverDeletesTheDefaultAProtectedBranchOrOneWithChildren() {
    fake.branch("br-prot-000001", "prod-copy", "br-main-000001", fake.now).put("protected", true);
    fake.branch("br-parent-000001", "parent", "br-main-000001", fake.now);
    fake.branch("br-kid-000001", "kid", "br-parent-000001", fake.now);
    NeonBranching b = branching();
    assertThatThrownBy(() -> b.delete("main")).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION));
    assertThatThrownBy(() -> b.delete("prod-copy")).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION));
    assertThatThrownBy(() -> b.delete("parent")).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.getMessage()).contains("kid"));
    server.verify(0, deleteRequestedFor(urlMatching("/api/v2/.*")));
  }

  @Test
  void inPlaceRestoreNeedsConfirmationAndKeepsThePreviousState() {
    NeonBranching b = branching();
    Instant at = fake.now.minus(Duration.ofHours(1));
    assertThatThrownBy(() -> b.restore("main", at, "main-old", null))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION));
    server.verify(0, postRequestedFor(urlMatching("/api/v2/.*")));
    Branch restored = b.restore("main", at, "main-old", "main");
    assertThat(restored.attributes()).containsKey("lastResetAt");
    assertThat(fake.byName("main-old")).isNotNull();
    assertThat(server.findAll(postRequestedFor(urlPathEqualTo(P + "/branches/br-main-000001/restore"))).get(0).getBodyAsString())
        .contains("\"source_timestamp\":\"2026-03-01T11:00:00Z\"", "\"preserve_under_name\":\"main-old\"");
  }

  @Test
  void pruneByCountAndAgeNeverTouchesDefaultProtectedOrParents() {
    fake.branch("br-b1-000001", "backup-1", "br-main-000001", fake.now.minus(Duration.ofDays(40))).put("protected", true);
    fake.branch("br-b2-000001", "backup-2", "br-main-000001", fake.now.minus(Duration.ofDays(30)));
    fake.branch("br-b3-000001", "backup-3", "br-main-000001", fake.now.minus(Duration.ofDays(20)));
    fake.branch("br-b4-000001", "backup-4", "br-main-000001", fake.now.minus(Duration.ofDays(10)));
    fake.branch("br-b5-000001", "backup-5", "br-main-000001", fake.now.minus(Duration.ofDays(1)));
    fake.branch("br-t-000001", "test-of-3", "br-b3-000001", fake.now);
    NeonBackupPruner pruner = branching().pruner();

    NeonBackupPruner.Plan byCount = pruner.plan(2, null);
    assertThat(byCount.deleteNames()).containsExactly("backup-2");
    assertThat(byCount.skipped()).containsOnlyKeys("backup-1", "backup-3");
    assertThat(byCount.keep()).extracting(x -> x.name()).containsExactly("backup-4", "backup-5");

    NeonBackupPruner.Plan byAge = pruner.plan(null, Duration.ofDays(15));
    assertThat(byAge.deleteNames()).containsExactly("backup-2");
    NeonBackupPruner.Plan both = pruner.plan(4, Duration.ofDays(15));
    assertThat(both.deleteNames()).isEmpty();

    assertThat(pruner.execute(byCount)).containsExactly("backup-2");
    assertThat(fake.get("br-b2-000001")).isNull();
    assertThat(fake.get("br-b3-000001")).isNotNull();
    assertThat(fake.get("br-main-000001")).isNotNull();
  }

  @Test
  void healthFlagsAShortWindowANearlyFullQuotaAndAStaleBackup() {
    fake.historySeconds = 24 * 3600;
    fake.branchesLimit = 5;
    for (int i = 1; i <= 4; i++) {
      fake.branch("br-b" + i + "-000001", "backup-" + i, "br-main-000001", fake.now.minus(Duration.ofDays(10 - i)));
    }
    List<Check> checks = branching().health().checks();
    assertThat(checks).extracting(Check::name).containsExactly("neon history window", "neon branch quota", "neon newest backup branch");
    assertThat(checks).allSatisfy(c -> assertThat(c.status()).isEqualTo(Check.Status.FAILED));
    assertThat(checks.get(0).detail()).contains("24 h", "48 h");
    assertThat(checks.get(1).detail()).contains("5 of 5");
    assertThat(checks.get(2).detail()).contains("backup-4", "144 h");
  }

  @Test
  void healthPassesForAHealthyProject() {
    fake.historySeconds = 7 * 24 * 3600;
    fake.branch("br-b1-000001", "backup-1", "br-main-000001", fake.now.minus(Duration.ofHours(2)));
    Map<String, String> s = new LinkedHashMap<>(settings());
    s.put("neon.branchLimit", "100");
    List<Check> checks = branching(s).health().checks();
    assertThat(checks).allSatisfy(c -> assertThat(c.status()).isEqualTo(Check.Status.PASSED));
    assertThat(checks.get(1).detail()).contains("2 of 100");
  }

  @Test
  void sourceLocationsAreParsedWithDatabaseRoleAndSlashedBranchNames() {
    NeonLocation l = NeonLocation.parse(Location.parse("neon://" + PROJECT + "/preview/pr-12?database=shop&role=app"));
    assertThat(l.projectId()).isEqualTo(PROJECT);
    assertThat(l.branch()).isEqualTo("preview/pr-12");
    assertThat(l.database()).isEqualTo("shop");
    assertThat(l.role()).isEqualTo("app");
    assertThat(NeonLocation.parse(Location.parse("neon://" + PROJECT)).branch()).isNull();
    assertThatThrownBy(() -> NeonLocation.parse(Location.parse("neon://Bad_Project/main")))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION));
    assertThatThrownBy(() -> NeonLocation.parse(Location.parse("neon://" + PROJECT + "/main?password=x")))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.getMessage()).doesNotContain("=x"));
  }
}
