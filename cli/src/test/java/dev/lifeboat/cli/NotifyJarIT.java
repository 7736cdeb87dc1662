package dev.lifeboat.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.lifeboat.Json;
import dev.lifeboat.notify.WebhookSignature;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --notify} and {@code --heartbeat} through the packaged jar: signed webhooks and paired
 * pings arrive, and an endpoint that is down or wrong never changes the exit code.
 */
class NotifyJarIT {
  private static final String WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static MongoServer mongo;
  static String source;
  static WireMockServer http;
  @TempDir static Path work;

  @BeforeAll
  static void start() {
    mongo = new MongoServer(new MemoryBackend());
    InetSocketAddress address = mongo.bind();
    source = "mongodb://" + address.getHostString() + ":" + address.getPort() + "/shop";
    try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
      client.getDatabase("shop").getCollection("orders").insertMany(List.of(new Document("_id", 1), new Document("_id", 2)));
    }
    http = new WireMockServer(wireMockConfig().dynamicPort());
    http.start();
  }

  @AfterAll
  static void stop() {
    http.stop();
    mongo.shutdownNow();
  }

  @BeforeEach
  void reset() {
    http.resetAll();
    http.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200).withBody("OK")));
  }

  @Test
  void aBackupSendsASignedWebhookAndPairedHeartbeats() throws Exception {
    String target = "file:" + work.resolve("signed");
    PackagedJar.Run backup = PackagedJar.run(work, Map.of("LIFEBOAT_WEBHOOK_SECRET", WEBHOOK_SECRET), "backup",
        "--source", source, "--target", target,
        "--notify", http.baseUrl() + "/hook", "--heartbeat", http.baseUrl() + "/ping/check-1");

    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();
    LoggedRequest hook = http.findAll(postRequestedFor(urlPathEqualTo("/hook"))).get(0);
    JsonNode json = Json.mapper().readTree(hook.getBodyAsString());
    assertThat(json.get("type").asText()).isEqualTo("backup.succeeded");
    assertThat(json.get("data").get("snapshotId").asText()).isEqualTo(id);
    assertThat(hook.getHeader("webhook-signature")).isEqualTo(WebhookSignature.of(WEBHOOK_SECRET)
        .sign(hook.getHeader("webhook-id"), Long.parseLong(hook.getHeader("webhook-timestamp")), hook.getBodyAsString()));

    List<LoggedRequest> pings = http.findAll(anyRequestedFor(anyUrl())).stream()
        .filter(r -> r.getUrl().startsWith("/ping/")).toList();
    assertThat(pings).extracting(r -> URI.create(r.getUrl()).getPath()).containsExactly("/ping/check-1/start", "/ping/check-1");
    assertThat(pings.get(1).queryParameter("rid").firstValue()).isEqualTo(pings.get(0).queryParameter("rid").firstValue());
    assertThat(backup.err()).doesNotContain("warning");
  }

  @Test
  void aDeadNotifyEndpointLeavesTheExitCodeAtZeroWithOneWarningNamingTheHost() throws Exception {
    int port = PackagedJar.closedPort();
    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--source", source,
        "--target", "file:" + work.resolve("dead"), "--notify", "http://127.0.0.1:" + port + "/secret-path/hook");

    assertThat(backup.exit()).as(backup.toString()).isZero();
    assertThat(backup.lastOutLine()).isNotBlank();
    List<String> warnings = backup.errLines().stream().filter(l -> l.contains("warning")).toList();
    assertThat(warnings).as(backup.toString()).singleElement().satisfies(line -> assertThat(line)
        .isEqualTo("lifeboat: warning: webhook notification backup.succeeded to 127.0.0.1 failed: connection refused after 3 attempts"));
    assertThat(backup.err()).doesNotContain("secret-path");
  }

  @Test
  void aFailedBackupPingsFailAndKeepsItsOwnExitCode() throws Exception {
    int port = PackagedJar.closedPort();
    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--source", "mongodb://127.0.0.1:" + port + "/shop",
        "--target", "file:" + work.resolve("failed"),
        "--heartbeat", http.baseUrl() + "/ping/check-2", "--notify", "slack:" + http.baseUrl() + "/services/T/B/x");

    assertThat(backup.exit()).as(backup.toString()).isEqualTo(1);
    List<LoggedRequest> pings = http.findAll(anyRequestedFor(anyUrl())).stream()
        .filter(r -> r.getUrl().startsWith("/ping/")).toList();
    assertThat(pings).extracting(r -> URI.create(r.getUrl()).getPath()).containsExactly("/ping/check-2/start", "/ping/check-2/fail");
    LoggedRequest slack = http.findAll(postRequestedFor(urlPathEqualTo("/services/T/B/x"))).get(0);
    assertThat(Json.mapper().readTree(slack.getBodyAsString()).get("text").asText()).startsWith("❌ Lifeboat backup.failed");
  }

  @Test
  void anEndpointThatDripsItsAnswerDoesNotHoldTheJobUp() throws Exception {
    // Headers at once, then a body spread over two minutes: longer than the run may take.
    http.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)
        .withBody("x".repeat(120)).withChunkedDribbleDelay(120, 120_000)));

    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--source", source,
        "--target", "file:" + work.resolve("dripping"), "--notify", http.baseUrl() + "/hook",
        "--heartbeat", http.baseUrl() + "/ping/drip");

    assertThat(backup.exit()).as(backup.toString()).isZero();
    assertThat(backup.elapsed()).as(backup.toString()).isLessThan(Duration.ofSeconds(40));
    assertThat(backup.err()).as(backup.toString()).doesNotContain("warning");
    assertThat(http.findAll(anyRequestedFor(anyUrl()))).extracting(r -> URI.create(r.getUrl()).getPath())
        .containsExactlyInAnyOrder("/ping/drip/start", "/ping/drip", "/hook");
  }

  @Test
  void verboseLogsNeverShowAWebhookOrHeartbeatUrl() throws Exception {
    http.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(400).withBody("bad request")));

    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--verbose", "--source", source,
        "--target", "file:" + work.resolve("verbose"), "--notify", http.baseUrl() + "/hook/T0kenInPath?key=T0kenInQuery",
        "--heartbeat", http.baseUrl() + "/ping/H3artbeatUuid");

    assertThat(backup.exit()).as(backup.toString()).isZero();
    // The requests were made and logged (the warnings name the host only) ...
    assertThat(http.findAll(anyRequestedFor(anyUrl()))).hasSize(3);
    assertThat(backup.errLines().stream().filter(l -> l.startsWith("lifeboat: warning:"))).hasSize(3);
    // ... but no line of the debug log carries the URLs' credentials.
    assertThat(backup.err()).doesNotContain("T0kenInPath").doesNotContain("T0kenInQuery").doesNotContain("H3artbeatUuid");
  }

  @Test
  void aNotifyUrlThatIsNotHttpIsAUsageErrorBeforeAnyWork() throws Exception {
    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--source", source,
        "--target", "file:" + work.resolve("never"), "--notify", "mailto:ops@example.com");

    assertThat(backup.exit()).as(backup.toString()).isEqualTo(2);
    assertThat(backup.errLines()).hasSize(1);
    assertThat(backup.err()).contains("--notify needs an http:// or https:// URL");
    assertThat(work.resolve("never")).doesNotExist();
  }

  @Test
  void verifyPingsItsHeartbeat() throws Exception {
    String target = "file:" + work.resolve("verified");
    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--source", source, "--target", target);
    assertThat(backup.exit()).as(backup.toString()).isZero();

    PackagedJar.Run verify = PackagedJar.run(work, "verify", "--target", target, "--snapshot", "latest",
        "--heartbeat", http.baseUrl() + "/ping/verify", "--notify", http.baseUrl() + "/hook");

    assertThat(verify.exit()).as(verify.toString()).isZero();
    assertThat(http.findAll(anyRequestedFor(anyUrl()))).extracting(r -> URI.create(r.getUrl()).getPath())
        .containsExactlyInAnyOrder("/ping/verify/start", "/ping/verify", "/hook");
    JsonNode json = Json.mapper().readTree(http.findAll(postRequestedFor(urlPathEqualTo("/hook"))).get(0).getBodyAsString());
    assertThat(json.get("type").asText()).isEqualTo("verify.passed");
    assertThat(json.get("data").get("passed").asBoolean()).isTrue();
  }
}
