package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.internal.ProviderRegistry;
import dev.lifeboat.spi.LifeboatProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void registeredSecretsAreRemovedInEveryFormTheyTravelIn() {
    Redactor.register("tok/en+Secret-42");
    String echoed = "401: bad header 'Authorization: Bearer tok/en+Secret-42' (tok%2Fen%2BSecret-42, "
        + java.util.Base64.getEncoder().encodeToString("tok/en+Secret-42".getBytes()) + ")";
    assertThat(Redactor.redact(echoed)).doesNotContain("Secret-42").doesNotContain("Secret-42".replace("-", "%2D"))
        .contains("Authorization: Bearer ***");
  }

  @Test
  void exceptionMessagesAreRedactedEvenWhenTheSecretIsRegisteredLater() {
    LifeboatException e = new LifeboatException(ErrorCode.REMOTE_API, "server said: key=late-Secret-7");
    Redactor.register("late-Secret-7");
    assertThat(e.getMessage()).isEqualTo("server said: key=***");
  }

  @Test
  void passwordsOfParsedLocationsAndResolvedSecretsAreRegistered() {
    Location.parse("postgresql://app:pw-From-Uri@db/shop");
    assertThat(Redactor.redact("FATAL: password pw-From-Uri is wrong")).isEqualTo("FATAL: password *** is wrong");
    try (Lifeboat lifeboat = Lifeboat.builder().secrets(name -> java.util.Optional.of("env-Secret-" + name)).build()) {
      lifeboat.providerContext().secrets().resolve("X");
    }
    assertThat(Redactor.redact("echo env-Secret-X")).isEqualTo("echo ***");
  }

  @Test
  void shortValuesAreNotRegisteredSoOrdinaryTextSurvives() {
    Redactor.register("abc");
    assertThat(Redactor.redact("abcdef")).isEqualTo("abcdef");
  }

  @Test
  void unknownSettingsAreRefusedWithTheKnownKeysOfTheirProvider() {
    LifeboatProvider p = new LifeboatProvider() {
      @Override public String name() { return "demo"; }
      @Override public Set<String> schemes() { return Set.of("demo"); }
      @Override public Set<String> settingKeys() { return Set.of("demo.bin", "demo.timeout"); }
    };
    ProviderRegistry registry = new ProviderRegistry(List.of(p), List.of(), null);
    registry.checkSettings(Map.of("demo.bin", "/x"));
    Assertions.assertThatThrownBy(() -> registry.checkSettings(Map.of("demo.bni", "/x")))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessage("Unknown setting 'demo.bni'. Known demo settings: demo.bin, demo.timeout.");
    Assertions.assertThatThrownBy(() -> registry.checkSettings(Map.of("other.x", "1")))
        .hasMessageContaining("no installed provider reads it");
  }

  @Test
  void aServerLineMasksEchoedAuthorizationValuesAndBearerTokensBeforeItIsCut() {
    String body = "{\"message\": \"bad request\",\n \"headers\": {\"Authorization\": \"Bearer sk-live-0123456789abcdef\"}}"
        + " proxy said: bearer abcdef0123456789 and basic auth Authorization: Basic dXNlcjpwYXNz";
    String line = Redactor.serverLine(body, 1000);
    assertThat(line).doesNotContain("sk-live-0123456789abcdef").doesNotContain("abcdef0123456789").doesNotContain("dXNlcjpwYXNz")
        .doesNotContain("\n").contains("bad request").contains(Redactor.MASK);

    String cut = Redactor.serverLine("Authorization: Bearer sk-live-0123456789abcdef " + "x".repeat(50), 30);
    assertThat(cut).hasSize(31).endsWith("\u2026").doesNotContain("sk-live");
    assertThat(Redactor.serverLine("the token expired", 100)).as("ordinary words stay").isEqualTo("the token expired");
    assertThat(Redactor.withoutMarkup("<html><style>p{}</style><h1>502 Bad Gateway</h1></html>").trim()).isEqualTo("502 Bad Gateway");
  }
}
