package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
  @Test
  void instantsMustBeUtcIso() {
    assertThat(Converters.instant("2026-11-21T10:00:00Z")).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
    assertThat(Converters.instant("2026-11-21T10:00Z")).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
    assertThat(Converters.instant("2026-11-21T10:00:00.250Z")).isEqualTo(Instant.parse("2026-11-21T10:00:00.250Z"));
    for (String bad : new String[] {"2026-11-21", "2026-11-21T10:00:00", "2026-11-21T10:00:00+01:00", "1700000000", "2026-02-30T00:00:00Z"}) {
      assertThatThrownBy(() -> Converters.instant(bad)).as(bad)
          .isInstanceOf(TypeConversionException.class).hasMessageContaining("e.g. 2026-11-21T10:00:00Z");
    }
  }

  @Test
  void durationsInIsoAndShortForms() {
    assertThat(Converters.duration("PT2H")).isEqualTo(Duration.ofHours(2));
    assertThat(Converters.duration("p7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Converters.duration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Converters.duration("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(Converters.duration("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Converters.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Converters.duration("2w")).isEqualTo(Duration.ofDays(14));
    assertThat(Converters.duration("45s")).isEqualTo(Duration.ofSeconds(45));
    for (String bad : new String[] {"", "h", "2", "2x", "-2h", "0m", "2h junk", "PT", "PT-1H"}) {
      assertThatThrownBy(() -> Converters.duration(bad)).as(bad).isInstanceOf(TypeConversionException.class);
    }
  }

  @Test
  void aDurationThatIsNotMoreThanZeroIsToldSoNotThatItIsTooLong() {
    for (String zero : new String[] {"0", "00", "0s", "0m", "PT0S", "-2h", "-5", "PT-1H"}) {
      assertThatThrownBy(() -> Converters.duration(zero)).as(zero).isInstanceOf(TypeConversionException.class)
          .hasMessage("'" + zero + "' is not more than zero; a duration must be more than zero, e.g. 30m, 2h, 7d or PT2H.");
    }
    assertThatThrownBy(() -> Converters.duration("26")).isInstanceOf(TypeConversionException.class)
        .hasMessage("'26' has no unit; write e.g. 26m, 26h or 26d.");
    assertThatThrownBy(() -> Converters.duration("2x")).isInstanceOf(TypeConversionException.class)
        .hasMessageStartingWith("'2x' is not a duration; use a duration such as").hasMessageEndingWith("(more than zero, at most 36500d).");
    for (String tooLong : new String[] {"36501d", "99999999999999999999d", "P99999999999999D"}) {
      assertThatThrownBy(() -> Converters.duration(tooLong)).as(tooLong).isInstanceOf(TypeConversionException.class)
          .hasMessage("'" + tooLong + "' is longer than the allowed 36500d (100 years).");
    }
  }
}
