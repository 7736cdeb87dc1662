package dev.lifeboat.examples;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.lifeboat.Json;
import dev.lifeboat.Location;
import dev.lifeboat.Snapshot;
import dev.lifeboat.notify.DeliveryFailure;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The notified backup against an embedded PostgreSQL and a real HTTP server. */
class NotifiedBackupTest {
  @RegisterExtension
  static WireMockExtension http = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir Path dir;

  @Test
  void aBackupNotifiesTheWebhookAndPairsItsHeartbeat() throws Exception {
    http.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));
    List<DeliveryFailure> failures = new CopyOnWriteArrayList<>();
    Snapshot s;
    try (SampleDatabase db = SampleDatabase.start("bank", 20)) {
      s = NotifiedBackup.backup(db.uri(), Location.of(dir).raw(), http.baseUrl() + "/hook", http.baseUrl() + "/ping/nightly",
          failures::add);
    }

    String body = http.findAll(postRequestedFor(urlPathEqualTo("/hook"))).get(0).getBodyAsString();
    assertThat(Json.mapper().readTree(body).get("data").get("snapshotId").asText()).isEqualTo(s.id());
    assertThat(http.findAll(anyRequestedFor(anyUrl()))).extracting(r -> URI.create(r.getUrl()).getPath())
        .containsExactlyInAnyOrder("/hook", "/ping/nightly/start", "/ping/nightly");
    assertThat(failures).isEmpty();
  }
}
