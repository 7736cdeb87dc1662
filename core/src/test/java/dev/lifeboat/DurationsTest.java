package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
      "PT2H, PT2H",
      "pt1h30m, PT1H30M",
      "P7D, PT168H",
      "PT0.5S, PT0.5S",
      "2h, PT2H",
      "30m, PT30M",
      "7d, PT168H",
      "2w, PT336H",
      "1h30m, PT1H30M",
      "'1h 30m', PT1H30M",
      "90s, PT1M30S",
      "500ms, PT0.5S",
      "' 10M ', PT10M",
      "1d2h3m4s5ms, PT26H3M4.005S",
      "0s, PT0S",
      "PT-5M, PT-5M"})
  void readsIsoAndShortForms(String text, String expected) {
    assertThat(Durations.parse(text)).contains(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "h", "10", "1.5h", "10 minutes", "1h30", "h1", "-5m", "PT", "P1Y", "1x", "99999999999999999999h", "9223372036854775807w"})
  void refusesAnythingElse(String text) {
    assertThat(Durations.parse(text)).isEmpty();
  }

  @Test
  void nullIsNotADuration() {
    assertThat(Durations.parse(null)).isEmpty();
  }

  @Test
  void formatsSoThatParseReadsItBack() {
    for (Duration d : new Duration[] {Duration.ofMinutes(90), Duration.ofMillis(500), Duration.ofDays(8).plusSeconds(1), Duration.ZERO}) {
      assertThat(Durations.parse(Durations.format(d))).contains(d);
    }
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.format(Duration.ofSeconds(-30))).isEqualTo("-30s");
  }

  @Test
  void retryAfterIsSecondsOrAnHttpDate() {
    assertThat(Durations.retryAfter("120")).contains(Duration.ofSeconds(120));
    assertThat(Durations.retryAfter(" 0 ")).contains(Duration.ZERO);
    assertThat(Durations.retryAfter("-5")).contains(Duration.ZERO);
    String inAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(60));
    assertThat(Durations.retryAfter(inAMinute)).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60)));
    assertThat(Durations.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
    assertThat(Durations.retryAfter("soon")).isEmpty();
    assertThat(Durations.retryAfter("")).isEmpty();
    assertThat(Durations.retryAfter(null)).isEmpty();
  }
}
