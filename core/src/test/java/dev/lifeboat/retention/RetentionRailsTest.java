package dev.lifeboat.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import dev.lifeboat.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Lifeboat adds to restic's rules: snapshots a policy never removes, and policies it refuses. */
class RetentionRailsTest {
  private static final Instant NOW = Instant.parse("2026-03-20T00:00:00Z");
  private static final RetentionPolicy LAST_ONE = RetentionPolicy.builder().keepLast(1).build();

  /** Ten daily snapshots, 03-01 (d01) to 03-10 (d10), at 02:00 UTC. */
  private static List<RetentionCandidate> tenDays() {
    List<RetentionCandidate> list = new ArrayList<>();
    for (int day = 1; day <= 10; day++) {
      list.add(RetentionCandidate.of(String.format("d%02d", day), Instant.parse(String.format("2026-03-%02dT02:00:00Z", day))));
    }
    return list;
  }

  private static List<RetentionCandidate> replace(List<RetentionCandidate> list, RetentionCandidate changed) {
    List<RetentionCandidate> out = new ArrayList<>(list);
    out.replaceAll(c -> c.id().equals(changed.id()) ? changed : c);
    return out;
  }

  private static PrunePlan.Kept kept(PrunePlan plan, String id) {
    return plan.keep().stream().filter(k -> k.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError(id + " was not kept: " + plan));
  }

  private static List<String> removedIds(PrunePlan plan) {
    return plan.remove().stream().map(PrunePlan.Removed::id).toList();
  }

  @Test
  void theNewestSnapshotIsAlwaysKeptAndSaysSo() {
    PrunePlan plan = Retention.plan(tenDays(), LAST_ONE, NOW);
    assertThat(kept(plan, "d10").reasons()).containsExactly("last snapshot", Retention.NEWEST);
    assertThat(plan.keep()).hasSize(1);
    assertThat(removedIds(plan)).hasSize(9).doesNotContain("d10");

    // Also when the newest is from the future (a skewed clock) and keep-within measures from the one before.
    List<RetentionCandidate> withFuture = new ArrayList<>(tenDays());
    withFuture.add(RetentionCandidate.of("future", Instant.parse("2027-01-01T00:00:00Z")));
    PrunePlan skewed = Retention.plan(withFuture, RetentionPolicy.builder().keepWithin(Duration.ofHours(1)).build(), NOW);
    assertThat(kept(skewed, "future").reasons()).containsExactly("within 1h", Retention.NEWEST);
    assertThat(kept(skewed, "d10").reasons()).containsExactly("within 1h");
    assertThat(skewed.keep()).hasSize(2);
  }

  @Test
  void theNewestProvenSnapshotIsKeptButOnlyTheNewestOne() {
    List<RetentionCandidate> list = replace(replace(tenDays(),
        RetentionCandidate.of("d03", Instant.parse("2026-03-03T02:00:00Z")).withDrillPassed(true)),
        RetentionCandidate.of("d06", Instant.parse("2026-03-06T02:00:00Z")).withDrillPassed(true));

    PrunePlan plan = Retention.plan(list, LAST_ONE, NOW);

    assertThat(kept(plan, "d06").reasons()).containsExactly(Retention.NEWEST_PROVEN);
    assertThat(removedIds(plan)).contains("d03"); // an older proof is not the newest proof
    assertThat(plan.keep()).extracting(PrunePlan.Kept::id).containsExactly("d10", "d06");
  }

  @Test
  void aDamagedSnapshotsDrillDoesNotCountAsProof() {
    List<RetentionCandidate> list = replace(replace(tenDays(),
        RetentionCandidate.of("d03", Instant.parse("2026-03-03T02:00:00Z")).withDrillPassed(true)),
        RetentionCandidate.of("d06", Instant.parse("2026-03-06T02:00:00Z")).withDrillPassed(true)
            .withDamage("archive missing"));

    PrunePlan plan = Retention.plan(list, LAST_ONE, NOW);

    assertThat(kept(plan, "d03").reasons()).containsExactly(Retention.NEWEST_PROVEN);
  }

  @Test
  void damagedSnapshotsAreNeverRemovedNorCountedButReported() {
    // d10 is damaged: the newest intact snapshot (d09) takes its place for every rule and rail.
    List<RetentionCandidate> list = new ArrayList<>(replace(tenDays(),
        RetentionCandidate.of("d10", Instant.parse("2026-03-10T02:00:00Z")).withDamage("manifest seal broken")));
    // A damaged snapshot later on d09's day must not take d09's daily slot either.
    list.add(RetentionCandidate.of("d09-late", Instant.parse("2026-03-09T23:00:00Z")).withDamage("archive missing"));
    // One whose time is unknown (its manifest is unreadable and its id holds no time).
    list.add(new RetentionCandidate("garbled", null, Map.of(), "manifest unreadable", false));

    PrunePlan plan = Retention.plan(list, RetentionPolicy.builder().keepDaily(2).build(), NOW);

    assertThat(plan.keep()).extracting(PrunePlan.Kept::id).containsExactly("d09", "d08");
    assertThat(kept(plan, "d09").reasons()).containsExactly("daily snapshot", Retention.NEWEST);
    assertThat(removedIds(plan)).containsExactly("d07", "d06", "d05", "d04", "d03", "d02", "d01");
    assertThat(plan.damaged()).containsExactly(
        new PrunePlan.Damaged("d09-late", Instant.parse("2026-03-09T23:00:00Z"), "archive missing"),
        new PrunePlan.Damaged("d10", Instant.parse("2026-03-10T02:00:00Z"), "manifest seal broken"),
        new PrunePlan.Damaged("garbled", null, "manifest unreadable"));
  }

  @Test
  void snapshotsLabelledKeepForeverAreNeverRemoved() {
    List<RetentionCandidate> list = replace(replace(replace(tenDays(),
        RetentionCandidate.of("d01", Instant.parse("2026-03-01T02:00:00Z")).withLabels(Map.of("keep", "forever"))),
        RetentionCandidate.of("d02", Instant.parse("2026-03-02T02:00:00Z")).withLabels(Map.of("keep", " Forever "))),
        RetentionCandidate.of("d03", Instant.parse("2026-03-03T02:00:00Z")).withLabels(Map.of("keep", "30d", "forever", "keep")));

    PrunePlan plan = Retention.plan(list, LAST_ONE, NOW);

    assertThat(kept(plan, "d01").reasons()).containsExactly(Retention.PINNED);
    assertThat(kept(plan, "d02").reasons()).containsExactly(Retention.PINNED);
    assertThat(removedIds(plan)).contains("d03"); // only keep=forever pins
    // A pinned snapshot still counts for the rules like any other, as restic's kept tags do.
    PrunePlan daily = Retention.plan(replace(tenDays(),
        RetentionCandidate.of("d10", Instant.parse("2026-03-10T02:00:00Z")).withLabels(Map.of("keep", "forever"))),
        RetentionPolicy.builder().keepDaily(1).build(), NOW);
    assertThat(kept(daily, "d10").reasons()).containsExactly("daily snapshot", Retention.NEWEST, Retention.PINNED);
    assertThat(daily.keep()).hasSize(1);
  }

  @Test
  void aPolicyWithoutRulesIsRefusedAndNamesTheRules() {
    for (RetentionPolicy empty : List.of(RetentionPolicy.builder().build(),
        RetentionPolicy.builder().keepDaily(0).keepWithin(Duration.ZERO).build())) {
      assertThat(empty.isEmpty()).isTrue();
      assertThatThrownBy(() -> Retention.plan(tenDays(), empty, NOW))
          .isInstanceOf(LifeboatException.class)
          .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION))
          .satisfies(e -> assertThat(((LifeboatException) e).code().exitStatus()).isEqualTo(2))
          .hasMessageContaining("at least one keep rule")
          .hasMessageContaining("--keep-last").hasMessageContaining("--keep-hourly").hasMessageContaining("--keep-daily")
          .hasMessageContaining("--keep-weekly").hasMessageContaining("--keep-monthly")
          .hasMessageContaining("--keep-yearly").hasMessageContaining("--keep-within");
    }
    // Refused also when there is nothing to remove: the mistake is in the command, not the store.
    assertThatThrownBy(() -> Retention.plan(List.of(), RetentionPolicy.builder().build(), NOW))
        .isInstanceOf(LifeboatException.class);
  }

  @Test
  void countsBelowUnlimitedAndNegativeDurationsAreRefused() {
    assertThatThrownBy(() -> RetentionPolicy.builder().keepWeekly(-2).build())
        .isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessageContaining("keep-weekly").hasMessageContaining("-1 for all").hasMessageContaining("-2");
    assertThatThrownBy(() -> RetentionPolicy.builder().keepWithin(Duration.ofDays(-1)).build())
        .isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessageContaining("keep-within").hasMessageContaining("-1d");
    assertThat(RetentionPolicy.builder().keepMonthly(RetentionPolicy.UNLIMITED).build().isEmpty()).isFalse();
    assertThat(RetentionPolicy.builder().keepWithin(Duration.ofHours(2)).build().isEmpty()).isFalse();
  }

  @Test
  void theSameIdTwiceIsAProgrammingError() {
    List<RetentionCandidate> list = new ArrayList<>(tenDays());
    list.add(RetentionCandidate.of("d01", Instant.parse("2026-04-01T00:00:00Z")));
    assertThatThrownBy(() -> Retention.plan(list, LAST_ONE, NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("d01");
  }

  @Test
  void aListedSnapshotBecomesACandidateWithItsLabelsAndDamage() {
    Manifest m = Manifest.builder().id("20260301T020000.000Z-0000abcd").format("pg-custom")
        .createdAt(Instant.parse("2026-03-01T02:00:00Z")).label("keep", "forever").build();
    RetentionCandidate intact = RetentionCandidate.from(new Snapshot("/backups", m), true);
    assertThat(intact.id()).isEqualTo("20260301T020000.000Z-0000abcd");
    assertThat(intact.createdAt()).isEqualTo(Instant.parse("2026-03-01T02:00:00Z"));
    assertThat(intact.isPinned()).isTrue();
    assertThat(intact.isDamaged()).isFalse();
    assertThat(intact.drillPassed()).isTrue();

    RetentionCandidate damaged = RetentionCandidate.from(
        Snapshot.damaged("/backups", "20260302T020000.000Z-0000abce", "manifest unreadable"), false);
    assertThat(damaged.isDamaged()).isTrue();
    assertThat(damaged.damage()).isEqualTo("manifest unreadable");
    assertThat(damaged.createdAt()).isEqualTo(Instant.parse("2026-03-02T02:00:00Z"));
  }

  @Test
  void thePolicyReadsAsASentence() {
    assertThat(RetentionPolicy.builder().keepDaily(7).keepWeekly(4).keepYearly(RetentionPolicy.UNLIMITED)
        .keepWithin(Duration.ofDays(2)).build())
        .hasToString("keep 7 daily, 4 weekly, all yearly snapshots and all snapshots within 2d of the newest");
    assertThat(RetentionPolicy.builder().build()).hasToString("no keep rule");
    assertThat(RetentionPolicy.builder().keepLast(1).build()).hasToString("keep 1 last snapshot");
    assertThat(RetentionPolicy.builder().keepLast(2).build()).hasToString("keep 2 last snapshots");
  }
}
