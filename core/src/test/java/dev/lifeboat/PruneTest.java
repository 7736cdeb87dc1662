package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.retention.PrunePlan;
import dev.lifeboat.retention.Retention;
import dev.lifeboat.retention.RetentionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Lifeboat#prune} on a file target filled with snapshots of known times, and on native snapshots. */
class PruneTest {
  private static final String SOURCE = "fake://db.local/shop?rows=5";
  /** A Sunday; 30 daily backups at 02:00 run from here to Monday 2026-03-02. */
  private static final Instant FIRST = Instant.parse("2026-02-01T02:00:00Z");

  @TempDir Path dir;
  private final SteppingClock clock = new SteppingClock(FIRST);
  private final NativeFakeProvider platform = new NativeFakeProvider();
  private final List<LifeboatEvent> events = new CopyOnWriteArrayList<>();
  private Lifeboat lifeboat;
  private String target;

  @BeforeEach
  void start() {
    lifeboat = Lifeboat.builder().clock(clock).provider(platform).listener(events::add).build();
    target = "file:" + dir.resolve("backups");
  }

  @AfterEach
  void stop() {
    lifeboat.close();
  }

  private List<Snapshot> dailyBackups(int days, Map<String, String> labelsOnFirst) {
    List<Snapshot> taken = new ArrayList<>();
    for (int day = 0; day < days; day++) {
      clock.set(FIRST.plus(Duration.ofDays(day)));
      BackupRequest.Builder b = BackupRequest.builder(SOURCE, target);
      if (day == 0) {
        labelsOnFirst.forEach(b::label);
      }
      taken.add(lifeboat.backup(b.build()));
    }
    clock.set(FIRST.plus(Duration.ofDays(days)));
    return taken;
  }

  private List<String> ids() {
    return lifeboat.list(target).stream().map(Snapshot::id).toList();
  }

  private static RetentionPolicy sevenDailyFourWeekly() {
    return RetentionPolicy.builder().keepDaily(7).keepWeekly(4).build();
  }

  @Test
  void deletesWhatThePolicyRemovesAndKeepsTheRestWithReasons() {
    List<Snapshot> taken = dailyBackups(30, Map.of());

    PruneResult result = lifeboat.prune(PruneRequest.builder(target, sevenDailyFourWeekly()).build());

    // 7 newest days (02-24 … 03-02) plus the newest of the three ISO weeks before them that the
    // newest days did not cover: Sundays 03-01 (already daily), 02-22 and 02-15.
    List<String> expected = Stream.of("2026-02-15", "2026-02-22", "2026-02-24", "2026-02-25", "2026-02-26",
        "2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02")
        .map(d -> taken.stream().filter(s -> s.createdAt().toString().startsWith(d)).findFirst().orElseThrow().id())
        .toList();
    assertThat(ids()).containsExactlyElementsOf(expected);
    assertThat(result.dryRun()).isFalse();
    assertThat(result.succeeded()).isTrue();
    assertThat(result.deleted()).hasSize(21).doesNotContainAnyElementsOf(expected);
    assertThat(result.plan().keep()).extracting(PrunePlan.Kept::id).containsExactlyElementsOf(newestFirst(expected));
    assertThat(result.plan().keep().get(0).reasons()).containsExactly("daily snapshot", "weekly snapshot", Retention.NEWEST);
    assertThat(result.plan().keep().get(8).reasons()).containsExactly("weekly snapshot");
    assertThat(events).extracting(e -> e.operation() + " " + e.phase()).contains("prune STARTED", "prune SUCCEEDED");

    PruneResult again = lifeboat.prune(PruneRequest.builder(target, sevenDailyFourWeekly()).build());
    assertThat(again.deleted()).as("pruning twice removes nothing more").isEmpty();
  }

  @Test
  void aSnapshotAnOverlappingPruneRemovedFirstIsNoFailure() {
    dailyBackups(10, Map.of());
    PruneRequest request = PruneRequest.builder(target, RetentionPolicy.builder().keepLast(3).build()).build();
    // The other prune (the previous cron run, still going) deletes what it planned while this
    // one is between its listing and its deletions: at this prune's first look at the time
    // after it started, which is when it plans.
    AtomicReference<Runnable> onNextTick = new AtomicReference<>();
    Clock overlapping = new Clock() {
      @Override public ZoneId getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(ZoneId zone) { return this; }
      @Override public Instant instant() {
        Runnable other = onNextTick.getAndSet(null);
        if (other != null) {
          other.run();
        }
        return clock.instant();
      }
    };
    List<PruneResult> others = new ArrayList<>();
    try (Lifeboat other = Lifeboat.builder().clock(clock).provider(platform).build();
         Lifeboat late = Lifeboat.builder().clock(overlapping).provider(platform).listener(e -> {
           if (e.phase() == LifeboatEvent.Phase.STARTED) {
             onNextTick.set(() -> others.add(other.prune(request)));
           }
         }).build()) {
      PruneResult result = late.prune(request);

      assertThat(others).singleElement().satisfies(o -> assertThat(o.deleted()).hasSize(7));
      assertThat(result.plan().remove()).hasSize(7);
      assertThat(result.failures()).isEmpty();
      assertThat(result.succeeded()).isTrue();
      assertThat(ids()).hasSize(3);
    }
  }

  @Test
  void dryRunDeletesNothingAndPlansWhatTheRealRunDoes() {
    dailyBackups(30, Map.of());
    List<String> before = ids();

    PruneResult dry = lifeboat.prune(PruneRequest.builder(target, sevenDailyFourWeekly()).dryRun().build());

    assertThat(ids()).isEqualTo(before);
    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.deleted()).isEmpty();
    assertThat(dry.plan().remove()).hasSize(21);
    PruneResult real = lifeboat.prune(PruneRequest.builder(target, sevenDailyFourWeekly()).build());
    assertThat(real.plan()).isEqualTo(dry.plan());
  }

  @Test
  void railsKeepTheNewestThePinnedTheProvenAndTheDamaged() throws IOException {
    List<Snapshot> taken = dailyBackups(6, Map.of("keep", "forever"));
    Snapshot pinned = taken.get(0);
    Snapshot proven = taken.get(2);
    Snapshot damaged = taken.get(3);
    deleteArchive(damaged);

    PruneResult result = lifeboat.prune(PruneRequest.builder(target, RetentionPolicy.builder().keepLast(1).build())
        .provenSnapshot(proven.id()).build());

    assertThat(ids()).containsExactly(pinned.id(), proven.id(), damaged.id(), taken.get(5).id());
    assertThat(result.plan().damaged()).extracting(PrunePlan.Damaged::id).containsExactly(damaged.id());
    assertThat(result.plan().keep()).extracting(k -> k.id() + " " + k.reasons()).containsExactly(
        taken.get(5).id() + " [last snapshot, " + Retention.NEWEST + "]",
        proven.id() + " [" + Retention.NEWEST_PROVEN + "]",
        pinned.id() + " [" + Retention.PINNED + "]");
    assertThat(result.deleted()).containsExactlyInAnyOrder(taken.get(1).id(), taken.get(4).id());
  }

  @Test
  void aPolicyWithoutRulesIsRefusedBeforeTheTargetIsRead() {
    dailyBackups(2, Map.of());
    assertThatThrownBy(() -> PruneRequest.builder(target, RetentionPolicy.builder().keepDaily(0).build()).build())
        .isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessageContaining("--keep-daily");
    assertThat(ids()).hasSize(2);
  }

  @Test
  void nativeSnapshotsArePrunedThroughTheirOwnDeleteAndAFailedDeletionDoesNotStopTheOthers() {
    for (int day = 0; day < 5; day++) {
      platform.add("backup-" + day, FIRST.plus(Duration.ofDays(day)));
    }
    platform.undeletable.add("backup-1");

    PruneResult result = lifeboat.prune(PruneRequest.builder("native-fake://project",
        RetentionPolicy.builder().keepLast(2).build()).build());

    assertThat(result.succeeded()).isFalse();
    assertThat(result.failures()).extracting(PruneResult.Failure::id).containsExactly("backup-1");
    assertThat(result.failures().get(0).message()).contains("locked");
    assertThat(result.deleted()).containsExactly("backup-2", "backup-0");
    assertThat(platform.snapshots).containsOnlyKeys("backup-1", "backup-3", "backup-4");
  }

  private static List<String> newestFirst(List<String> ids) {
    List<String> copy = new ArrayList<>(ids);
    java.util.Collections.reverse(copy);
    return copy;
  }

  @Test
  void aNativeSnapshotWithoutACreationTimeIsLeftAloneAsDamaged() {
    platform.add("backup-old", FIRST);
    platform.add("backup-undated", null);
    platform.add("backup-new", FIRST.plus(Duration.ofDays(1)));

    PruneResult result = lifeboat.prune(PruneRequest.builder("native-fake://project",
        RetentionPolicy.builder().keepLast(1).build()).build());

    assertThat(result.deleted()).containsExactly("backup-old");
    assertThat(result.plan().damaged()).extracting(PrunePlan.Damaged::id).containsExactly("backup-undated");
    assertThat(platform.snapshots).containsOnlyKeys("backup-undated", "backup-new");
  }

  private Path archiveOf(Snapshot s) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("backups").resolve(s.id()))) {
      return files.filter(p -> p.getFileName().toString().startsWith("archive")).findFirst().orElseThrow();
    }
  }

  private void deleteArchive(Snapshot s) throws IOException {
    Files.delete(archiveOf(s));
  }
}
