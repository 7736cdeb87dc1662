package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LocationTest {

  @ParameterizedTest
  @CsvSource({
      "jdbc:postgresql://db:5432/shop, postgresql",
      "JDBC:PostgreSQL://db/shop, postgresql",
      "postgresql://u@db/shop, postgresql",
      "postgres://db/shop, postgres",
      "/var/backups, file",
      "backups/nightly, file",
      "file:/x, file",
      "file:///x, file",
      "mongodb+srv://u:p@cluster0.example.net/app, mongodb+srv",
      "'mongodb://h1:27017,h2:27017/app?replicaSet=rs0', mongodb",
      "neon://p/b, neon",
      "C:/backups, file",
  })
  void schemes(String text, String scheme) {
    assertThat(Location.parse(text).scheme()).isEqualTo(scheme);
  }

  @Test
  void malformedPercentEscapeInAPasswordIsAUsageErrorThatDoesNotQuoteIt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Location.parse("postgresql://app:Pw%2Secret@db/shop"))
        .isInstanceOfSatisfying(LifeboatException.class, e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessageContaining("malformed %-escape")
        .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("Secret").doesNotContain("2S"));
  }

  @Test
  void jdbcIsDroppedForTheUriButKeptInRaw() {
    Location l = Location.parse("jdbc:postgresql://u:pw@db:5432/shop");
    assertThat(l.raw()).isEqualTo("jdbc:postgresql://u:pw@db:5432/shop");
    assertThat(l.withoutJdbcPrefix()).isEqualTo("postgresql://u:pw@db:5432/shop");
    assertThat(l.uri()).hasValueSatisfying(u -> {
      assertThat(u.getHost()).isEqualTo("db");
      assertThat(u.getPort()).isEqualTo(5432);
    });
    assertThat(l.schemeSpecificPart()).isEqualTo("//u:pw@db:5432/shop");
  }

  @Test
  void aPathBecomesAFileLocation() {
    Location l = Location.of(Path.of("/var/backups"));
    assertThat(l.scheme()).isEqualTo("file");
    assertThat(l.raw()).isEqualTo("file:/var/backups");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void anEmptyLocationIsAConfigurationError(String text) {
    assertThatThrownBy(() -> Location.parse(text))
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessageContaining("postgresql://");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "postgresql://app:Secr3t@db:5432/shop | postgresql://app@db:5432/shop",
      "jdbc:postgresql://app:Secr3t@db/shop | jdbc:postgresql://app@db/shop",
      "mongodb+srv://app:Secr3t@cluster0.example.net/app?retryWrites=true | mongodb+srv://app@cluster0.example.net/app?retryWrites=true",
      "mongodb://app:Secr3t@h1:27017,h2:27017/app | mongodb://app@h1:27017,h2:27017/app",
      "postgresql://db/shop?user=app&password=Secr3t&sslmode=require | postgresql://db/shop?user=app&password=***&sslmode=require",
      "https://api.example.com/v2?apikey=Secr3t | https://api.example.com/v2?apikey=***",
      "https://api.example.com/v2?api_key=Secr3t&x=1 | https://api.example.com/v2?api_key=***&x=1",
      "neon://p/b?token=Secr3t | neon://p/b?token=***",
      "postgresql://db/shop?PASSWORD=Secr3t | postgresql://db/shop?PASSWORD=***",
      "postgresql://app:S%40cr3t@db/shop | postgresql://app@db/shop",
      "postgresql://app:Sec@r3t@db/shop | postgresql://app@db/shop",
      "postgresql://app:@db/shop | postgresql://app@db/shop",
      "postgresql://db:5432/shop | postgresql://db:5432/shop",
      "postgresql://app@db:5432/shop | postgresql://app@db:5432/shop",
      "postgresql://app:Se/cr3t@db/shop | postgresql://app@db/shop",
      "postgresql://app:Se?cr3t@db:5432/shop | postgresql://app@db:5432/shop",
      "postgresql://app:Se#cr3t@db/shop | postgresql://app@db/shop",
      "postgresql://db:5432/shop?x=a@b | postgresql://db:5432/shop?x=a@b",
      "postgresql://app:my Secr3t pw@db/shop | postgresql://app@db/shop",
      "mongodb://app:my Secr3t@h1:27017/app | mongodb://app@h1:27017/app",
  })
  void redactionRemovesPasswordsAndSecretParameters(String raw, String redacted) {
    Location l = Location.parse(raw);
    assertThat(l.redacted()).isEqualTo(redacted);
    assertThat(l.toString()).isEqualTo(redacted).doesNotContain("Secr3t").doesNotContain("r3t@");
    assertThat(l.raw()).isEqualTo(raw);
  }

  @Test
  void redactWorksOnFreeTextSuchAsToolErrors() {
    String message = "pg_dump: error: connection to postgresql://app:Secr3t@db/shop failed; retry with ?password=Secr3t";
    assertThat(Location.redact(message)).doesNotContain("Secr3t").contains("postgresql://app@db/shop");
    assertThat(Location.redact(null)).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "postgresql://app:Secr3t@db/shop | Secr3t",
      "postgresql://app:S%40c%2Fr%3At@db/shop | S@c/r:t",
      "postgresql://app:a+b@db/shop | a+b",
      "postgresql://app:a%2Bb@db/shop | a+b",
      "postgresql://app:%C3%BCml%C3%A4ut@db/shop | ümläut",
      "mongodb://app:pw@h1:1,h2:2/app | pw",
      "postgresql://app:my pass word@db/shop | my pass word",
  })
  void passwordDecodesPercentEncoding(String raw, String password) {
    assertThat(Location.parse(raw).password()).hasValue(password);
  }

  @Test
  void noPasswordIsEmpty() {
    assertThat(Location.parse("postgresql://app@db/shop").password()).isEmpty();
    assertThat(Location.parse("postgresql://db:5432/shop").password()).isEmpty();
    assertThat(Location.parse("/var/backups").password()).isEmpty();
  }

  @Test
  void equalityIsOnTheRawText() {
    assertThat(Location.parse("postgresql://a:x@db/s")).isEqualTo(Location.parse(" postgresql://a:x@db/s "))
        .isNotEqualTo(Location.parse("postgresql://a:y@db/s"))
        .hasSameHashCodeAs(Location.parse("postgresql://a:x@db/s"));
  }
}
