package dev.lifeboat.neon;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.lifeboat.Location;
import dev.lifeboat.neon.api.BranchSpec;
import dev.lifeboat.neon.api.CreatedBranch;
import dev.lifeboat.neon.api.NeonBranch;
import dev.lifeboat.neon.api.NeonProject;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NeonClientTest extends NeonApiTest {
  private static final String P = "/api/v2/projects/" + PROJECT;

  @Test
  void everyRequestCarriesTheBearerKeyJsonAcceptAndAFreshRequestId() {
    NeonClient c = client();
    c.projects().get(PROJECT);
    c.branches().list(PROJECT);
    List<LoggedRequest> sent = server.findAll(anyRequestedFor(urlPathEqualTo(P)).withHeader("Authorization", equalTo("Bearer " + API_KEY)));
    assertThat(sent).hasSize(1);
    Set<String> ids = new HashSet<>();
    server.findAll(getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlMatching("/api/v2/.*"))).forEach(r -> {
      assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + API_KEY);
      assertThat(r.getHeader("Accept")).isEqualTo("application/json");
      assertThat(r.getHeader("X-Request-ID")).matches("[0-9a-f-]{36}");
      ids.add(r.getHeader("X-Request-ID"));
    });
    assertThat(ids).hasSize(2);
  }

  @Test
  void readsTheProjectsHistoryWindowAndPlanLimit() {
    fake.historySeconds = 6 * 3600;
    NeonProject p = client().projects().get(PROJECT);
    assertThat(p.historyRetentionSeconds()).isEqualTo(21600);
    assertThat(p.historyWindow()).hasHours(6);
    assertThat(p.owner().branchesLimit()).isEqualTo(10);
    assertThat(p.pgVersion()).isEqualTo(17);
  }

  @Test
  void followsTheBranchCursorAcrossPages() {
    fake.branchesLimit = 500;
    for (int i = 0; i < 230; i++) {
      fake.branch("br-many-" + String.format("%06d", i), "b" + i, "br-main-000001", fake.now.minusSeconds(1000 - i));
    }
    List<NeonBranch> all = client().branches().list(PROJECT);
    assertThat(all).hasSize(231);
    assertThat(all.stream().map(NeonBranch::id).distinct().count()).isEqualTo(231);
    List<LoggedRequest> pages = server.findAll(getRequestedFor(urlPathEqualTo(P + "/branches")));
    assertThat(pages).hasSize(3);
    assertThat(pages.get(1).queryParameter("cursor").firstValue()).isEqualTo("100");
    assertThat(pages.get(2).queryParameter("cursor").firstValue()).isEqualTo("200");
  }

  @Test
  void createsABranchWithAReadWriteEndpointAndWaitsForItsOperations() {
    fake.operationPolls = 3;
    CreatedBranch created = client().branches().create(PROJECT,
        new BranchSpec("feature-x", "br-main-000001", null, null, Instant.parse("2026-03-02T12:00:00.750Z"), true, Map.of("k", "v")));
    assertThat(created.reused()).isFalse();
    assertThat(created.branch().ready()).isTrue();
    assertThat(created.branch().parentId()).isEqualTo("br-main-000001");
    assertThat(created.endpoints()).singleElement().satisfies(e -> assertThat(e.readWrite()).isTrue());
    LoggedRequest post = server.findAll(postRequestedFor(urlPathEqualTo(P + "/branches"))).get(0);
    assertThat(post.getBodyAsString())
        .contains("\"name\":\"feature-x\"", "\"parent_id\":\"br-main-000001\"", "\"type\":\"read_write\"",
            "\"expires_at\":\"2026-03-02T12:00:00Z\"", "\"annotation_value\":{\"k\":\"v\"}");
    // Two operations (create_timeline, start_compute), each "running" for three polls.
    assertThat(server.findAll(getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(P + "/operations/.*"))))
        .hasSizeGreaterThanOrEqualTo(6);
  }

  @Test
  void connectionUriIsRequestedUnpooledAndAnyPoolerHostIsRemoved() {
    server.stubFor(get(urlPathEqualTo(P + "/connection_uri")).atPriority(1)
        .willReturn(aResponse().withHeader("Content-Type", "application/json")
            .withBody("{\"uri\":\"postgresql://neondb_owner:pw1@ep-cool-darkness-123456-pooler.eu-central-1.aws.neon.tech/neondb?sslmode=require\"}")));
    Location uri = client().connections().directUri(PROJECT, "br-main-000001", "neondb", "neondb_owner");
    assertThat(uri.raw()).isEqualTo("postgresql://neondb_owner:pw1@ep-cool-darkness-123456.eu-central-1.aws.neon.tech/neondb?sslmode=require");
    assertThat(uri.toString()).doesNotContain("pw1");
    LoggedRequest r = server.findAll(getRequestedFor(urlPathEqualTo(P + "/connection_uri"))).get(0);
    assertThat(r.queryParameter("pooled").firstValue()).isEqualTo("false");
    assertThat(r.queryParameter("branch_id").firstValue()).isEqualTo("br-main-000001");
    assertThat(r.queryParameter("database_name").firstValue()).isEqualTo("neondb");
    assertThat(r.queryParameter("role_name").firstValue()).isEqualTo("neondb_owner");
  }

  @Test
  void buildsADirectUriFromEndpointHostAndRevealedPassword() {
    Location uri = client().connections().directUriFromParts(PROJECT, "br-main-000001", "neondb", "neondb_owner");
    assertThat(uri.raw()).isEqualTo("postgresql://neondb_owner:s3cret-pw@ep-main-000001.eu-central-1.aws.neon.tech/neondb?sslmode=require");
  }

  @Test
  void listsEndpointsDatabasesAndOperations() {
    NeonClient c = client();
    assertThat(c.endpoints().ofBranch(PROJECT, "br-main-000001")).extracting(e -> e.host()).containsExactly("ep-main-000001.eu-central-1.aws.neon.tech");
    assertThat(c.connections().databases(PROJECT, "br-main-000001")).extracting(d -> d.name() + "/" + d.ownerName()).containsExactly("neondb/neondb_owner");
    server.stubFor(get(urlPathEqualTo(P + "/operations")).atPriority(1).willReturn(aResponse().withHeader("Content-Type", "application/json")
        .withBody("{\"operations\":[" + operationJson("a7c3e1f0-1111-4d44-9a3f-1c2b3d4e5f60", "finished") + "],"
            + "\"pagination\":{\"cursor\":\"2026-03-01T12:00:00.262011Z\"}}")));
    assertThat(c.operations().recent(PROJECT, 10)).extracting(o -> o.status()).containsExactly("finished");
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo(P + "/operations"))).get(0).queryParameter("limit").firstValue()).isEqualTo("10");
  }

  @Test
  void setsTheDefaultBranch() {
    NeonClient c = client();
    fake.branch("br-old-name-000001", "old", "br-main-000001", fake.now.minusSeconds(60));
    assertThat(c.branches().setDefault(PROJECT, "br-old-name-000001").isDefault()).isTrue();
    assertThat(c.branches().get(PROJECT, "br-main-000001").orElseThrow().isDefault()).isFalse();
  }

  @Test
  void deleteOfAMissingBranchIsNotAnError() {
    NeonClient c = client();
    assertThat(c.branches().delete(PROJECT, "br-gone-000001")).isFalse();
    fake.branch("br-temp-000001", "temp", "br-main-000001", fake.now);
    assertThat(c.branches().delete(PROJECT, "br-temp-000001")).isTrue();
    assertThat(fake.get("br-temp-000001")).isNull();
  }

  @Test
  void restoresABranchToATimestampPreservingTheOldState() {
    NeonBranch b = client().branches().restore(PROJECT, "br-main-000001", "br-main-000001", Instant.parse("2026-03-01T10:00:00Z"), null, "main-before");
    assertThat(b.lastResetAt()).isNotNull();
    assertThat(fake.byName("main-before")).isNotNull();
    assertThat(server.findAll(postRequestedFor(urlPathEqualTo(P + "/branches/br-main-000001/restore"))).get(0).getBodyAsString())
        .isEqualTo("{\"source_branch_id\":\"br-main-000001\",\"source_timestamp\":\"2026-03-01T10:00:00Z\",\"preserve_under_name\":\"main-before\"}");
  }

  @Test
  void theSpecCheckRejectsAnAnswerThatBreaksTheSchema() {
    var request = com.atlassian.oai.validator.model.SimpleRequest.Builder.get("/api/v2/projects/" + PROJECT + "/branches/br-main-000001")
        .withHeader("Authorization", "Bearer x").build();
    var response = com.atlassian.oai.validator.model.SimpleResponse.Builder.ok()
        .withContentType("application/json").withBody("{\"branch\":{\"id\":\"br-main-000001\",\"name\":\"main\"}}").build();
    assertThat(validator.validate(request, response).hasErrors()).isTrue();
  }

  @Test
  void settingsToStringHidesTheKey() {
    assertThat(client().settings().toString()).doesNotContain(API_KEY).contains("apiUrl");
  }

  static String operationJson(String id, String status) {
    return "{\"id\":\"" + id + "\",\"project_id\":\"" + PROJECT + "\",\"branch_id\":\"br-main-000001\",\"action\":\"create_branch\","
        + "\"status\":\"" + status + "\",\"failures_count\":0,\"created_at\":\"2026-03-01T12:00:00Z\","
        + "\"updated_at\":\"2026-03-01T12:00:01Z\",\"total_duration_ms\":1200"
        + (status.equals("failed") ? ",\"error\":\"timeline creation failed: out of disk\"" : "") + "}";
  }

  static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
    return aResponse().withHeader("Content-Type", "application/json").withBody(body);
  }

  @SuppressWarnings("unused")
  private static void unused() {
    patch(urlPathEqualTo("/")).withHeader("x", matching("."));
  }
}
