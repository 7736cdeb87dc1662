package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotIdsTest {

  @Test
  void theFormatIsUtcTimeThenEightHexDigits() {
    String id = SnapshotIds.next(Instant.parse("2026-11-21T18:45:12.123456Z"));
    assertThat(id).matches("20261121T184512\\.123Z-[0-9a-f]{8}");
    assertThat(SnapshotIds.isValid(id)).isTrue();
  }

  @Test
  void theClocksZoneDoesNotMatter() {
    Instant at = Instant.parse("2026-01-01T23:30:00Z");
    String id = SnapshotIds.next(Clock.fixed(at, ZoneId.of("Pacific/Kiritimati")));
    assertThat(id).startsWith("20260101T233000.000Z-");
  }

  @Test
  void idsSortByTimeAsPlainStrings() {
    List<Instant> instants = List.of(
        Instant.parse("2025-12-31T23:59:59.999Z"),
        Instant.parse("2026-01-01T00:00:00.000Z"),
        Instant.parse("2026-01-01T00:00:00.001Z"),
        Instant.parse("2026-01-01T00:00:01.000Z"),
        Instant.parse("2026-02-01T00:00:00.000Z"),
        Instant.parse("2026-10-01T00:00:00.000Z"),
        Instant.parse("2027-01-01T09:00:00.000Z"));
    List<String> ids = new ArrayList<>();
    for (int i = instants.size() - 1; i >= 0; i--) {
      ids.add(SnapshotIds.next(instants.get(i)));
    }
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(null);
    List<String> byTime = new ArrayList<>(ids);
    java.util.Collections.reverse(byTime);
    assertThat(sorted).isEqualTo(byTime);
  }

  @Test
  void tenThousandIdsOfOneInstantAreUnique() {
    Instant at = Instant.parse("2026-03-14T15:09:26.535Z");
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(SnapshotIds.next(at));
    }
    assertThat(ids).hasSize(10_000).allMatch(id -> id.startsWith("20260314T150926.535Z-"));
  }

  @Test
  void isValidRefusesWhatIsNotAnId() {
    assertThat(SnapshotIds.isValid(null)).isFalse();
    assertThat(SnapshotIds.isValid("latest")).isFalse();
    assertThat(SnapshotIds.isValid("20261121T184512.123Z-9F3AC2E1")).isFalse();
    assertThat(SnapshotIds.isValid("20261121T184512.123Z-9f3ac2e")).isFalse();
    assertThat(SnapshotIds.isValid("../20261121T184512.123Z-9f3ac2e1")).isFalse();
    assertThat(SnapshotIds.isValid("20261121T184512.123Z-9f3ac2e1")).isTrue();
  }
}
