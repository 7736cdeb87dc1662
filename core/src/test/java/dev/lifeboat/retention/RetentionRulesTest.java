package dev.lifeboat.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** Calendar details of the rules that restic's vectors do not pin down. */
class RetentionRulesTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private static RetentionCandidate at(String id, String time) {
    return RetentionCandidate.of(id, Instant.parse(time));
  }

  private static List<String> keptIds(PrunePlan plan) {
    return plan.keep().stream().map(PrunePlan.Kept::id).toList();
  }

  @Test
  void weeksAreIsoWeeksThatCrossTheCalendarYear() {
    // 2025-12-31 (Wed) and 2026-01-02 (Fri) are both in ISO week 2026-W01; 2025-12-28 (Sun) is 2025-W52.
    List<RetentionCandidate> list = List.of(
        at("fri", "2026-01-02T02:00:00Z"), at("wed", "2025-12-31T02:00:00Z"), at("sun", "2025-12-28T02:00:00Z"));
    PrunePlan plan = Retention.plan(list, RetentionPolicy.builder().keepWeekly(2).build(), NOW);
    assertThat(keptIds(plan)).containsExactly("fri", "sun");
    assertThat(plan.remove()).extracting(PrunePlan.Removed::id).containsExactly("wed");
  }

  @Test
  void weeksStartOnMonday() {
    // Sunday 23:00 and Monday 01:00 are two weeks, Monday 01:00 and Sunday 22:00 one.
    List<RetentionCandidate> list = List.of(
        at("sun2", "2026-03-15T22:00:00Z"), at("mon", "2026-03-09T01:00:00Z"), at("sun1", "2026-03-08T23:00:00Z"),
        at("sat", "2026-03-07T12:00:00Z"));
    PrunePlan plan = Retention.plan(list, RetentionPolicy.builder().keepWeekly(2).build(), NOW);
    assertThat(keptIds(plan)).containsExactly("sun2", "sun1");
  }

  @Test
  void periodsAreUtcWhateverTheMachinesZone() {
    List<RetentionCandidate> list = List.of(
        at("late", "2026-03-09T23:30:00Z"), at("early", "2026-03-09T00:30:00Z"), at("before", "2026-03-08T12:00:00Z"));
    TimeZone original = TimeZone.getDefault();
    try {
      // At UTC+14 "late" is already 03-10 and "early" still 03-09: a local-zone day would keep all three.
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
      PrunePlan plan = Retention.plan(list, RetentionPolicy.builder().keepDaily(2).build(), NOW);
      assertThat(keptIds(plan)).containsExactly("late", "before");
    } finally {
      TimeZone.setDefault(original);
    }
  }

  @Test
  void hoursAndMonthsAndYearsAreCalendarPeriods() {
    List<RetentionCandidate> list = List.of(
        at("h10b", "2026-03-09T10:59:59Z"), at("h10a", "2026-03-09T10:00:00Z"), at("h09", "2026-03-09T09:59:59Z"));
    assertThat(keptIds(Retention.plan(list, RetentionPolicy.builder().keepHourly(2).build(), NOW)))
        .containsExactly("h10b", "h09");

    List<RetentionCandidate> months = List.of(
        at("apr", "2026-04-01T00:00:00Z"), at("mar-end", "2026-03-31T23:59:59Z"), at("mar", "2026-03-01T00:00:00Z"),
        at("feb", "2026-02-28T23:59:59Z"));
    assertThat(keptIds(Retention.plan(months, RetentionPolicy.builder().keepMonthly(3).build(), NOW)))
        .containsExactly("apr", "mar-end", "feb");

    List<RetentionCandidate> years = List.of(
        at("y27", "2027-01-01T00:00:00Z"), at("y26b", "2026-12-31T23:59:59Z"), at("y26a", "2026-01-01T00:00:00Z"),
        at("y25", "2025-12-31T23:59:59Z"));
    assertThat(keptIds(Retention.plan(years, RetentionPolicy.builder().keepYearly(2).build(), NOW)))
        .containsExactly("y27", "y26b");
  }

  @Test
  void nCountsPeriodsThatHaveSnapshotsNotCalendarPeriods() {
    // Gaps of a week between snapshots: keep-daily 3 reaches back three weeks.
    List<RetentionCandidate> list = List.of(
        at("a", "2026-03-22T02:00:00Z"), at("b", "2026-03-15T02:00:00Z"), at("c", "2026-03-08T02:00:00Z"),
        at("d", "2026-03-01T02:00:00Z"), at("e", "2026-02-22T02:00:00Z"));
    assertThat(keptIds(Retention.plan(list, RetentionPolicy.builder().keepDaily(3).build(), NOW)))
        .containsExactly("a", "b", "c");
  }

  @Test
  void aRuleWithCountLeftKeepsTheOldestToo() {
    List<RetentionCandidate> list = List.of(
        at("new", "2026-03-10T20:00:00Z"), at("mid", "2026-03-10T12:00:00Z"), at("old", "2026-03-10T02:00:00Z"));
    PrunePlan plan = Retention.plan(list, RetentionPolicy.builder().keepDaily(5).build(), NOW);
    assertThat(keptIds(plan)).containsExactly("new", "old");
    assertThat(plan.keep().get(1).reasons()).containsExactly("oldest daily snapshot");
    // With the count used up it does not.
    assertThat(keptIds(Retention.plan(list, RetentionPolicy.builder().keepDaily(1).build(), NOW)))
        .containsExactly("new");
  }

  @Test
  void keepWithinIsMeasuredFromTheNewestSnapshotNotFromNow() {
    // The newest backup is a year old (backups stopped): keep-within 2d must not remove everything.
    List<RetentionCandidate> list = List.of(
        at("newest", "2025-03-10T02:00:00Z"), at("day-1", "2025-03-09T02:00:00Z"), at("just-in", "2025-03-08T02:00:01Z"),
        at("exactly-2d", "2025-03-08T02:00:00Z"), at("older", "2025-03-01T02:00:00Z"));
    PrunePlan plan = Retention.plan(list, RetentionPolicy.builder().keepWithin(Duration.ofDays(2)).build(),
        Instant.parse("2026-03-10T00:00:00Z"));
    assertThat(keptIds(plan)).containsExactly("newest", "day-1", "just-in");
    assertThat(plan.keep().get(1).reasons()).containsExactly("within 2d");
    assertThat(plan.remove()).extracting(PrunePlan.Removed::id).containsExactly("exactly-2d", "older");
  }

  @Test
  void snapshotsFromTheFutureAreIgnoredWhenFindingTheNewestAndAreKeptByKeepWithin() {
    Instant now = Instant.parse("2026-03-10T12:00:00Z");
    List<RetentionCandidate> list = List.of(
        at("future", "2026-06-01T00:00:00Z"), at("at-now", "2026-03-10T12:00:00Z"),
        at("newest-past", "2026-03-10T02:00:00Z"), at("hour-before", "2026-03-10T01:30:00Z"),
        at("old", "2026-03-01T00:00:00Z"));
    PrunePlan plan = Retention.plan(list, RetentionPolicy.builder().keepWithin(Duration.ofHours(1)).build(), now);
    // Measured from 02:00 (a snapshot taken exactly now is not "before now", as in restic).
    assertThat(keptIds(plan)).containsExactly("future", "at-now", "newest-past", "hour-before");

    // All from the future: restic measures from its zero time, which keeps everything.
    PrunePlan allFuture = Retention.plan(List.of(at("f1", "2026-06-01T00:00:00Z"), at("f2", "2026-05-01T00:00:00Z")),
        RetentionPolicy.builder().keepWithin(Duration.ofHours(1)).build(), now);
    assertThat(keptIds(allFuture)).containsExactly("f1", "f2");
  }

  @Test
  void aHugeKeepWithinKeepsEverythingInsteadOfFailing() {
    List<RetentionCandidate> list = List.of(at("a", "2026-03-10T02:00:00Z"), at("b", "1970-01-01T00:00:00Z"));
    PrunePlan plan = Retention.plan(list, RetentionPolicy.builder().keepWithin(Duration.ofSeconds(Long.MAX_VALUE)).build(), NOW);
    assertThat(keptIds(plan)).containsExactly("a", "b");
  }

  @Test
  void equalTimesAreOrderedByIdWhateverTheInputOrder() {
    List<RetentionCandidate> list = new ArrayList<>(List.of(
        at("b", "2026-03-10T02:00:00Z"), at("a", "2026-03-10T02:00:00Z"), at("c", "2026-03-10T02:00:00Z")));
    RetentionPolicy policy = RetentionPolicy.builder().keepLast(1).build();
    PrunePlan first = Retention.plan(list, policy, NOW);
    Collections.reverse(list);
    PrunePlan second = Retention.plan(list, policy, NOW);
    assertThat(first).isEqualTo(second);
    assertThat(keptIds(first)).containsExactly("a");
    assertThat(first.remove()).extracting(PrunePlan.Removed::id).containsExactly("b", "c");
  }

  @Test
  void anEmptyStoreHasAnEmptyPlan() {
    PrunePlan plan = Retention.plan(List.of(), RetentionPolicy.builder().keepLast(3).build(), NOW);
    assertThat(plan.keep()).isEmpty();
    assertThat(plan.remove()).isEmpty();
    assertThat(plan.damaged()).isEmpty();
  }
}
