package dev.lifeboat.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.lifeboat.BackupRequest;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.FakeProvider;
import dev.lifeboat.Json;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.LifeboatListener;
import dev.lifeboat.Snapshot;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks, Slack messages and heartbeats sent by a real Lifeboat instance to a real HTTP server:
 * payload shapes, signatures, pairing, retries, and that no failed delivery changes an outcome.
 */
class NotifiersTest {
  private static final String SECRET = "N0tify-Db-Passw0rd";
  private static final String WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final Delivery FAST = new Delivery(Duration.ofMillis(20));

  @RegisterExtension
  static WireMockExtension http = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir
  Path dir;

  private final List<DeliveryFailure> failures = new CopyOnWriteArrayList<>();
  private String target;

  @BeforeEach
  void setUp() {
    FakeProvider.reset();
    target = "file:" + dir.resolve("backups");
  }

  private URI url(String path) {
    return URI.create(http.baseUrl() + path);
  }

  private Snapshot backup(LifeboatListener listener) {
    try (Lifeboat lifeboat = Lifeboat.builder().listener(listener).build()) {
      return lifeboat.backup(BackupRequest.builder("fake://app:" + SECRET + "@db.local/shop", target).build());
    }
  }

  private void failingBackup(LifeboatListener listener) {
    try (Lifeboat lifeboat = Lifeboat.builder().listener(listener).build()) {
      assertThatThrownBy(() -> lifeboat.backup(BackupRequest.builder("fake://app:" + SECRET + "@db.local/shop?fail=finish", target).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_FAILED));
    }
  }

  private WebhookNotifier webhook(String path, String secret) {
    return new WebhookNotifier(url(path), secret == null ? null : WebhookSignature.of(secret), FAST, Clock.systemUTC(), failures::add);
  }

  @Test
  void aBackupPostsASignedStandardWebhookWithTheSnapshotAndNoSecret() throws Exception {
    http.stubFor(post("/hook").willReturn(aResponse().withStatus(204)));

    Snapshot s = backup(webhook("/hook", WEBHOOK_SECRET));

    List<LoggedRequest> requests = http.findAll(postRequestedFor(urlPathEqualTo("/hook")));
    assertThat(requests).as("one notification: starts notify nobody").hasSize(1);
    LoggedRequest r = requests.get(0);
    String body = r.getBodyAsString();
    assertThat(body).doesNotContain(SECRET);
    JsonNode json = Json.mapper().readTree(body);
    assertThat(json.get("type").asText()).isEqualTo("backup.succeeded");
    assertThat(json.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    JsonNode data = json.get("data");
    assertThat(data.get("snapshotId").asText()).isEqualTo(s.id());
    assertThat(data.get("operation").asText()).isEqualTo("backup");
    assertThat(data.get("database").asText()).isEqualTo("fake://app@db.local/shop");
    assertThat(data.get("target").asText()).isEqualTo(target);
    assertThat(data.get("bytes").asLong()).isEqualTo(s.manifest().size()).isPositive();
    assertThat(data.get("items").asLong()).isEqualTo(s.manifest().inventory().totalCount());
    assertThat(data.get("durationMs").asLong()).isNotNegative();
    assertThat(data.has("error")).isFalse();
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");

    String id = r.getHeader("webhook-id");
    String timestamp = r.getHeader("webhook-timestamp");
    assertThat(id).startsWith("msg_").endsWith("_backup.succeeded");
    assertThat(Long.parseLong(timestamp)).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
    assertThat(r.getHeader("webhook-signature"))
        .as("verifiable by the receiver with the same secret over id.timestamp.body")
        .isEqualTo(WebhookSignature.of(WEBHOOK_SECRET).sign(id, Long.parseLong(timestamp), body));
    assertThat(failures).isEmpty();
  }

  @Test
  void aFailedBackupPostsTheRedactedErrorAndNoSignatureWithoutASecret() throws Exception {
    http.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));

    failingBackup(webhook("/hook", null));

    LoggedRequest r = http.findAll(postRequestedFor(urlPathEqualTo("/hook"))).get(0);
    assertThat(r.containsHeader("webhook-signature")).isFalse();
    assertThat(r.getHeader("webhook-id")).endsWith("_backup.failed");
    JsonNode json = Json.mapper().readTree(r.getBodyAsString());
    assertThat(json.get("type").asText()).isEqualTo("backup.failed");
    assertThat(json.get("data").get("error").asText()).contains("failed on purpose");
    assertThat(r.getBodyAsString()).doesNotContain(SECRET);
  }

  @Test
  void theWebhookSecretItselfIsNeverSent() {
    http.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
    WebhookNotifier notifier = Notifiers.webhook(http.baseUrl() + "/hook",
        name -> Notifiers.WEBHOOK_SECRET.equals(name) ? Optional.of(WEBHOOK_SECRET) : Optional.empty(), failures::add);

    backup(notifier);

    LoggedRequest r = http.findAll(postRequestedFor(urlPathEqualTo("/hook"))).get(0);
    assertThat(r.getHeader("webhook-signature")).startsWith("v1,");
    assertThat(r.getBodyAsString() + r.getHeaders()).doesNotContain(WEBHOOK_SECRET).doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  }

  @Test
  void slackGetsATextNamingTheEventTheDatabaseAndTheSnapshot() throws Exception {
    http.stubFor(post("/services/T0/B0/xyz").willReturn(aResponse().withStatus(200).withBody("ok")));

    Snapshot s = backup(new SlackNotifier(url("/services/T0/B0/xyz"), FAST, failures::add));

    LoggedRequest r = http.findAll(postRequestedFor(urlPathEqualTo("/services/T0/B0/xyz"))).get(0);
    JsonNode json = Json.mapper().readTree(r.getBodyAsString());
    assertThat(json.fieldNames()).toIterable().containsExactly("text");
    assertThat(json.get("text").asText())
        .startsWith("✅ Lifeboat backup.succeeded")
        .contains("database fake://app@db.local/shop")
        .contains("snapshot " + s.id())
        .doesNotContain(SECRET);
  }

  @Test
  void notifierPicksSlackForSlackUrlsAndWebhooksOtherwise() {
    assertThat(Notifiers.forUrl("slack:" + http.baseUrl() + "/x", failures::add)).isInstanceOf(SlackNotifier.class);
    assertThat(Notifiers.forUrl("https://hooks.slack.com/services/T/B/secret-path", failures::add)).isInstanceOf(SlackNotifier.class);
    assertThat(Notifiers.notifier(http.baseUrl() + "/x", name -> Optional.empty(), failures::add)).isInstanceOf(WebhookNotifier.class);
    assertThatThrownBy(() -> Notifiers.forUrl("mailto:ops@example.com", failures::add))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
          assertThat(e.getMessage()).contains("http://").contains("slack:");
        });
  }

  @Test
  void heartbeatPingsStartThenSuccessWithTheSameRunId() {
    http.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200).withBody("OK")));

    backup(new Heartbeat(url("/ping/abc"), FAST, failures::add));

    List<LoggedRequest> pings = http.findAll(anyRequestedFor(anyUrl()));
    assertThat(pings).extracting(p -> URI.create(p.getUrl()).getPath()).containsExactly("/ping/abc/start", "/ping/abc");
    String rid = pings.get(0).queryParameter("rid").firstValue();
    assertThat(rid).matches("[0-9a-f-]{36}");
    assertThat(pings.get(1).queryParameter("rid").firstValue()).isEqualTo(rid);
    assertThat(pings.get(1).getBodyAsString()).startsWith("backup.succeeded").doesNotContain(SECRET);
    assertThat(failures).isEmpty();
  }

  @Test
  void heartbeatPingsFailWithTheErrorCutFromTheFrontToThePingBodyLimit() {
    http.stubFor(post(urlPathEqualTo("/ping/abc/start")).willReturn(aResponse().withStatus(200).withHeader("Ping-Body-Limit", "40")));
    http.stubFor(post(urlPathEqualTo("/ping/abc/fail")).willReturn(aResponse().withStatus(200)));

    failingBackup(new Heartbeat(url("/ping/abc?create=1"), FAST, failures::add));

    List<LoggedRequest> pings = http.findAll(anyRequestedFor(anyUrl()));
    assertThat(pings).extracting(p -> URI.create(p.getUrl()).getPath()).containsExactly("/ping/abc/start", "/ping/abc/fail");
    assertThat(pings).allSatisfy(p -> assertThat(p.queryParameter("create").firstValue()).isEqualTo("1"));
    assertThat(pings.get(1).queryParameter("rid").firstValue()).isEqualTo(pings.get(0).queryParameter("rid").firstValue());
    byte[] body = pings.get(1).getBody();
    assertThat(body.length).isLessThanOrEqualTo(40);
    assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8)).as("the error is at the end, so the end is kept").contains("on purpose");
  }

  @Test
  void tailNeverSplitsACharacter() {
    // ✅ is three bytes in UTF-8: a cut inside it drops the whole character.
    assertThat(Heartbeat.tail("ab✅cd", 4)).isEqualTo("cd");
    assertThat(Heartbeat.tail("ab✅cd", 5)).isEqualTo("✅cd");
    assertThat(Heartbeat.tail("ab✅cd", 6)).isEqualTo("b✅cd");
    assertThat(Heartbeat.tail("short", 100)).isEqualTo("short");
  }

  @Test
  void retriesA503ThenDelivers() {
    http.stubFor(post("/hook").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
    http.stubFor(post("/hook").inScenario("flaky").whenScenarioStateIs("up").willReturn(aResponse().withStatus(200)));

    backup(webhook("/hook", WEBHOOK_SECRET));

    List<LoggedRequest> attempts = http.findAll(postRequestedFor(urlPathEqualTo("/hook")));
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(1).getHeader("webhook-id")).as("the id is the idempotency key").isEqualTo(attempts.get(0).getHeader("webhook-id"));
    assertThat(failures).isEmpty();
  }

  @Test
  void a429WaitsForRetryAfter() {
    http.stubFor(post("/hook").inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
    http.stubFor(post("/hook").inScenario("limited").whenScenarioStateIs("ok").willReturn(aResponse().withStatus(200)));

    backup(webhook("/hook", null));

    List<LoggedRequest> attempts = http.findAll(postRequestedFor(urlPathEqualTo("/hook")));
    assertThat(attempts).hasSize(2);
    long gap = attempts.get(1).getLoggedDate().getTime() - attempts.get(0).getLoggedDate().getTime();
    assertThat(gap).as("waited the second Retry-After asked for, not the 20 ms backoff").isGreaterThanOrEqualTo(900);
    assertThat(failures).isEmpty();
  }

  @Test
  void givesUpAfterThreeAttemptsAndSaysSo() {
    http.stubFor(post("/hook").willReturn(aResponse().withStatus(502)));

    Snapshot s = backup(webhook("/hook", null));

    assertThat(s.id()).isNotBlank();
    assertThat(http.findAll(postRequestedFor(urlPathEqualTo("/hook")))).hasSize(3);
    assertThat(failures).singleElement().satisfies(f -> {
      assertThat(f.reason()).isEqualTo("HTTP 502 after 3 attempts");
      assertThat(f.what()).isEqualTo("backup.succeeded");
    });
  }

  @Test
  void aRevokedSlackWebhookIsNotRetriedAndIsReportedWithTheHostOnly() {
    http.stubFor(post("/services/T0/B0/secret-token").willReturn(aResponse().withStatus(410).withBody("channel_is_archived")));
    http.stubFor(post("/services/T0/B0/revoked").willReturn(aResponse().withStatus(404).withBody("no_service")));

    backup(new SlackNotifier(url("/services/T0/B0/secret-token"), FAST, failures::add));
    backup(new SlackNotifier(url("/services/T0/B0/revoked"), FAST, failures::add));

    assertThat(http.findAll(postRequestedFor(urlPathEqualTo("/services/T0/B0/secret-token")))).hasSize(1);
    assertThat(http.findAll(postRequestedFor(urlPathEqualTo("/services/T0/B0/revoked")))).hasSize(1);
    assertThat(failures).extracting(DeliveryFailure::reason)
        .containsExactly("HTTP 410 channel_is_archived (not retried)", "HTTP 404 no_service (not retried)");
    assertThat(failures.get(0).describe())
        .isEqualTo("slack notification backup.succeeded to localhost failed: HTTP 410 channel_is_archived (not retried)")
        .doesNotContain("secret-token");
  }

  @Test
  void aDeadEndpointChangesNothingAboutTheBackup() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI dead = URI.create("http://127.0.0.1:" + closedPort + "/hook");

    Snapshot s = backup(new WebhookNotifier(dead, null, FAST, Clock.systemUTC(), failures::add));

    assertThat(s.manifest().size()).isPositive();
    assertThat(failures).singleElement().satisfies(f -> {
      assertThat(f.host()).isEqualTo("127.0.0.1");
      assertThat(f.reason()).isEqualTo("connection refused after 3 attempts");
    });
  }
}
