package dev.lifeboat.neon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Settings are read as the command line reads its options, and refused (exit 2) when out of range. */
class NeonSettingsTest {

  private static NeonSettings read(Map<String, String> settings) {
    try (Lifeboat lifeboat = Lifeboat.builder().settings(settings)
        .secrets(name -> name.equals("NEON_API_KEY") ? Optional.of("napi_settings_test_key") : Optional.empty()).build()) {
      return NeonSettings.from(lifeboat.providerContext());
    }
  }

  @ParameterizedTest
  @CsvSource({"1h30m, PT1H30M", "PT2H, PT2H", "2h, PT2H", "30m, PT30M", "7d, PT168H", "90s, PT1M30S", "500ms, PT0.5S"})
  void durationsTakeTheFormsTheCommandLineTakes(String value, String expected) {
    assertThat(read(Map.of("neon.health.minHistory", value)).minHistory()).isEqualTo(Duration.parse(expected));
  }

  @Test
  void anOperationTimeoutOfAnHourAndAHalfWorks() {
    assertThat(read(Map.of("neon.operationTimeout", "1h30m")).operationTimeout()).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void aBadDurationNamesTheKeyAndTheAcceptedForms() {
    assertThatThrownBy(() -> read(Map.of("neon.operationTimeout", "90 minutes")))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
          assertThat(e.code().exitStatus()).isEqualTo(2);
          assertThat(e.getMessage()).contains("neon.operationTimeout", "'90 minutes'", "1h30m", "PT2H", "500ms").doesNotContain("\n");
        });
  }

  @ParameterizedTest
  @CsvSource({
      "neon.retry.maxAttempts, 0, 'from 1 to 100'",
      "neon.retry.maxAttempts, -3, 'from 1 to 100'",
      "neon.retry.maxAttempts, 1000, 'from 1 to 100'",
      "neon.retry.maxAttempts, many, 'from 1 to 100'",
      "neon.branchLimit, 0, 'from 1 to 100000'",
      "neon.operationTimeout, PT-5M, 'from 100ms to 1d'",
      "neon.operationTimeout, 0s, 'from 100ms to 1d'",
      "neon.operationTimeout, 2d, 'from 100ms to 1d'",
      "neon.operationPollInterval, 0ms, 'from 10ms to 5m'",
      "neon.retry.maxTime, -PT1S, 'from 100ms to 1h'",
      "neon.retry.initialBackoff, 0s, 'from 1ms to 1m'",
      "neon.retry.maxBackoff, PT-1S, 'from 1ms to 10m'",
      "neon.health.minHistory, PT-1H, 'from 0s to 30d'",
      "neon.health.rpo, 30s, 'from 1m to 365d'"})
  void aSettingOutOfRangeIsRefusedStatingTheRange(String key, String value, String range) {
    assertThatThrownBy(() -> read(Map.of(key, value)))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
          assertThat(e.code().exitStatus()).isEqualTo(2);
          assertThat(e.getMessage()).contains("'" + key + "'", range);
        });
  }

  @Test
  void aMaximumBackoffBelowTheInitialOneIsRefused() {
    assertThatThrownBy(() -> read(Map.of("neon.retry.initialBackoff", "2s", "neon.retry.maxBackoff", "1s")))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
          assertThat(e.getMessage()).contains("neon.retry.maxBackoff", "neon.retry.initialBackoff", "1s", "2s");
        });
  }

  @Test
  void aSettingOutOfRangeIsRefusedWhenTheLocationIsOpenedBeforeAnyCall() {
    // Settings are read when the provider serves a location, before any request to Neon.
    try (Lifeboat lifeboat = Lifeboat.builder().settings(Map.of("neon.apiUrl", "http://127.0.0.1:9/api/v2", "neon.retry.maxAttempts", "0"))
        .secrets(name -> name.equals("NEON_API_KEY") ? Optional.of("napi_settings_test_key") : Optional.empty()).build()) {
      assertThatThrownBy(() -> new NeonProvider().nativeSnapshots(Location.parse("neon://shiny-wind-028834"), lifeboat.providerContext()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION));
    }
  }

  @Test
  void defaultsAreInRange() {
    NeonSettings s = read(Map.of());
    assertThat(s.operationTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.maxAttempts()).isEqualTo(5);
    assertThat(s.maxBackoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.branchLimit()).isEmpty();
  }
}
