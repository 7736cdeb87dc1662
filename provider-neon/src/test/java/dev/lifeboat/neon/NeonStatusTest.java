package dev.lifeboat.neon;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.neon.api.BranchSpec;
import dev.lifeboat.neon.api.CreatedBranch;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every status the Neon API answers the calls Lifeboat makes (neon-api-notes.md §2) ends in one
 * clear line with the documented exit code, or in a retry where the status says one can help.
 */
class NeonStatusTest extends NeonApiTest {
  private static final String P = "/api/v2/projects/" + PROJECT;

  private static ResponseDefinitionBuilder answer(int status, String code, String message) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withBody("{\"request_id\":\"2b6f0c1e-4444-4d44-9a3f-1c2b3d4e5f60\",\"code\":\"" + code + "\",\"message\":\"" + message + "\"}");
  }

  /** The first {@code n} requests {@code on} matches get {@code failure}; later ones reach the fake. */
  private static void first(int n, Supplier<MappingBuilder> on, ResponseDefinitionBuilder failure) {
    String state = STARTED;
    for (int i = 1; i <= n; i++) {
      server.stubFor(on.get().atPriority(1).inScenario("status").whenScenarioStateIs(state).willReturn(failure).willSetStateTo("after-" + i));
      state = "after-" + i;
    }
  }

  private static void assertOneLine(LifeboatException e) {
    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
  }

  @Test
  void forbidden403SaysTheKeyMayNotDoThisOnTheProject() {
    server.stubFor(get(urlPathEqualTo(P)).atPriority(1).willReturn(answer(403, "", "permission denied")));
    assertThatThrownBy(() -> client().projects().get(PROJECT)).isInstanceOfSatisfying(NeonApiException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION);
      assertThat(e.code().exitStatus()).isEqualTo(1);
      assertThat(e.getMessage()).contains("403", "permission denied", "may not do this on project " + PROJECT);
      assertThat(e.attempts()).isEqualTo(1);
      assertOneLine(e);
    });
  }

  @Test
  void anUnknownProjectIsNotFoundNamingTheProjectToCheck() {
    // The fake knows only PROJECT; any other project id gets Neon's 404.
    assertThatThrownBy(() -> client().projects().get("no-such-project-123")).isInstanceOfSatisfying(NeonApiException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
      assertThat(e.code().exitStatus()).isEqualTo(2);
      assertThat(e.getMessage()).contains("404", "Neon project no-such-project-123 does not exist", "neon://no-such-project-123", "API key");
      assertOneLine(e);
    });
  }

  @Test
  void anUnknownBranchIsNotFoundNamingTheBranchAndHowToListThem() {
    server.stubFor(post(urlPathEqualTo(P + "/branches/br-gone-000001/set_as_default")).atPriority(1)
        .willReturn(answer(404, "", "branch not found")));
    assertThatThrownBy(() -> client().branches().setDefault(PROJECT, "br-gone-000001")).isInstanceOfSatisfying(NeonApiException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
      assertThat(e.getMessage()).contains("no branch br-gone-000001", "lifeboat branch list --on neon://" + PROJECT);
    });
  }

  @Test
  void anUnknownRoleIsNotFoundNamingTheRole() {
    server.stubFor(get(urlPathEqualTo(P + "/branches/br-main-000001/roles/nobody/reveal_password")).atPriority(1)
        .willReturn(answer(404, "", "role not found")));
    assertThatThrownBy(() -> client().connections().directUriFromParts(PROJECT, "br-main-000001", "neondb", "nobody"))
        .isInstanceOfSatisfying(NeonApiException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
          assertThat(e.getMessage()).contains("no role 'nobody'", "role=");
        });
  }

  @Test
  void aConflict409IsAConfigurationErrorSayingNeonChangedNothing() {
    server.stubFor(post(urlPathEqualTo(P + "/branches/br-main-000001/restore")).atPriority(1)
        .willReturn(answer(409, "", "branch with name \\\"main-before\\\" already exists")));
    assertThatThrownBy(() -> client().branches().restore(PROJECT, "br-main-000001", "br-main-000001", fake.now.minusSeconds(60), null, "main-before"))
        .isInstanceOfSatisfying(NeonApiException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
          assertThat(e.code().exitStatus()).isEqualTo(2);
          assertThat(e.getMessage()).contains("already exists", "changed nothing", "another name");
          assertOneLine(e);
        });
    server.verify(1, postRequestedFor(urlPathEqualTo(P + "/branches/br-main-000001/restore")));
  }

  @Test
  void a429WithoutRetryAfterBacksOffAtLeastASecondAndThenSucceeds() {
    first(1, () -> get(urlPathEqualTo(P)), answer(429, "", "rate limit exceeded"));
    long started = System.nanoTime();
    assertThat(client().projects().get(PROJECT).id()).isEqualTo(PROJECT);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    List<LoggedRequest> sent = server.findAll(getRequestedFor(urlPathEqualTo(P)));
    assertThat(sent).hasSize(2);
    // The test backoff is capped at 50 ms, so only the rate-limit pause explains the gap.
    assertThat(Duration.between(sent.get(0).getLoggedDate().toInstant(), sent.get(1).getLoggedDate().toInstant()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void a429BurstWithoutRetryAfterFailsAfterTheBudgetWithTheRateLimitHint() {
    first(10, () -> get(urlPathEqualTo(P)), answer(429, "", "rate limit exceeded"));
    Map<String, String> s = new LinkedHashMap<>(settings());
    s.put("neon.retry.maxAttempts", "2");
    assertThatThrownBy(() -> client(s).projects().get(PROJECT)).isInstanceOfSatisfying(NeonApiException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_API);
      assertThat(e.status()).isEqualTo(429);
      assertThat(e.getMessage()).contains("after 2 attempts", "rate limit");
      assertOneLine(e);
    });
    server.verify(2, getRequestedFor(urlPathEqualTo(P)));
  }

  @Test
  void a423BurstNamesTheRunningOperationAsTheCause() {
    first(10, () -> get(urlPathEqualTo(P)), answer(423, "", "project already has running operations"));
    Map<String, String> s = new LinkedHashMap<>(settings());
    s.put("neon.retry.maxAttempts", "3");
    assertThatThrownBy(() -> client(s).projects().get(PROJECT)).isInstanceOfSatisfying(NeonApiException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_API);
      assertThat(e.getMessage()).contains("423", "after 3 attempts", "Another operation is running");
    });
    server.verify(3, getRequestedFor(urlPathEqualTo(P)));
  }

  @Test
  void a500OnAReadIsRetriedThenSucceeds() {
    first(2, () -> get(urlPathEqualTo(P + "/branches")), answer(500, "", "internal error"));
    assertThat(client().branches().list(PROJECT)).hasSize(1);
    server.verify(3, getRequestedFor(urlPathEqualTo(P + "/branches")));
  }

  @Test
  void a5xxThatOutlastsTheRetriesIsARemoteApiErrorExit1() {
    first(10, () -> get(urlPathEqualTo(P)), answer(502, "", "bad gateway"));
    Map<String, String> s = new LinkedHashMap<>(settings());
    s.put("neon.retry.maxAttempts", "3");
    assertThatThrownBy(() -> client(s).projects().get(PROJECT)).isInstanceOfSatisfying(NeonApiException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_API);
      assertThat(e.code().exitStatus()).isEqualTo(1);
      assertThat(e.status()).isEqualTo(502);
      assertThat(e.getMessage()).contains("502", "bad gateway", "after 3 attempts", "try again later");
      assertOneLine(e);
    });
    server.verify(3, getRequestedFor(urlPathEqualTo(P)));
  }

  @Test
  void a500OnAChangeThatIsNotSafeToResendIsNotRetriedAndSaysToCheckTheProject() {
    server.stubFor(post(urlPathEqualTo(P + "/branches/br-main-000001/set_as_default")).atPriority(1)
        .willReturn(answer(500, "", "internal error")));
    assertThatThrownBy(() -> client().branches().setDefault(PROJECT, "br-main-000001")).isInstanceOfSatisfying(NeonApiException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_API);
      assertThat(e.getMessage()).contains("500", "may have applied", "check the project");
    });
    server.verify(1, postRequestedFor(urlPathEqualTo(P + "/branches/br-main-000001/set_as_default")));
  }

  @Test
  void a502OnANamedCreateIsRetriedAndA409ThenReusesTheBranchNeonMadeAfterAll() {
    // The gateway failed after Neon created the branch: the retry meets 409 for our own branch.
    first(1, () -> post(urlPathEqualTo(P + "/branches")), answer(502, "", "bad gateway"));
    fake.branch("br-made-000001", "ci-run-77", "br-main-000001", fake.now);
    CreatedBranch created = client().branches().create(PROJECT, new BranchSpec("ci-run-77", "br-main-000001", null, null, null, true, Map.of()));
    assertThat(created.reused()).isTrue();
    assertThat(created.branch().id()).isEqualTo("br-made-000001");
    server.verify(2, postRequestedFor(urlPathEqualTo(P + "/branches")));
  }

  @Test
  void a500OnADeleteIsRetried() {
    fake.branch("br-temp-000001", "temp", "br-main-000001", fake.now);
    first(1, () -> delete(urlPathEqualTo(P + "/branches/br-temp-000001")), answer(500, "", "internal error"));
    client().branches().delete(PROJECT, "br-temp-000001");
    assertThat(fake.get("br-temp-000001")).isNull();
    server.verify(2, deleteRequestedFor(urlPathEqualTo(P + "/branches/br-temp-000001")));
  }

  @Test
  void a400SaysNeonChangedNothingAndWhatToCheck() {
    server.stubFor(post(urlPathEqualTo(P + "/branches/br-main-000001/restore")).atPriority(1)
        .willReturn(answer(400, "", "source_timestamp is outside the history window")));
    assertThatThrownBy(() -> client().branches().restore(PROJECT, "br-main-000001", "br-main-000001", fake.now.minusSeconds(60), null, "before"))
        .isInstanceOfSatisfying(NeonApiException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_API);
          assertThat(e.getMessage()).contains("400", "outside the history window", "changed nothing");
        });
  }

  @Test
  void aNeonTargetOnAnUnknownProjectIsNotFoundExit2() {
    NeonNativeSnapshots target = (NeonNativeSnapshots) new NeonProvider()
        .nativeSnapshots(Location.parse("neon://no-such-project-123"), context(settings())).orElseThrow();
    assertThatThrownBy(target::list).isInstanceOfSatisfying(LifeboatException.class, e -> {
      assertThat(e.code().exitStatus()).isEqualTo(2);
      assertThat(e.getMessage()).contains("no-such-project-123");
    });
  }
}
