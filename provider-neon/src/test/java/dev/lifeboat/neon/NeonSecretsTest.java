package dev.lifeboat.neon;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.neon.api.BranchSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An API or a proxy that echoes the request's {@code Authorization} header, the key or a password
 * in an error body must not make Lifeboat print them: not in exception messages, not in logs.
 * Each test uses a key no other test registered, so only the provider's own registration can hide it.
 */
class NeonSecretsTest extends NeonApiTest {
  private static final String P = "/api/v2/projects/" + PROJECT;
  /** A GeneralError whose message echoes the request's Authorization header and request id. */
  private static final String ECHO = "{\"request_id\":\"{{request.headers.[X-Request-ID]}}\",\"code\":\"\","
      + "\"message\":\"rejected request with headers Authorization: {{request.headers.Authorization}}; "
      + "key {{regexExtract request.headers.Authorization '[^ ]+$'}}\"}";

  private String key;
  private PrintStream originalErr;
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

  @BeforeEach
  void freshKeyAndCapturedLogs() {
    key = "napi_" + UUID.randomUUID().toString().replace("-", "") + "Zq9";
    originalErr = System.err;
    // slf4j-simple writes to whatever System.err is when it logs.
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreErr() {
    System.setErr(originalErr);
  }

  private String logged() {
    return logs.toString(StandardCharsets.UTF_8);
  }

  private NeonClient clientWithKey(Map<String, String> settings) {
    return new NeonClient(NeonSettings.of(apiUrl(), key, settings), new OkHttpClient());
  }

  private static Map<String, String> fewRetries() {
    Map<String, String> s = new LinkedHashMap<>(settings());
    s.put("neon.retry.maxAttempts", "2");
    return s;
  }

  private static void echo(int status, com.github.tomakehurst.wiremock.client.MappingBuilder on) {
    server.stubFor(on.atPriority(1).willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withBody(ECHO).withTransformers("response-template")));
  }

  private void assertNoSecret(Throwable e) {
    assertThat(e).isNotNull();
    List<String> texts = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      texts.add(String.valueOf(t.getMessage()));
      texts.add(t.toString());
    }
    if (e instanceof NeonApiException n) {
      texts.add(n.neonCode());
      texts.add(n.requestId());
    }
    assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(key).doesNotContain(key.substring(0, 12)));
    assertThat(logged()).doesNotContain(key).doesNotContain(key.substring(0, 12));
  }

  @Test
  void theServerReallyEchoesTheKey() {
    echo(400, get(urlPathEqualTo(P)));
    OkHttpClient raw = new OkHttpClient();
    try (okhttp3.Response r = raw.newCall(new okhttp3.Request.Builder().url(apiUrl() + "/projects/" + PROJECT)
        .header("Authorization", "Bearer " + key).build()).execute()) {
      assertThat(r.body().string()).contains("Authorization: Bearer " + key, "key " + key);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anEchoIn400401And500AnswersNeverShowsTheKey() {
    NeonClient c = clientWithKey(fewRetries());
    echo(400, post(urlPathEqualTo(P + "/branches/br-main-000001/restore")));
    LifeboatException badRequest = catchThrowableOfType(
        () -> c.branches().restore(PROJECT, "br-main-000001", "br-main-000001", fake.now.minusSeconds(60), null, "before"), LifeboatException.class);
    assertNoSecret(badRequest);
    assertThat(badRequest.getMessage()).contains("400", "Authorization: ***");

    echo(401, get(urlPathEqualTo(P)));
    LifeboatException unauthorized = catchThrowableOfType(() -> c.projects().get(PROJECT), LifeboatException.class);
    assertNoSecret(unauthorized);
    assertThat(unauthorized.getMessage()).contains("401", "NEON_API_KEY");

    // 500 on a GET is retried, so the retry is logged too.
    echo(500, get(urlPathEqualTo(P + "/branches")));
    LifeboatException failed = catchThrowableOfType(() -> c.branches().list(PROJECT), LifeboatException.class);
    assertNoSecret(failed);
    assertThat(failed.getMessage()).contains("500", "after 2 attempts");
    assertThat(logged()).contains("retry 1");
  }

  @Test
  void aKeyFromTheApiKeySettingIsHiddenToo() {
    Map<String, String> s = new LinkedHashMap<>(fewRetries());
    s.put("neon.apiKey", key);
    NeonClient c = NeonClient.create(context(s, name -> Optional.empty(), clock()));
    echo(403, get(urlPathEqualTo(P)));
    LifeboatException forbidden = catchThrowableOfType(() -> c.projects().get(PROJECT), LifeboatException.class);
    assertNoSecret(forbidden);
    assertThat(forbidden.getMessage()).contains("403");
  }

  @Test
  void anAuthorizationHeaderEchoedWithAnotherKeyIsMaskedAsWell() {
    // A proxy that adds its own credentials and echoes them: not our key, still not to be printed.
    server.stubFor(get(urlPathEqualTo(P)).atPriority(1).willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
        .withBody("{\"code\":\"\",\"message\":\"upstream refused Authorization: Bearer proxy-credential-7f3a9c and "
            + "{\\\"authorization\\\": \\\"Basic cHJveHk6c2VjcmV0\\\"}\"}")));
    LifeboatException e = catchThrowableOfType(() -> clientWithKey(settings()).projects().get(PROJECT), LifeboatException.class);
    assertThat(e.getMessage()).doesNotContain("proxy-credential-7f3a9c").doesNotContain("cHJveHk6c2VjcmV0").contains("401");
  }

  @Test
  void aProxyPageThatEchoesTheKeyAcrossTheCutOffShowsNoPartOfIt() {
    // A proxy in front of the API answers with plain text, not Neon's JSON; the key sits right
    // where a message is cut, so cutting before masking would leave its first characters.
    WireMockServer proxy = new WireMockServer(options().dynamicPort());
    proxy.start();
    try {
      String before = "502 Bad Gateway: upstream closed the connection for request with token ";
      // The key starts 14 characters before the cut, in the raw page and in its text alike.
      String padding = "x".repeat(ServerText.MAX_MESSAGE - "<html><body><p>".length() - before.length() - 15);
      proxy.stubFor(any(urlPathMatching("/.*")).willReturn(aResponse().withStatus(502).withHeader("Content-Type", "text/html")
          .withBody("<html><body><p>" + before + padding + " " + key + "</p>\n<p>Authorization: {{request.headers.Authorization}}</p></body></html>")
          .withTransformers("response-template")));
      Map<String, String> s = new LinkedHashMap<>(fewRetries());
      NeonClient c = new NeonClient(NeonSettings.of(proxy.baseUrl() + "/api/v2", key, s), new OkHttpClient());
      LifeboatException e = catchThrowableOfType(() -> c.projects().get(PROJECT), LifeboatException.class);
      assertNoSecret(e);
      assertThat(e.getMessage()).contains("502", "Bad Gateway").doesNotContain("<p>").doesNotContain("\n");
    } finally {
      proxy.stop();
    }
  }

  @Test
  void passwordsNeonReturnsInConnectionUrisAreHiddenWhenEchoedLater() {
    String password = "pw-" + UUID.randomUUID().toString().replace("-", "");
    fake.rolePassword = password;
    fake.connectionUrisOnCreate = true;
    // The create answers with connection_uris; then the operation fails with a text that repeats the
    // password outside any URI, where no URI pattern could spot it.
    server.stubFor(get(urlPathMatching(P + "/operations/.*")).atPriority(1).willReturn(NeonClientTest.json(
        "{\"operation\":" + NeonClientTest.operationJson("5b1f6c2e-3333-4d44-9a3f-1c2b3d4e5f60", "failed")
            .replace("timeline creation failed: out of disk", "start_compute failed: role neondb_owner password " + password + " rejected") + "}")));
    LifeboatException e = catchThrowableOfType(
        () -> clientWithKey(settings()).branches().create(PROJECT, new BranchSpec("with-compute", "br-main-000001", null, null, null, true, Map.of())),
        LifeboatException.class);
    assertThat(e.getMessage()).contains("start_compute failed", "rejected").doesNotContain(password);
    assertThat(logged()).doesNotContain(password);
    assertThat(fake.byName("with-compute")).isNotNull();
  }

  @Test
  void aRevealedPasswordIsHiddenInLaterMessages() {
    String password = "pw-" + UUID.randomUUID().toString().replace("-", "");
    fake.rolePassword = password;
    NeonClient c = clientWithKey(settings());
    Location uri = c.connections().directUriFromParts(PROJECT, "br-main-000001", "neondb", "neondb_owner");
    assertThat(uri.raw()).contains(password);
    assertThat(new LifeboatException(dev.lifeboat.ErrorCode.REMOTE_API, "echo: " + password).getMessage()).doesNotContain(password);
  }
}
