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
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.lifeboat.Json;
import dev.lifeboat.cli.fake.FakeServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code --notify} and {@code --heartbeat} on restore, in-process against the {@code fake://} provider. */
class NotifyCommandTest {
  private static final String SECRET = "n0t1fy-Pa55";

  @RegisterExtension
  static WireMockExtension http = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir Path dir;
  String target;
  String id;

  @BeforeEach
  void setUp() {
    target = "file:" + dir.resolve("store");
    FakeServer.put("shop", 25);
    FakeServer.drop("copy");
    Cli.Result backup = Cli.run("backup", "--source", "fake://app:" + SECRET + "@db/shop", "--target", target);
    assertThat(backup.exit()).as(backup.toString()).isZero();
    id = backup.lastOutLine();
    http.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));
  }

  private List<String> paths() {
    return http.findAll(anyRequestedFor(anyUrl())).stream().map(r -> URI.create(r.getUrl()).getPath()).toList();
  }

  private JsonNode hook() throws Exception {
    return Json.mapper().readTree(http.findAll(postRequestedFor(urlPathEqualTo("/hook"))).get(0).getBodyAsString());
  }

  @Test
  void aRestoreNotifiesSuccessWithTheRedactedDestination() throws Exception {
    Cli.Result r = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", "fake://app:" + SECRET + "@db/copy",
        "--notify", http.baseUrl() + "/hook", "--heartbeat", http.baseUrl() + "/ping");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(paths()).containsExactlyInAnyOrder("/ping/start", "/ping", "/hook");
    JsonNode json = hook();
    assertThat(json.get("type").asText()).isEqualTo("restore.succeeded");
    assertThat(json.get("data").get("snapshotId").asText()).isEqualTo(id);
    assertThat(json.get("data").get("database").asText()).isEqualTo("fake://app@db/copy");
    assertThat(json.toString()).doesNotContain(SECRET);
  }

  @Test
  void aRestoreWhoseVerificationFailsNotifiesFailureAndPingsFailButStillExitsThree() throws Exception {
    Cli.Result r = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", "fake://db/copy",
        "--verify", "--expect-sql", "false", "--notify", http.baseUrl() + "/hook", "--heartbeat", http.baseUrl() + "/ping");

    assertThat(r.exit()).as(r.toString()).isEqualTo(3);
    assertThat(paths()).containsExactlyInAnyOrder("/ping/start", "/ping/fail", "/hook");
    JsonNode json = hook();
    assertThat(json.get("type").asText()).isEqualTo("restore.failed");
    assertThat(json.get("data").get("passed").asBoolean()).isFalse();
    assertThat(json.get("data").get("failedChecks").asInt()).isEqualTo(1);
  }

  @Test
  void anArchivedSlackChannelIsOneWarningAndNoRetry() {
    http.stubFor(post("/services/T/B/token-part").willReturn(aResponse().withStatus(410).withBody("channel_is_archived")));

    Cli.Result r = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", "fake://db/copy",
        "--notify", "slack:" + http.baseUrl() + "/services/T/B/token-part");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(http.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
    assertThat(r.errLines()).filteredOn(l -> l.contains("warning")).containsExactly(
        "lifeboat: warning: slack notification restore.succeeded to localhost failed: HTTP 410 channel_is_archived (not retried)");
    assertThat(r.all()).doesNotContain("token-part");
  }
}
