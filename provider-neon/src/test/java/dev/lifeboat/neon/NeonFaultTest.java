package dev.lifeboat.neon;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Snapshot;
import dev.lifeboat.neon.api.BranchSpec;
import dev.lifeboat.neon.api.CreatedBranch;
import dev.lifeboat.neon.api.NeonProject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the client behaves when Neon or the network misbehaves. */
class NeonFaultTest extends NeonApiTest {
  private static final String P = "/api/v2/projects/" + PROJECT;

  private static String error(String code, String message) {
    return "{\"request_id\":\"7f0e4c1a-9d0b-4a39-8f2e-3c1d2b0a9e8f\",\"code\":\"" + code + "\",\"message\":\"" + message + "\"}";
  }

  /** The first {@code n} GETs of the project answer {@code status}; then the fake answers. */
  private static void failProjectGets(int n, int status, String retryAfter) {
    String state = STARTED;
    for (int i = 1; i <= n; i++) {
      String next = "failed-" + i;
      var response = aResponse().withStatus(status).withHeader("Content-Type", "application/json")
          .withBody(error(status == 423 ? "" : "", status == 423 ? "project already has running operations" : "try again"));
      if (retryAfter != null) {
        response = response.withHeader("Retry-After", retryAfter);
      }
      server.stubFor(get(urlPathEqualTo(P)).atPriority(1).inScenario("faults").whenScenarioStateIs(state)
          .willReturn(response).willSetStateTo(next));
      state = next;
    }
  }

  @Test
  void locked423IsRetriedThenSucceeds() {
    failProjectGets(1, 423, null);
    NeonProject p = client().projects().get(PROJECT);
    assertThat(p.id()).isEqualTo(PROJECT);
    server.verify(2, getRequestedFor(urlPathEqualTo(P)));
  }

  @Test
  void tooManyRequestsWaitsForRetryAfterSeconds() {
    failProjectGets(1, 429, "1");
    long started = System.nanoTime();
    client().projects().get(PROJECT);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    server.verify(2, getRequestedFor(urlPathEqualTo(P)));
    // The backoff alone is capped at 50 ms in these tests, so only Retry-After explains a one-second wait.
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void aRetryAfterLongerThanTheRetryBudgetGivesUpAtOnceWithTheReason() {
    failProjectGets(1, 429, "120");
    Map<String, String> s = new LinkedHashMap<>(settings());
    s.put("neon.retry.maxTime", "5s");
    assertThatThrownBy(() -> client(s).projects().get(PROJECT))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_API);
          assertThat(e.getMessage()).contains("429", "120 s", "neon.retry.maxTime");
        });
    server.verify(1, getRequestedFor(urlPathEqualTo(P)));
  }

  @Test
  void a429WhoseRetryAfterFitsButOutlastsTheAttemptsSaysRateLimitNotMaxTime() {
    failProjectGets(5, 429, "1");
    Map<String, String> s = new LinkedHashMap<>(settings());
    s.put("neon.retry.maxAttempts", "2");
    assertThatThrownBy(() -> client(s).projects().get(PROJECT))
        .isInstanceOfSatisfying(NeonApiException.class, e -> {
          assertThat(e.status()).isEqualTo(429);
          assertThat(e.getMessage()).contains("after 2 attempts", "rate limit").doesNotContain("longer than neon.retry.maxTime");
        });
    server.verify(2, getRequestedFor(urlPathEqualTo(P)));
  }

  @Test
  void a503BurstIsRiddenOutWithinTheAttemptBudget() {
    failProjectGets(4, 503, null);
    assertThat(client().projects().get(PROJECT).id()).isEqualTo(PROJECT);
    server.verify(5, getRequestedFor(urlPathEqualTo(P)));
  }

  @Test
  void a503BurstLongerThanTheBudgetFailsAfterExactlyMaxAttempts() {
    failProjectGets(10, 503, null);
    Map<String, String> s = new LinkedHashMap<>(settings());
    s.put("neon.retry.maxAttempts", "3");
    assertThatThrownBy(() -> client(s).projects().get(PROJECT))
        .isInstanceOfSatisfying(NeonApiException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_API);
          assertThat(e.status()).isEqualTo(503);
          assertThat(e.attempts()).isEqualTo(3);
          assertThat(e.getMessage()).contains("GET /projects/" + PROJECT, "503", "after 3 attempts", "7f0e4c1a-9d0b-4a39-8f2e-3c1d2b0a9e8f");
        });
    server.verify(3, getRequestedFor(urlPathEqualTo(P)));
  }

  @Test
  void aConnectionResetOnAGetIsRetried() {
    server.stubFor(get(urlPathEqualTo(P)).atPriority(1).inScenario("reset").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("ok"));
    assertThat(client().projects().get(PROJECT).id()).isEqualTo(PROJECT);
    server.verify(2, getRequestedFor(urlPathEqualTo(P)));
  }

  @Test
  void aConnectionResetOnANonIdempotentPostIsNotRetried() {
    server.stubFor(post(urlPathEqualTo(P + "/branches/br-main-000001/set_as_default")).atPriority(1)
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    assertThatThrownBy(() -> client().branches().setDefault(PROJECT, "br-main-000001"))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION));
    server.verify(1, postRequestedFor(urlPathEqualTo(P + "/branches/br-main-000001/set_as_default")));
  }

  @Test
  void wrongKeyIsAClearAuthenticationErrorWithoutRetryOrKeyInTheMessage() {
    server.stubFor(get(urlPathEqualTo(P)).atPriority(1).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json").withBody(error("", "authentication required"))));
    assertThatThrownBy(() -> client().projects().get(PROJECT))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION);
          assertThat(e.getMessage()).contains("NEON_API_KEY", "401", "GET /projects/" + PROJECT).doesNotContain(API_KEY);
        });
    server.verify(1, anyRequestedFor(urlMatching("/api/v2/.*")));
  }

  @Test
  void anOperationThatFailsFailsTheCallWithItsError() {
    server.stubFor(get(urlPathMatching(P + "/operations/.*")).atPriority(1).willReturn(aResponse()
        .withHeader("Content-Type", "application/json")
        .withBody("{\"operation\":" + NeonClientTest.operationJson("5b1f6c2e-3333-4d44-9a3f-1c2b3d4e5f60", "failed") + "}")));
    assertThatThrownBy(() -> client().branches().create(PROJECT, new BranchSpec("doomed", null, null, null, null, false, Map.of())))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_API);
          assertThat(e.getMessage()).contains("create_branch", "failed", "timeline creation failed: out of disk");
        });
  }

  @Test
  void anOperationThatNeverFinishesTimesOut() {
    fake.operationPolls = Integer.MAX_VALUE;
    Map<String, String> s = new LinkedHashMap<>(settings());
    s.put("neon.operationTimeout", "300ms");
    long started = System.nanoTime();
    assertThatThrownBy(() -> client(s).branches().create(PROJECT, new BranchSpec("slow", null, null, null, null, false, Map.of())))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
          assertThat(e.getMessage()).contains("create_timeline", "running", "neon.operationTimeout");
        });
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aRetriedCreateThatMeets409ReusesTheBranchItAskedFor() {
    // The first attempt reaches Neon (the fake creates the branch) but the answer is lost.
    server.stubFor(post(urlPathEqualTo(P + "/branches")).atPriority(1).inScenario("lost").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("created"));
    fake.branch("br-rerun-000001", "ci-run-42", "br-main-000001", fake.now);
    CreatedBranch created = client().branches().create(PROJECT, new BranchSpec("ci-run-42", "br-main-000001", null, null, null, true, Map.of()));
    assertThat(created.reused()).isTrue();
    assertThat(created.branch().id()).isEqualTo("br-rerun-000001");
    server.verify(2, postRequestedFor(urlPathEqualTo(P + "/branches")));
  }

  @Test
  void a409AfterA503IsSomeoneElsesBranchNotOurs() {
    // 503 and 423 mean Neon did not apply the request, so a 409 on the retry is a branch another
    // client created under that name: adopting it would hand its data to us (and a drill deletes it after).
    server.stubFor(post(urlPathEqualTo(P + "/branches")).atPriority(1).inScenario("busy").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json").withBody(error("", "try again")))
        .willSetStateTo("answered"));
    fake.branch("br-someone-000002", "ci-run-43", "br-main-000001", fake.now);
    assertThatThrownBy(() -> client().branches().create(PROJECT, new BranchSpec("ci-run-43", "br-main-000001", null, null, null, true, Map.of())))
        .isInstanceOfSatisfying(NeonApiException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.attempts()).isEqualTo(2);
        });
    server.verify(2, postRequestedFor(urlPathEqualTo(P + "/branches")));
  }

  @Test
  void a409OnTheFirstAttemptIsNotTakenForOurOwnBranch() {
    fake.branch("br-someone-000001", "taken", "br-main-000001", fake.now);
    assertThatThrownBy(() -> client().branches().create(PROJECT, new BranchSpec("taken", "br-main-000001", null, null, null, true, Map.of())))
        .isInstanceOfSatisfying(NeonApiException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.attempts()).isEqualTo(1);
        });
  }

  @Test
  void twoBackupsInOneSecondGetDistinctNamesEvenWhenAnotherProcessTakesTheNameFirst() {
    NeonNativeSnapshots target = (NeonNativeSnapshots) new NeonProvider().nativeSnapshots(Location.parse("neon://" + PROJECT), context(settings())).orElseThrow();
    Snapshot first = target.take(Location.parse("neon://" + PROJECT + "/main"), "id1", null, Map.of());
    // Another process creates the "-2" name between our listing and our create: our first attempt meets 409.
    server.stubFor(post(urlPathEqualTo(P + "/branches")).atPriority(1).inScenario("race").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/json")
            .withBody(error("", "branch with name backup-20260301T120000Z-2 already exists")))
        .willSetStateTo("raced"));
    Snapshot second = target.take(Location.parse("neon://" + PROJECT + "/main"), "id2", null, Map.of());
    assertThat(first.id()).isEqualTo("backup-20260301T120000Z");
    assertThat(second.id()).isEqualTo("backup-20260301T120000Z-3");
    assertThat(fake.names()).contains("backup-20260301T120000Z", "backup-20260301T120000Z-3");
  }

  @Test
  void branchLimitExceededNamesTheLimitAndTheOldestBackupsPruningWouldRemove() {
    fake.branchesLimit = 4;
    fake.branch("br-backup-000001", "backup-20260201T000000Z", "br-main-000001", fake.now.minus(Duration.ofDays(28)));
    fake.branch("br-backup-000002", "backup-20260202T000000Z", "br-main-000001", fake.now.minus(Duration.ofDays(27)));
    fake.branch("br-backup-000003", "backup-20260203T000000Z", "br-main-000001", fake.now.minus(Duration.ofDays(26)));
    // A branch of the oldest backup: that backup cannot be pruned.
    fake.branch("br-drill-000001", "drill", "br-backup-000001", fake.now.minus(Duration.ofDays(1)));
    fake.branchesLimit = 5;
    NeonNativeSnapshots target = (NeonNativeSnapshots) new NeonProvider().nativeSnapshots(Location.parse("neon://" + PROJECT), context(settings())).orElseThrow();
    assertThatThrownBy(() -> target.take(Location.parse("neon://" + PROJECT + "/main"), "id", null, Map.of()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
          assertThat(e.getMessage()).contains("branch limit of 5 branches", "BRANCHES_LIMIT_EXCEEDED",
              "backup-20260202T000000Z", "backup-20260203T000000Z", "lifeboat prune").doesNotContain("backup-20260201T000000Z (");
        });
  }
}
