package dev.lifeboat.supabase;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Formats;
import dev.lifeboat.HealthReport;
import dev.lifeboat.HealthRequest;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Management API client against WireMock stubs, every request and answer checked against
 * Supabase's OpenAPI document: listing backups and the PITR window, point-in-time and physical
 * restores with their checks and the wait through {@code RESTORING}, rate limits, retries and
 * error answers.
 */
class SupabaseApiTest {
  static final String REF = "qwertyuiopasdfghjklz";
  static final String TOKEN = "sbp_0123456789abcdef0123456789abcdef01234567";
  static final String BASE = "/v1/projects/" + REF;
  static final long EARLIEST = 1_772_000_000L;
  static final long LATEST = 1_772_600_000L;

  /**
   * What error answers carry that the OpenAPI document leaves out, as supabase-api-notes.md §1
   * (Errors) records: the document declares no error bodies, while Supabase answers every error
   * with {@code {"message": …}}; and restore-pitr declares no 400, while Supabase answers 400 "PITR
   * is not enabled for this project." Checked for error answers (4xx, 5xx) only.
   */
  private static final List<String> SPEC_QUIRKS = List.of("validation.response.status.unknown", "validation.response.body.unexpected");

  static WireMockServer server;
  static OpenApiInteractionValidator validator;

  @BeforeAll
  static void start() throws java.io.IOException {
    Path spec = Path.of(System.getProperty("lifeboat.shared.dir", "../../shared"), "specs", "supabase-management-api.json");
    assertThat(Files.isRegularFile(spec)).as("Supabase OpenAPI document at %s", spec).isTrue();
    validator = OpenApiInteractionValidator.createForInlineApiSpecification(loadable(spec))
        .withResolveRefs(true).withResolveCombinators(true).build();
    server = new WireMockServer(options().dynamicPort());
    server.start();
  }

  /**
   * The document as the validator's strict parser accepts it: Supabase's generator adds a
   * non-standard {@code hideDefinitions} attribute to one request schema (V1CreateProjectBody, not
   * used here); it is removed, everything else is checked as published.
   */
  static String loadable(Path spec) throws java.io.IOException {
    com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode root = m.readTree(spec.toFile());
    root.path("components").path("schemas").forEach(schema -> {
      if (schema instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
        o.remove("hideDefinitions");
      }
    });
    return m.writeValueAsString(root);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @BeforeEach
  void reset() {
    server.resetAll();
  }

  @AfterEach
  void everyExchangeConformsToTheSpec() {
    assertThat(specProblems()).as("requests and answers that do not conform to supabase-management-api.json").isEmpty();
  }

  static List<String> specProblems() {
    List<String> problems = new ArrayList<>();
    for (ServeEvent e : server.getAllServeEvents()) {
      LoggedRequest r = e.getRequest();
      String url = r.getUrl();
      SimpleRequest.Builder b = new SimpleRequest.Builder(r.getMethod().getName(), url.contains("?") ? url.substring(0, url.indexOf('?')) : url);
      r.getQueryParams().forEach((k, v) -> b.withQueryParam(k, v.values()));
      for (HttpHeader h : r.getHeaders().all()) {
        b.withHeader(h.key(), h.values());
      }
      if (r.getBodyAsString() != null && !r.getBodyAsString().isEmpty()) {
        b.withBody(r.getBodyAsString());
      }
      SimpleResponse.Builder resp = SimpleResponse.Builder.status(e.getResponse().getStatus());
      for (HttpHeader h : e.getResponse().getHeaders().all()) {
        resp.withHeader(h.key(), h.values());
      }
      String body = e.getResponse().getBodyAsString();
      if (body != null && !body.isEmpty()) {
        resp.withBody(body);
      }
      ValidationReport report = validator.validate(b.build(), resp.build());
      boolean documentedQuirk = e.getResponse().getStatus() >= 400;
      for (ValidationReport.Message m : report.getMessages()) {
        if (m.getLevel() == ValidationReport.Level.ERROR && !(documentedQuirk && SPEC_QUIRKS.contains(m.getKey()))) {
          problems.add(r.getMethod() + " " + url + " -> " + e.getResponse().getStatus() + ": [" + m.getKey() + "] " + m.getMessage());
        }
      }
    }
    return problems;
  }

  static Lifeboat lifeboat() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("supabase.retry.initialBackoff", "1ms");
    settings.put("supabase.retry.maxBackoff", "5ms");
    settings.put("supabase.restorePollInterval", "10ms");
    settings.put("supabase.retry.maxTime", "10s");
    Map<String, String> secrets = Map.of("SUPABASE_ACCESS_TOKEN", TOKEN, "SUPABASE_API_URL", server.baseUrl());
    return Lifeboat.builder().settings(settings).secrets(n -> Optional.ofNullable(secrets.get(n))).build();
  }

  static String backups(boolean pitr) {
    String window = pitr ? "{\"earliest_physical_backup_date_unix\":" + EARLIEST + ",\"latest_physical_backup_date_unix\":" + LATEST + "}" : "{}";
    return "{\"region\":\"eu-central-1\",\"walg_enabled\":true,\"pitr_enabled\":" + pitr + ",\"backups\":["
        + "{\"id\":101,\"is_physical_backup\":true,\"status\":\"COMPLETED\",\"inserted_at\":\"2026-02-08 16:44:07\"},"
        + "{\"id\":102,\"is_physical_backup\":true,\"status\":\"COMPLETED\",\"inserted_at\":\"2026-02-09T16:44:07.123Z\"},"
        + "{\"id\":103,\"is_physical_backup\":true,\"status\":\"FAILED\",\"inserted_at\":\"2026-02-10T16:44:07+00:00\"}],"
        + "\"physical_backup_data\":" + window + "}";
  }

  static String project(String status) {
    return "{\"id\":\"1\",\"ref\":\"" + REF + "\",\"organization_id\":\"org\",\"organization_slug\":\"acme\",\"name\":\"shop\","
        + "\"region\":\"eu-central-1\",\"created_at\":\"2025-01-01T00:00:00Z\",\"status\":\"" + status + "\",\"database\":"
        + "{\"host\":\"db." + REF + ".supabase.co\",\"version\":\"15.8.1.085\",\"postgres_engine\":\"15\",\"release_channel\":\"ga\"}}";
  }

  static final String HEALTHY_DB = "[{\"name\":\"db\",\"healthy\":true,\"status\":\"ACTIVE_HEALTHY\"}]";

  @Test
  void listsBackupsOldestFirstAndThePitrWindow() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(okJson(backups(true))));
    try (Lifeboat lb = lifeboat()) {
      List<Snapshot> list = lb.list("supabase://" + REF);
      assertThat(list).extracting(Snapshot::id).containsExactly("101", "102", "103", "pitr");
      assertThat(list.get(0).createdAt()).isEqualTo(Instant.parse("2026-02-08T16:44:07Z"));
      assertThat(list.get(1).createdAt()).isEqualTo(Instant.parse("2026-02-09T16:44:07.123Z"));
      assertThat(list.get(2).isDamaged()).isTrue();
      assertThat(list.get(2).damage()).contains("FAILED");
      Snapshot pitr = list.get(3);
      assertThat(pitr.manifest().format()).isEqualTo(Formats.SUPABASE_PLATFORM);
      assertThat(pitr.manifest().properties()).containsEntry("supabase.pitr.earliest", Instant.ofEpochSecond(EARLIEST).toString())
          .containsEntry("supabase.pitr.latest", Instant.ofEpochSecond(LATEST).toString());
    }
    server.verify(getRequestedFor(urlPathEqualTo(BASE + "/database/backups")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
  }

  @Test
  void rateLimitWaitsForTheReset() {
    assertOne429WaitedOut(aResponse().withHeader("x-ratelimit-limit", "120").withHeader("x-ratelimit-remaining", "0")
        .withHeader("x-ratelimit-reset", "1"), Duration.ofMillis(950));
  }

  /** A listing answered 429 (with {@code headers}) once, then 200: it succeeds after waiting at least {@code atLeast}. */
  private void assertOne429WaitedOut(ResponseDefinitionBuilder headers, Duration atLeast) {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).inScenario("rl").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(headers.withStatus(429).withHeader("Content-Type", "application/json")
            .withBody("{\"message\":\"Too many requests\"}")).willSetStateTo("ok"));
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).inScenario("rl").whenScenarioStateIs("ok")
        .willReturn(okJson(backups(false))));
    long started = System.nanoTime();
    try (Lifeboat lb = lifeboat()) {
      assertThat(lb.list("supabase://" + REF)).hasSize(3);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(atLeast);
    assertThat(server.getAllServeEvents()).hasSize(2);
  }

  /** Seconds until the reset, as documented; a Unix time, as other APIs send it, as the instant it names. */
  @Test
  void aRateLimitResetIsReadAsSecondsOrAsAUnixTime() {
    assertThat(SupabaseTransport.rateLimitWait(null, "60")).isEqualTo(Duration.ofSeconds(60));
    long inAMinute = Instant.now().getEpochSecond() + 60;
    assertThat(SupabaseTransport.rateLimitWait(null, Long.toString(inAMinute))).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60));
    assertThat(SupabaseTransport.rateLimitWait(null, Long.toString(inAMinute - 3600))).isEqualTo(Duration.ZERO);
    assertThat(SupabaseTransport.rateLimitWait("7", "60")).isEqualTo(Duration.ofSeconds(7));
    assertThat(SupabaseTransport.rateLimitWait(null, "soon")).isNull();
  }

  @Test
  void serverErrorsOnReadsAreRetried() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).inScenario("5xx").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json").withBody("{\"message\":\"Failed to retrieve backups\"}"))
        .willSetStateTo("ok"));
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).inScenario("5xx").whenScenarioStateIs("ok")
        .willReturn(okJson(backups(false))));
    try (Lifeboat lb = lifeboat()) {
      assertThat(lb.list("supabase://" + REF)).extracting(Snapshot::id).containsExactly("101", "102", "103");
    }
    assertThat(server.getAllServeEvents()).hasSize(2);
  }

  @Test
  void clientErrorShowsSupabaseMessageRedacted() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Invalid token " + TOKEN + "\"}")));
    try (Lifeboat lb = lifeboat()) {
      assertThatThrownBy(() -> lb.list("supabase://" + REF)).isInstanceOfSatisfying(LifeboatException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION))
          .hasMessageContaining("401").hasMessageContaining("Invalid token").hasMessageContaining("SUPABASE_ACCESS_TOKEN")
          .hasMessageNotContaining(TOKEN);
    }
    assertThat(server.getAllServeEvents()).hasSize(1);
  }

  @Test
  void pointInTimeRestoreSendsAnIntegerAndWaitsUntilTheProjectIsBack() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(okJson(backups(true))));
    server.stubFor(post(urlPathEqualTo(BASE + "/database/backups/restore-pitr")).willReturn(aResponse().withStatus(201)));
    server.stubFor(get(urlPathEqualTo(BASE)).inScenario("restore").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(okJson(project("RESTORING"))).willSetStateTo("still"));
    server.stubFor(get(urlPathEqualTo(BASE)).inScenario("restore").whenScenarioStateIs("still")
        .willReturn(okJson(project("RESTORING"))).willSetStateTo("back"));
    server.stubFor(get(urlPathEqualTo(BASE)).inScenario("restore").whenScenarioStateIs("back")
        .willReturn(okJson(project("ACTIVE_HEALTHY"))));
    server.stubFor(get(urlPathEqualTo(BASE + "/health")).willReturn(okJson(HEALTHY_DB)));
    Instant at = Instant.ofEpochSecond(EARLIEST + 3600);
    try (Lifeboat lb = lifeboat()) {
      RestoreResult r = lb.restore(RestoreRequest.builder(Location.parse("supabase://" + REF), "pitr@" + at,
          Location.parse("supabase://" + REF)).options(RestoreOptions.builder().confirm(REF).build()).build());
      assertThat(r.details()).containsEntry("supabase.recoveryTarget", at.toString()).containsEntry("supabase.status", "ACTIVE_HEALTHY");
    }
    server.verify(postRequestedFor(urlPathEqualTo(BASE + "/database/backups/restore-pitr"))
        .withRequestBody(equalToJson("{\"recovery_time_target_unix\":" + at.getEpochSecond() + "}")));
    String body = server.findAll(postRequestedFor(urlPathEqualTo(BASE + "/database/backups/restore-pitr"))).get(0).getBodyAsString();
    assertThat(body).doesNotContain("\"" + at.getEpochSecond() + "\"");
    server.verify(3, getRequestedFor(urlPathEqualTo(BASE)));
    server.verify(getRequestedFor(urlPathEqualTo(BASE + "/health")).withQueryParam("services", equalTo("db")));
  }

  @Test
  void pointInTimeOutsideTheWindowIsRefusedBeforeAnyRestore() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(okJson(backups(true))));
    Instant at = Instant.ofEpochSecond(LATEST + 60);
    try (Lifeboat lb = lifeboat()) {
      assertThatThrownBy(() -> lb.restore(RestoreRequest.builder(Location.parse("supabase://" + REF), "pitr@" + at,
          Location.parse("supabase://" + REF)).options(RestoreOptions.builder().confirm(REF).build()).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code().exitStatus()).isEqualTo(2))
          .hasMessageContaining(Instant.ofEpochSecond(EARLIEST).toString()).hasMessageContaining(Instant.ofEpochSecond(LATEST).toString());
    }
    server.verify(0, postRequestedFor(urlPathEqualTo(BASE + "/database/backups/restore-pitr")));
  }

  @Test
  void pointInTimeWithoutPitrIsRefused() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(okJson(backups(false))));
    try (Lifeboat lb = lifeboat()) {
      assertThatThrownBy(() -> lb.restore(RestoreRequest.builder(Location.parse("supabase://" + REF), "pitr@2026-02-20T00:00:00Z",
          Location.parse("supabase://" + REF)).options(RestoreOptions.builder().confirm(REF).build()).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
          .hasMessageContaining("not enabled");
    }
    server.verify(0, postRequestedFor(urlPathEqualTo(BASE + "/database/backups/restore-pitr")));
  }

  @Test
  void inPlaceRestoreNeedsTheRefAsConfirmation() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(okJson(backups(true))));
    try (Lifeboat lb = lifeboat()) {
      assertThatThrownBy(() -> lb.restore(RestoreRequest.builder(Location.parse("supabase://" + REF), "102",
          Location.parse("supabase://" + REF)).options(RestoreOptions.builder().confirm("postgres").build()).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION))
          .hasMessageContaining("--confirm " + REF).hasMessageContaining("overwrites");
    }
    server.verify(0, postRequestedFor(urlPathEqualTo(BASE + "/database/backups/restore")));
  }

  @Test
  void physicalRestoreThatFailsIsExitOneWithTheStatus() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(okJson(backups(false))));
    server.stubFor(post(urlPathEqualTo(BASE + "/database/backups/restore")).willReturn(aResponse().withStatus(201)));
    server.stubFor(get(urlPathEqualTo(BASE)).willReturn(okJson(project("RESTORE_FAILED"))));
    try (Lifeboat lb = lifeboat()) {
      assertThatThrownBy(() -> lb.restore(RestoreRequest.builder(Location.parse("supabase://" + REF), "102",
          Location.parse("supabase://" + REF)).options(RestoreOptions.builder().confirm(REF).build()).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESTORE_FAILED))
          .hasMessageContaining("RESTORE_FAILED");
    }
    server.verify(postRequestedFor(urlPathEqualTo(BASE + "/database/backups/restore")).withRequestBody(equalToJson("{\"id\":102}")));
  }

  @Test
  void aRestoreWaitThatIsInterruptedSaysTheRestoreGoesOnAtSupabase() throws Exception {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(okJson(backups(false))));
    server.stubFor(post(urlPathEqualTo(BASE + "/database/backups/restore")).willReturn(aResponse().withStatus(201)));
    server.stubFor(get(urlPathEqualTo(BASE)).willReturn(okJson(project("RESTORING"))));
    Map<String, String> secrets = Map.of("SUPABASE_ACCESS_TOKEN", TOKEN, "SUPABASE_API_URL", server.baseUrl());
    try (Lifeboat lb = Lifeboat.builder().settings(Map.of("supabase.restorePollInterval", "1s"))
        .secrets(n -> Optional.ofNullable(secrets.get(n))).build()) {
      java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
      Thread restore = new Thread(() -> {
        try {
          lb.restore(RestoreRequest.builder(Location.parse("supabase://" + REF), "101", Location.parse("supabase://" + REF))
              .options(RestoreOptions.builder().confirm(REF).build()).build());
        } catch (Throwable t) {
          failure.set(t);
        }
      });
      restore.start();
      // Interrupted once the project has been polled, as the CLI's signal handler does.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (server.findAll(getRequestedFor(urlPathEqualTo(BASE))).isEmpty()) {
        assertThat(System.nanoTime()).as("the restore polls the project").isLessThan(deadline);
        Thread.sleep(10);
      }
      restore.interrupt();
      restore.join(10_000);
      assertThat(restore.isAlive()).as("the wait ended").isFalse();
      assertThat(failure.get()).isInstanceOfSatisfying(LifeboatException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.ABORTED);
        assertThat(e.getMessage().lines().reduce((a, b) -> b).orElseThrow())
            .startsWith("The restore goes on at Supabase without Lifeboat: check ").contains(REF).doesNotContain("--replace");
      });
    }
    server.verify(1, postRequestedFor(urlPathEqualTo(BASE + "/database/backups/restore")));
  }

  @Test
  void restoreThatNeverComesBackTimesOut() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(okJson(backups(false))));
    server.stubFor(post(urlPathEqualTo(BASE + "/database/backups/restore")).willReturn(aResponse().withStatus(201)));
    server.stubFor(get(urlPathEqualTo(BASE)).willReturn(okJson(project("RESTORING"))));
    Map<String, String> secrets = Map.of("SUPABASE_ACCESS_TOKEN", TOKEN, "SUPABASE_API_URL", server.baseUrl());
    try (Lifeboat lb = Lifeboat.builder().settings(Map.of("supabase.restoreTimeout", "200ms", "supabase.restorePollInterval", "20ms"))
        .secrets(n -> Optional.ofNullable(secrets.get(n))).build()) {
      assertThatThrownBy(() -> lb.restore(RestoreRequest.builder(Location.parse("supabase://" + REF), "101",
          Location.parse("supabase://" + REF)).options(RestoreOptions.builder().confirm(REF).build()).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT))
          .hasMessageContaining("RESTORING").hasMessageContaining("supabase.restoreTimeout");
    }
  }

  @Test
  void notEnabledAnswerIsShown() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(okJson(backups(true))));
    server.stubFor(post(urlPathEqualTo(BASE + "/database/backups/restore-pitr")).willReturn(aResponse().withStatus(400)
        .withHeader("Content-Type", "application/json").withBody("{\"message\":\"PITR is not enabled for this project.\"}")));
    try (Lifeboat lb = lifeboat()) {
      assertThatThrownBy(() -> lb.restore(RestoreRequest.builder(Location.parse("supabase://" + REF), "pitr@" + Instant.ofEpochSecond(LATEST),
          Location.parse("supabase://" + REF)).options(RestoreOptions.builder().confirm(REF).build()).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_API))
          .hasMessageContaining("PITR is not enabled for this project.");
    }
    // A POST that was answered is never sent twice.
    server.verify(1, postRequestedFor(urlPathEqualTo(BASE + "/database/backups/restore-pitr")));
  }

  @Test
  void healthReportsTheWindowAndTheNewestBackup() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(okJson(backups(true))));
    try (Lifeboat lb = lifeboat()) {
      HealthReport report = lb.health(HealthRequest.builder("supabase://" + REF).minPitr(Duration.ofDays(14)).build());
      assertThat(report.checks()).anySatisfy(c -> {
        assertThat(c.name()).isEqualTo("supabase.pitrWindow");
        assertThat(c.passed()).isFalse(); // about 6.9 days, less than the 14 asked for
      });
      assertThat(report.checks()).anySatisfy(c -> assertThat(c.name()).isEqualTo("supabase.newestBackupAge"));
      assertThat(report.healthy()).isFalse();
    }
  }

  @Test
  void withoutAReachableDirectHostTheSessionPoolerIsUsedAndSaidSo(@org.junit.jupiter.api.io.TempDir Path store) throws Exception {
    String password = "pooler-db-pw-5150";
    try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start()) {
      try (java.sql.Connection c = pg.getPostgresDatabase().getConnection(); java.sql.Statement st = c.createStatement()) {
        st.execute("CREATE ROLE \"postgres." + REF + "\" LOGIN SUPERUSER PASSWORD '" + password + "'");
        st.execute("CREATE TABLE public.todos (id int PRIMARY KEY, title text)");
        st.execute("INSERT INTO public.todos SELECT g, 't' || g FROM generate_series(1, 7) g");
      }
      String conn = "postgresql://postgres." + REF + ":[YOUR-PASSWORD]@localhost:" + pg.getPort() + "/postgres";
      server.stubFor(get(urlPathEqualTo(BASE + "/config/database/pooler")).willReturn(okJson("[{\"identifier\":\"" + REF
          + "\",\"database_type\":\"PRIMARY\",\"is_using_scram_auth\":true,\"db_user\":\"postgres." + REF
          + "\",\"db_host\":\"localhost\",\"db_port\":" + pg.getPort() + ",\"db_name\":\"postgres\",\"connection_string\":\""
          + conn + "\",\"connectionString\":\"" + conn + "\",\"default_pool_size\":null,\"max_client_conn\":null,"
          + "\"pool_mode\":\"session\"}]")));
      Map<String, String> secrets = Map.of("SUPABASE_ACCESS_TOKEN", TOKEN, "SUPABASE_API_URL", server.baseUrl(),
          "SUPABASE_DB_PASSWORD", password);
      List<dev.lifeboat.Progress> notices = new java.util.concurrent.CopyOnWriteArrayList<>();
      try (Lifeboat lb = Lifeboat.builder().settings(Map.of("supabase.sslMode", "disable", "supabase.connectTimeout", "500ms"))
          .secrets(n -> Optional.ofNullable(secrets.get(n))).progress(p -> {
            if (p.phase().equals("notice")) {
              notices.add(p);
            }
          }).build()) {
        Snapshot s = lb.backup(dev.lifeboat.BackupRequest.builder(Location.parse("supabase://" + REF), Location.of(store)).build());
        assertThat(s.manifest().properties().get("supabase.connection"))
            .isEqualTo("the session pooler localhost:" + pg.getPort() + " (db." + REF + ".supabase.co has no reachable IPv4 address)");
        assertThat(s.manifest().properties().get("pg.source")).contains("postgres." + REF + "@localhost:" + pg.getPort());
        assertThat(s.manifest().inventory().find("public.todos").orElseThrow().count()).isEqualTo(7);
        assertThat(s.manifest().toString() + s.manifest().properties()).doesNotContain(password);
        assertThat(notices).extracting(dev.lifeboat.Progress::detail).anySatisfy(d -> assertThat(d).contains("session pooler"));
      }
    }
    server.verify(getRequestedFor(urlPathEqualTo(BASE + "/config/database/pooler")));
  }

  static Lifeboat lifeboat(Map<String, String> extra) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("supabase.retry.initialBackoff", "1ms");
    settings.put("supabase.retry.maxBackoff", "5ms");
    settings.put("supabase.restorePollInterval", "10ms");
    settings.put("supabase.retry.maxTime", "10s");
    settings.putAll(extra);
    Map<String, String> secrets = Map.of("SUPABASE_ACCESS_TOKEN", TOKEN, "SUPABASE_API_URL", server.baseUrl());
    return Lifeboat.builder().settings(settings).secrets(n -> Optional.ofNullable(secrets.get(n))).build();
  }

  static RestoreRequest restoreOf(String id) {
    return RestoreRequest.builder(Location.parse("supabase://" + REF), id, Location.parse("supabase://" + REF))
        .options(RestoreOptions.builder().confirm(REF).build()).build();
  }

  /** Answers GET /v1/projects/REF with {@code statuses} in turn ("HTTP 500" for an error), the last one for ever. */
  static void projectAnswers(String... statuses) {
    for (int i = 0; i < statuses.length; i++) {
      var answer = statuses[i].startsWith("HTTP ")
          ? aResponse().withStatus(Integer.parseInt(statuses[i].substring(5))).withHeader("Content-Type", "application/json")
              .withBody("{\"message\":\"Failed to retrieve project\"}")
          : okJson(project(statuses[i]));
      var stub = get(urlPathEqualTo(BASE)).inScenario("poll").whenScenarioStateIs(i == 0 ? Scenario.STARTED : "poll" + i).willReturn(answer);
      server.stubFor(i == statuses.length - 1 ? stub : stub.willSetStateTo("poll" + (i + 1)));
    }
  }

  @Test
  void aProjectStillHealthyRightAfterTheRestoreIsAskedForIsWaitedOnUntilItHasRestored() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(okJson(backups(false))));
    server.stubFor(post(urlPathEqualTo(BASE + "/database/backups/restore")).willReturn(aResponse().withStatus(201)));
    // Supabase has accepted the restore but not yet marked the project RESTORING.
    projectAnswers("ACTIVE_HEALTHY", "RESTORING", "RESTORING", "ACTIVE_HEALTHY");
    server.stubFor(get(urlPathEqualTo(BASE + "/health")).willReturn(okJson(HEALTHY_DB)));
    try (Lifeboat lb = lifeboat()) {
      assertThat(lb.restore(restoreOf("102")).details()).containsEntry("supabase.status", "ACTIVE_HEALTHY");
    }
    server.verify(4, getRequestedFor(urlPathEqualTo(BASE)));
  }

  @Test
  void aProjectThatNeverLeavesActiveHealthyIsTakenAsRestoredAfterAFewPolls() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(okJson(backups(false))));
    server.stubFor(post(urlPathEqualTo(BASE + "/database/backups/restore")).willReturn(aResponse().withStatus(201)));
    projectAnswers("ACTIVE_HEALTHY");
    server.stubFor(get(urlPathEqualTo(BASE + "/health")).willReturn(okJson(HEALTHY_DB)));
    try (Lifeboat lb = lifeboat()) {
      assertThat(lb.restore(restoreOf("102")).details()).containsEntry("supabase.status", "ACTIVE_HEALTHY");
    }
    server.verify(SupabaseNativeSnapshots.QUIET_POLLS, getRequestedFor(urlPathEqualTo(BASE)));
  }

  @Test
  void aPollThatFailsWhileTheProjectRestoresIsRiddenOut() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(okJson(backups(false))));
    server.stubFor(post(urlPathEqualTo(BASE + "/database/backups/restore")).willReturn(aResponse().withStatus(201)));
    projectAnswers("RESTORING", "HTTP 500", "RESTORING", "ACTIVE_HEALTHY");
    server.stubFor(get(urlPathEqualTo(BASE + "/health")).willReturn(okJson(HEALTHY_DB)));
    try (Lifeboat lb = lifeboat(Map.of("supabase.retry.maxAttempts", "1"))) {
      assertThat(lb.restore(restoreOf("102")).details()).containsEntry("supabase.status", "ACTIVE_HEALTHY");
    }
    server.verify(4, getRequestedFor(urlPathEqualTo(BASE)));
  }

  @Test
  void aRestoreAnsweredByABadGatewayIsNotSentAgainAndSaysToLookBeforeRetrying() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(okJson(backups(false))));
    server.stubFor(post(urlPathEqualTo(BASE + "/database/backups/restore")).willReturn(aResponse().withStatus(502)
        .withHeader("Content-Type", "text/html").withBody("<html><head><title>502 Bad Gateway</title></head>"
            + "<body><center><h1>502 Bad Gateway</h1></center></body></html>")));
    try (Lifeboat lb = lifeboat()) {
      assertThatThrownBy(() -> lb.restore(restoreOf("102"))).isInstanceOfSatisfying(LifeboatException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_API))
          .hasMessageContaining("502 Bad Gateway").hasMessageContaining("may have accepted").hasMessageContaining("before sending it again")
          .hasMessageNotContaining("<").hasMessageNotContaining("try again.");
    }
    server.verify(1, postRequestedFor(urlPathEqualTo(BASE + "/database/backups/restore")));
    server.verify(0, getRequestedFor(urlPathEqualTo(BASE)));
  }

  @Test
  void aProxyPageThatEchoesAnotherTokenShowsItsWordsButNoToken() {
    String other = "sbp_ffffffffffffffffffffffffffffffffffffffff";
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(aResponse().withStatus(403)
        .withHeader("Content-Type", "text/html").withBody("<html><body><h1>Request blocked</h1><pre>GET " + BASE
            + "\nAuthorization: Bearer " + TOKEN.substring(0, 20) + "\nX-Token: " + other + "</pre></body></html>")));
    try (Lifeboat lb = lifeboat()) {
      assertThatThrownBy(() -> lb.list("supabase://" + REF)).isInstanceOfSatisfying(LifeboatException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION))
          .hasMessageContaining("Request blocked").hasMessageContaining("403")
          .hasMessageNotContaining("<h1>").hasMessageNotContaining(other).hasMessageNotContaining(TOKEN.substring(0, 20));
    }
  }

  @Test
  void a429WithRetryAfterAsAnHttpDateWaitsUntilThen() {
    String at = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(3));
    // The date has whole seconds, so at least two of the three are left.
    assertOne429WaitedOut(aResponse().withHeader("Retry-After", at), Duration.ofMillis(1900));
  }

  @Test
  void a429ThatNamesNoWaitBacksOffLongerEachTimeThenSaysWhatToDo() {
    server.stubFor(get(urlPathEqualTo(BASE + "/database/backups")).willReturn(aResponse().withStatus(429)
        .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Too many requests\"}")));
    long started = System.nanoTime();
    try (Lifeboat lb = lifeboat(Map.of("supabase.retry.maxAttempts", "3", "supabase.retry.maxBackoff", "10s"))) {
      assertThatThrownBy(() -> lb.list("supabase://" + REF)).isInstanceOfSatisfying(LifeboatException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED))
          .hasMessageContaining("3 attempts").hasMessageContaining("120 requests a minute").hasMessageContaining("supabase.retry.maxTime");
    }
    // One second, then two: a retry at once would only meet the same refusal.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    assertThat(server.getAllServeEvents()).hasSize(3);
  }

  @Test
  void databaseUrlWithoutPasswordTakesTheSecret() {
    assertThat(SupabaseConnections.withPassword("postgresql://postgres@127.0.0.1:54322/postgres", Optional.of("p@ss word")))
        .isEqualTo("postgresql://postgres:p%40ss%20word@127.0.0.1:54322/postgres");
    assertThat(SupabaseConnections.withPassword("postgresql://postgres:own@h/postgres", Optional.of("other")))
        .isEqualTo("postgresql://postgres:own@h/postgres");
    assertThat(SupabaseConnections.withPassword("postgresql://h:5432/postgres", Optional.of("pw12")))
        .isEqualTo("postgresql://postgres:pw12@h:5432/postgres");
  }
}
