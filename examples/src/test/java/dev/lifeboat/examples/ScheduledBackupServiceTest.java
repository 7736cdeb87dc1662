package dev.lifeboat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.Lifeboat;
import dev.lifeboat.Location;
import dev.lifeboat.Snapshot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduled backup service against an embedded PostgreSQL. */
class ScheduledBackupServiceTest {
  static SampleDatabase db;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    db = SampleDatabase.start("bank", 50);
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @Test
  void takesLabelledBackupsOnASchedule() throws InterruptedException {
    String target = Location.of(dir).raw();
    ScheduledBackupService service;
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      service = new ScheduledBackupService(lifeboat, db.uri(), target, Map.of("app", "bank"), Duration.ofHours(1), Clock.systemUTC());
      try (service) {
        service.start(Duration.ZERO, Duration.ofMillis(100));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (service.runs() < 3 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      }
      List<Snapshot> snapshots = lifeboat.list(target);
      assertThat(service.runs()).isGreaterThanOrEqualTo(3);
      assertThat(service.failures()).isZero();
      assertThat(snapshots).hasSize((int) service.runs());
      assertThat(snapshots).allSatisfy(s -> assertThat(s.manifest().labels()).containsEntry("app", "bank"));
      Set<String> runLabels = snapshots.stream().map(s -> s.manifest().labels().get("run")).collect(Collectors.toSet());
      assertThat(runLabels).hasSize(snapshots.size()).contains("1", "2", "3");
      assertThat(snapshots).allSatisfy(s -> assertThat(s.manifest().inventory().find("public.accounts").orElseThrow().count()).isEqualTo(50));
      assertThat(service.lastSnapshotId()).contains(snapshots.get(snapshots.size() - 1).id());
      assertThat(service.healthy()).isTrue();
      assertThat(service.healthLine()).startsWith("OK  last good backup " + service.lastSnapshotId().orElseThrow()).contains("(limit 1h 0m)");
    }
  }

  @Test
  void healthLineTracksAgeAndFailures() {
    String target = Location.of(dir).raw();
    MovableClock clock = new MovableClock();
    try (Lifeboat lifeboat = Lifeboat.builder().build();
        ScheduledBackupService broken = new ScheduledBackupService(lifeboat, db.uri("no_such_db"), target, Map.of(),
            Duration.ofHours(1), clock);
        ScheduledBackupService good = new ScheduledBackupService(lifeboat, db.uri(), target, Map.of(), Duration.ofHours(1), clock)) {
      assertThat(broken.backupNow()).isEmpty();
      assertThat(broken.failures()).isEqualTo(1);
      assertThat(broken.healthy()).isFalse();
      assertThat(broken.healthLine()).startsWith("NO BACKUP  no good backup yet after 1 runs; last run failed: ").contains("no_such_db");

      Snapshot s = good.backupNow().orElseThrow();
      assertThat(good.healthLine()).startsWith("OK  last good backup " + s.id());
      clock.advance(Duration.ofMinutes(90));
      assertThat(good.healthy()).isFalse();
      assertThat(good.lastGoodAge().orElseThrow()).isGreaterThanOrEqualTo(Duration.ofMinutes(90));
      assertThat(good.healthLine()).startsWith("STALE  last good backup " + s.id() + " is 1h 30m old (limit 1h 0m)");
    }
  }

  /** A clock that runs with the system clock plus an offset tests can move. */
  static final class MovableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration d) {
      offset = offset.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }
  }
}
