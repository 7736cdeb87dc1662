package dev.lifeboat.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The worked example of the operations notes (§3): daily backups at 02:00 UTC with gaps, one extra
 * backup at 14:00, across a year end whose last days fall in the next ISO year's first week.
 */
class WorkedExampleTest {
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  private static final List<RetentionCandidate> SNAPSHOTS = List.of(
      at("2025-12-20T02:00:00Z"),
      at("2025-12-31T02:00:00Z"),
      at("2026-01-15T02:00:00Z"),
      at("2026-01-31T02:00:00Z"),
      at("2026-02-01T02:00:00Z"),
      at("2026-02-10T02:00:00Z"),
      at("2026-02-20T02:00:00Z"),
      at("2026-02-27T02:00:00Z"),
      at("2026-03-02T02:00:00Z"),
      at("2026-03-03T02:00:00Z"),
      at("2026-03-04T02:00:00Z"),
      at("2026-03-04T14:00:00Z"),
      at("2026-03-05T02:00:00Z"),
      // 03-06 and 03-07 missed
      at("2026-03-08T02:00:00Z"),
      at("2026-03-09T02:00:00Z"),
      at("2026-03-10T02:00:00Z"));

  @Test
  void policyA_dailyWeeklyMonthlyYearly() {
    RetentionPolicy a = RetentionPolicy.builder().keepDaily(5).keepWeekly(3).keepMonthly(3).keepYearly(1).build();
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("2026-03-10T02:00:00Z",
        List.of("daily snapshot", "weekly snapshot", "monthly snapshot", "yearly snapshot", Retention.NEWEST));
    expected.put("2026-03-09T02:00:00Z", List.of("daily snapshot"));
    expected.put("2026-03-08T02:00:00Z", List.of("daily snapshot", "weekly snapshot"));
    expected.put("2026-03-05T02:00:00Z", List.of("daily snapshot"));
    expected.put("2026-03-04T14:00:00Z", List.of("daily snapshot")); // the newest of its day, not 02:00
    expected.put("2026-02-27T02:00:00Z", List.of("weekly snapshot", "monthly snapshot"));
    expected.put("2026-01-31T02:00:00Z", List.of("monthly snapshot"));

    PrunePlan plan = Retention.plan(SNAPSHOTS, a, NOW);

    assertThat(kept(plan)).containsExactlyEntriesOf(expected);
    // keep-yearly 1 is spent on the newest, so the last backup of 2025 goes.
    assertThat(plan.remove().stream().map(r -> r.createdAt().toString()))
        .contains("2025-12-31T02:00:00Z", "2025-12-20T02:00:00Z", "2026-03-04T02:00:00Z")
        .hasSize(SNAPSHOTS.size() - expected.size());
  }

  @Test
  void policyB_lastMonthlyYearly_padsThinHistoryWithTheOldest() {
    RetentionPolicy b = RetentionPolicy.builder().keepLast(2).keepMonthly(6).keepYearly(3).build();
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("2026-03-10T02:00:00Z",
        List.of("last snapshot", "monthly snapshot", "yearly snapshot", Retention.NEWEST));
    expected.put("2026-03-09T02:00:00Z", List.of("last snapshot"));
    expected.put("2026-02-27T02:00:00Z", List.of("monthly snapshot"));
    expected.put("2026-01-31T02:00:00Z", List.of("monthly snapshot"));
    expected.put("2025-12-31T02:00:00Z", List.of("monthly snapshot", "yearly snapshot"));
    expected.put("2025-12-20T02:00:00Z", List.of("oldest monthly snapshot", "oldest yearly snapshot"));

    PrunePlan plan = Retention.plan(SNAPSHOTS, b, NOW);

    assertThat(kept(plan)).containsExactlyEntriesOf(expected);
    assertThat(plan.remove()).hasSize(SNAPSHOTS.size() - expected.size());
  }

  private static Map<String, List<String>> kept(PrunePlan plan) {
    return plan.keep().stream().collect(Collectors.toMap(k -> k.createdAt().toString(), PrunePlan.Kept::reasons,
        (x, y) -> x, LinkedHashMap::new));
  }

  private static RetentionCandidate at(String time) {
    return RetentionCandidate.of("b-" + time, Instant.parse(time));
  }
}
