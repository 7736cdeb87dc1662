package dev.lifeboat.junit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lifeboat.junit.samples.NeonSample;
import dev.lifeboat.junit.samples.NeonWrongProjectSample;
import dev.lifeboat.junit.samples.Seen;
import dev.lifeboat.neon.FakeNeon;
import dev.lifeboat.neon.NeonSpecCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Neon backup-branch snapshots through JUnit's own engine: the Neon API is a WireMock stub whose
 * every exchange is checked against the OpenAPI document, and each branch's data is a real
 * database on the fixture's embedded PostgreSQL (a new branch is a {@code CREATE DATABASE …
 * TEMPLATE} of its parent's), so the tests read and write the branches they are handed.
 */
class NeonBranchCopiesTest {
  private static final String PROJECT = "quiet-lake-123456";
  private static final String BACKUP_ID = "br-backup-000001";
  private static final String BACKUP = "backup-20260101T000000Z";
  private static final Map<String, String> SETTINGS = Map.of("neon.apiKey", "napi_junit_5ecr3t_key",
      "neon.retry.initialBackoff", "5ms", "neon.retry.maxBackoff", "50ms", "neon.operationPollInterval", "10ms");
  private static WireMockServer wiremock;
  private static FakeNeon neon;

  @BeforeAll
  static void start() {
    Fixture.snapshot();
    // The real clock: the extension runs on it.
    neon = new FakeNeon(PROJECT, Instant.now());
    wiremock = new WireMockServer(options().dynamicPort().extensions(neon));
    wiremock.start();
    wiremock.stubFor(any(urlPathMatching("/api/v2/.*")).willReturn(aResponse().withTransformers(FakeNeon.NAME)));
  }

  @AfterAll
  static void stop() {
    wiremock.stop();
  }

  @BeforeEach
  void project() throws SQLException {
    Seen.clear();
    dropBranchDatabases();
    sql("CREATE DATABASE " + database("br-main-000001") + " TEMPLATE " + Fixture.SOURCE);
    neon.reset();
    neon.operationPolls = 0;
    neon.historySeconds = 7 * 86400;
    neon.branchesLimit = 100;
    // Every branch is a database nb_<branch id> on the fixture's server; a new one is a template copy of its parent's.
    neon.backedBy(new FakeNeon.Backing() {
      @Override
      public String uri(String branchId, String database, String role, String password) {
        return "postgresql://postgres@localhost:" + Fixture.port() + "/" + database(branchId);
      }

      @Override
      public void copied(String branchId, String sourceId) {
        sql("DROP DATABASE IF EXISTS " + database(branchId) + " WITH (FORCE)");
        sql("CREATE DATABASE " + database(branchId) + " TEMPLATE " + database(sourceId));
      }

      @Override
      public void deleted(String branchId) {
        sql("DROP DATABASE IF EXISTS " + database(branchId) + " WITH (FORCE)");
      }
    });
    // The backup branch, made a day ago.
    neon.branch(BACKUP_ID, BACKUP, "br-main-000001", neon.now.minus(1, ChronoUnit.DAYS));
    sql("CREATE DATABASE " + database(BACKUP_ID) + " TEMPLATE " + database("br-main-000001"));
    wiremock.resetRequests();
    System.setProperty("lifeboat.sample.neonTarget", "neon://" + PROJECT);
    System.setProperty(LifeboatExtension.SETTING_PREFIX + "neon.apiUrl", wiremock.baseUrl() + FakeNeon.BASE);
    SETTINGS.forEach((k, v) -> System.setProperty(LifeboatExtension.SETTING_PREFIX + k, v));
  }

  @AfterEach
  void clearSettings() throws SQLException {
    System.clearProperty(LifeboatExtension.SETTING_PREFIX + "neon.apiUrl");
    SETTINGS.keySet().forEach(k -> System.clearProperty(LifeboatExtension.SETTING_PREFIX + k));
    dropBranchDatabases();
  }

  private static String database(String branchId) {
    return "nb_" + branchId.replace('-', '_');
  }

  private static void sql(String statement) {
    try (Connection c = Fixture.connect("postgres"); Statement s = c.createStatement()) {
      s.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(statement, e);
    }
  }

  private static List<String> branchDatabases() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = Fixture.connect("postgres"); Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'nb\\_%' ORDER BY 1")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static void dropBranchDatabases() throws SQLException {
    for (String db : branchDatabases()) {
      sql("DROP DATABASE " + db + " WITH (FORCE)");
    }
  }

  private static EngineExecutionResults runSample() {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(NeonSample.class)).execute();
  }

  @Test
  void eachMethodGetsAThrowawayBranchOfTheBackupBranchDeletedAfterwards() throws SQLException {
    Instant before = Instant.now();
    runSample().testEvents().assertStatistics(s -> s.started(2).succeeded(2).failed(0));

    List<Object> names = Seen.get("neon.names");
    assertThat(names).hasSize(2).doesNotHaveDuplicates().allSatisfy(n -> assertThat((String) n).startsWith("lifeboat_t_"));
    assertThat(Seen.get("neon.snapshot")).containsExactly(BACKUP);
    // jdbcUrl() and dataSource() reach the branch's own database, never the backup's or main's.
    assertThat(Seen.get("neon.databases")).hasSize(2).doesNotHaveDuplicates()
        .noneMatch(d -> d.equals(database(BACKUP_ID)) || d.equals(database("br-main-000001")));
    // The second branch holds every order although the first test deleted them all in its own.
    assertThat(Seen.get("neon.orders")).containsExactly(Fixture.ORDERS);
    List<JsonNode> creates = neon.creates();
    assertThat(creates).hasSize(2).allSatisfy(c -> {
      assertThat(c.path("branch").path("parent_id").asText()).isEqualTo(BACKUP_ID);
      // The safety net: an expiry in the future, and the throwaway annotation a sweep can find.
      assertThat(Instant.parse(c.path("branch").path("expires_at").asText())).isAfter(before);
      assertThat(c.path("annotation_value").path("lifeboat.throwaway").asText()).isEqualTo("true");
    });
    // Both branches are deleted, and so is their data; the backup branch is untouched.
    assertThat(neon.names()).containsExactlyInAnyOrder("main", BACKUP);
    assertThat(branchDatabases()).containsExactlyInAnyOrder(database("br-main-000001"), database(BACKUP_ID));
    try (Connection c = Fixture.connect(database(BACKUP_ID))) {
      assertThat(Fixture.orders(c)).isEqualTo(Fixture.ORDERS);
    }
    assertThat(NeonSpecCheck.problems(wiremock)).as("exchanges that break neon-api-v2.json").isEmpty();
  }

  @Test
  void branchesOfAKilledRunAreSweptAndYoungOnesKept() throws SQLException {
    String old = "lifeboat_t_20200101000000_abcdef_1";
    String young = "lifeboat_t_" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
        + "_abcdef_2";
    neon.branch("br-old-000001", old, "br-main-000001", neon.now.minus(1, ChronoUnit.DAYS));
    neon.branch("br-young-000001", young, "br-main-000001", neon.now.minus(1, ChronoUnit.DAYS));

    runSample().testEvents().assertStatistics(s -> s.succeeded(2));

    assertThat(neon.names()).containsExactlyInAnyOrder("main", BACKUP, young);
    assertThat(NeonSpecCheck.problems(wiremock)).isEmpty();
  }

  @Test
  void aLiveBranchIsCopiedAsItIsOrAsItWasAtAnInstant() throws SQLException {
    String at = Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    System.setProperty("lifeboat.sample.neonAt", at);
    try {
      EngineTestKit.engine("junit-jupiter").selectors(selectClass(dev.lifeboat.junit.samples.NeonBranchSample.class)).execute()
          .testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    } finally {
      System.clearProperty("lifeboat.sample.neonAt");
    }

    assertThat(Seen.get("neonBranch.snapshot")).containsExactly("main", "main@" + at);
    assertThat(Seen.get("neonBranch.names")).hasSize(2).doesNotHaveDuplicates();
    assertThat(Seen.get("neonBranch.orders")).containsExactly(Fixture.ORDERS, Fixture.ORDERS);
    List<JsonNode> creates = neon.creates();
    assertThat(creates).hasSize(2).allSatisfy(c -> assertThat(c.path("branch").path("parent_id").asText()).isEqualTo("br-main-000001"));
    assertThat(creates).extracting(c -> c.path("branch").path("parent_timestamp").asText(null))
        .containsExactlyInAnyOrder(null, at);
    assertThat(neon.names()).containsExactlyInAnyOrder("main", BACKUP);
    assertThat(NeonSpecCheck.problems(wiremock)).isEmpty();
  }

  @Test
  void anUnknownProjectOrMismatchedBranchAttributesFailTheTestWithOneLineAndCreateNothing() {
    EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(NeonWrongProjectSample.class)).execute();

    results.testEvents().assertStatistics(s -> s.failed(4).succeeded(0));
    Map<String, String> messages = results.testEvents().failed().stream().collect(java.util.stream.Collectors.toMap(
        e -> e.getTestDescriptor().getDisplayName().replaceAll("\\(.*", ""),
        e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage()));
    assertThat(messages.values()).allSatisfy(m -> assertThat(m).startsWith("@Restored(").doesNotContain("\n")
        .doesNotContain("napi_junit_5ecr3t_key"));
    assertThat(messages.get("unknownProject")).startsWith("@Restored(target = neon://no-such-project-404");
    assertThat(messages.get("atWithoutBranch")).contains("needs a branch");
    assertThat(messages.get("atNotAnInstant")).contains("'yesterday'").contains("ISO-8601");
    assertThat(messages.get("snapshotAndBranch")).contains("either a snapshot or a branch");
    assertThat(neon.creates()).isEmpty();
  }
}
