package dev.lifeboat.neon;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.SecretResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import okhttp3.OkHttpClient;

/**
 * Base of the tests that talk to WireMock: one server per test class with the {@link FakeNeon}
 * project behind a low-priority catch-all stub, and, after every test, every request the client
 * sent and every answer it got checked against Neon's OpenAPI document.
 */
abstract class NeonApiTest {
  static final String PROJECT = "shiny-wind-028834";
  static final String API_KEY = "napi_test_key_5up3r53cr3t";

  static WireMockServer server;
  static FakeNeon fake;
  static OpenApiInteractionValidator validator;

  /**
   * Validation message keys left out of the spec check. None is needed today: the undocumented
   * answers neon-api-notes.md lists (422 BRANCHES_LIMIT_EXCEEDED, 423, 429, a GeneralError "code"
   * that is a free string) all fall under each path's "default" GeneralError response, and the one
   * spec quirk that would trip the check (GET /branches/{id} declares "annotation" required,
   * while notes §4 say Neon sends it only when the branch has one) is met by the fake always
   * sending an annotation. Add a key here only with the notes' section that documents it.
   */
  private static final List<String> SPEC_QUIRKS = List.of();

  @BeforeAll
  static void startServer() {
    validator = specValidator();
    fake = new FakeNeon(PROJECT);
    server = new WireMockServer(options().dynamicPort().extensions(fake));
    server.start();
  }

  /** The validator for Neon's OpenAPI document in the shared folder. */
  static synchronized OpenApiInteractionValidator specValidator() {
    if (sharedValidator == null) {
      Path spec = Path.of(System.getProperty("lifeboat.shared.dir", "../../shared"), "specs", "neon-api-v2.json");
      assertThat(Files.isRegularFile(spec)).as("Neon OpenAPI document at %s", spec).isTrue();
      // Neon's responses are allOf compositions; resolving them lets the validator check the merged
      // schema instead of each part (which the validator would otherwise close against the others' fields).
      sharedValidator = OpenApiInteractionValidator.createForSpecificationUrl(spec.toUri().toString())
          .withResolveRefs(true)
          .withResolveCombinators(true)
          .build();
    }
    return sharedValidator;
  }

  private static OpenApiInteractionValidator sharedValidator;

  @AfterAll
  static void stopServer() {
    server.stop();
  }

  @BeforeEach
  void resetServer() {
    server.resetAll();
    fake.reset();
    server.stubFor(any(urlPathMatching("/api/v2/.*")).atPriority(10).willReturn(aResponse().withTransformers(FakeNeon.NAME)));
  }

  @AfterEach
  void everyExchangeConformsToTheSpec() {
    assertThat(specProblems(server)).as("requests and answers that do not conform to neon-api-v2.json").isEmpty();
  }

  /** Every request and answer {@code wiremock} saw that breaks Neon's OpenAPI document. */
  static List<String> specProblems(WireMockServer wiremock) {
    OpenApiInteractionValidator validator = specValidator();
    List<String> problems = new ArrayList<>();
    for (ServeEvent e : wiremock.getAllServeEvents()) {
      LoggedRequest r = e.getRequest();
      Request request = toValidatorRequest(r);
      ValidationReport report;
      if (e.getResponse() == null || e.getResponse().getFault() != null) {
        report = validator.validateRequest(request);
      } else {
        SimpleResponse.Builder resp = SimpleResponse.Builder.status(e.getResponse().getStatus());
        for (HttpHeader h : e.getResponse().getHeaders().all()) {
          resp.withHeader(h.key(), h.values());
        }
        String body = e.getResponse().getBodyAsString();
        if (body != null && !body.isEmpty()) {
          resp.withBody(body);
        }
        report = validator.validate(request, resp.build());
      }
      for (ValidationReport.Message m : report.getMessages()) {
        if (m.getLevel() == ValidationReport.Level.ERROR && SPEC_QUIRKS.stream().noneMatch(m.getKey()::equals)) {
          problems.add(r.getMethod() + " " + r.getUrl() + " -> " + (e.getResponse() == null ? "fault" : e.getResponse().getStatus())
              + ": [" + m.getKey() + "] " + m.getMessage());
        }
      }
    }
    return problems;
  }

  private static Request toValidatorRequest(LoggedRequest r) {
    String url = r.getUrl();
    String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
    SimpleRequest.Builder b = new SimpleRequest.Builder(r.getMethod().getName(), path);
    r.getQueryParams().forEach((k, v) -> b.withQueryParam(k, v.values()));
    for (HttpHeader h : r.getHeaders().all()) {
      b.withHeader(h.key(), h.values());
    }
    String body = r.getBodyAsString();
    if (body != null && !body.isEmpty()) {
      b.withBody(body);
    }
    return b.build();
  }

  static String apiUrl() {
    return server.baseUrl() + FakeNeon.BASE;
  }

  /** Settings with short waits so fault tests run fast. */
  static Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("neon.apiUrl", apiUrl());
    s.put("neon.retry.initialBackoff", "5ms");
    s.put("neon.retry.maxBackoff", "50ms");
    s.put("neon.operationPollInterval", "10ms");
    return s;
  }

  static Clock clock() {
    return Clock.fixed(fake.now, ZoneOffset.UTC);
  }

  static SecretResolver secrets() {
    return name -> name.equals("NEON_API_KEY") ? Optional.of(API_KEY) : Optional.empty();
  }

  /**
   * The real provider context of a {@link Lifeboat} with these settings, {@link #secrets()} and
   * {@link #clock()}, for driving the provider's parts directly. The instance is closed after the test.
   */
  static ProviderContext context(Map<String, String> settings) {
    return context(settings, secrets(), clock());
  }

  /** {@link #context(Map)} with other secrets and another clock. */
  static ProviderContext context(Map<String, String> settings, SecretResolver secrets, Clock clock) {
    Lifeboat lifeboat = Lifeboat.builder().settings(settings).secrets(secrets).clock(clock).build();
    synchronized (OPEN) {
      OPEN.add(lifeboat);
    }
    return lifeboat.providerContext();
  }

  private static final List<Lifeboat> OPEN = new ArrayList<>();

  @AfterEach
  void closeContexts() {
    synchronized (OPEN) {
      OPEN.forEach(Lifeboat::close);
      OPEN.clear();
    }
  }

  static NeonClient client(Map<String, String> settings) {
    return new NeonClient(NeonSettings.of(apiUrl(), API_KEY, settings), new OkHttpClient());
  }

  static NeonClient client() {
    return client(settings());
  }
}
