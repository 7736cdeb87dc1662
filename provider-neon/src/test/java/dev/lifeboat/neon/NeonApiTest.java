package dev.lifeboat.neon;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.SecretResolver;
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

  @BeforeAll
  static void startServer() {
    validator = NeonSpecCheck.validator();
    fake = new FakeNeon(PROJECT);
    server = new WireMockServer(options().dynamicPort().extensions(fake));
    server.start();
  }

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
    assertThat(NeonSpecCheck.problems(server)).as("requests and answers that do not conform to neon-api-v2.json").isEmpty();
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
