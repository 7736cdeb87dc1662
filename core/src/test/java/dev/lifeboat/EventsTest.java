package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.LifeboatEvent.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listeners hear every backup, restore and verification start and end, with ids, timings and redacted errors. */
class EventsTest {
  private static final String SECRET = "Ev3nts-Secret";

  @TempDir
  Path dir;

  private final List<LifeboatEvent> events = new CopyOnWriteArrayList<>();
  private Lifeboat lifeboat;
  private String target;

  @BeforeEach
  void start() {
    FakeProvider.reset();
    lifeboat = Lifeboat.builder()
        .listener(e -> {
          throw new IllegalStateException("a broken listener");
        })
        .listener(events::add)
        .build();
    target = "file:" + dir.resolve("backups");
  }

  @AfterEach
  void stop() {
    lifeboat.close();
  }

  @Test
  void eachOperationIsReportedWhenItStartsAndWhenItSucceeds() {
    Snapshot s = lifeboat.backup(BackupRequest.builder("fake://db.local/shop", target).build());
    lifeboat.restore(RestoreRequest.builder(target, "latest", "fake://db.local/copy").build());
    lifeboat.verify(VerifyRequest.builder(target, s.id()).build());

    assertThat(events).extracting(LifeboatEvent::operation, LifeboatEvent::phase).containsExactly(
        org.assertj.core.groups.Tuple.tuple("backup", Phase.STARTED), org.assertj.core.groups.Tuple.tuple("backup", Phase.SUCCEEDED),
        org.assertj.core.groups.Tuple.tuple("restore", Phase.STARTED), org.assertj.core.groups.Tuple.tuple("restore", Phase.SUCCEEDED),
        org.assertj.core.groups.Tuple.tuple("verify", Phase.STARTED), org.assertj.core.groups.Tuple.tuple("verify", Phase.SUCCEEDED));
    assertThat(events).filteredOn(e -> e.phase() == Phase.STARTED).allSatisfy(e -> {
      assertThat(e.snapshotId()).isNull();
      assertThat(e.elapsed()).isEqualTo(Duration.ZERO);
    });
    assertThat(events).filteredOn(e -> e.phase() == Phase.SUCCEEDED).allSatisfy(e -> {
      assertThat(e.snapshotId()).as("the restore named 'latest' reports the id it restored").isEqualTo(s.id());
      assertThat(e.elapsed()).isPositive();
      assertThat(e.error()).isNull();
    });
    assertThat(events).allSatisfy(e -> assertThat(e.target()).isEqualTo(target));
  }

  @Test
  void aFailureIsReportedWithTheRedactedErrorAndStillThrown() {
    String secretTarget = "file:" + dir.resolve("backups");
    Snapshot s = lifeboat.backup(BackupRequest.builder("fake://db.local/shop", secretTarget).build());
    events.clear();

    assertThatThrownBy(() -> lifeboat.backup(BackupRequest.builder("fake://app:" + SECRET + "@db.local/shop?fail=finish", target).build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_FAILED));
    assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder(target, s.id(), "nosuch://db/x").build()))
        .isInstanceOf(LifeboatException.class);

    assertThat(events).extracting(LifeboatEvent::phase).containsExactly(Phase.STARTED, Phase.FAILED, Phase.STARTED, Phase.FAILED);
    LifeboatEvent backupFailed = events.get(1);
    assertThat(backupFailed.snapshotId()).isNull();
    assertThat(backupFailed.error()).contains("failed on purpose").doesNotContain(SECRET);
    LifeboatEvent restoreFailed = events.get(3);
    assertThat(restoreFailed.snapshotId()).as("known once the snapshot was found").isEqualTo(s.id());
    assertThat(restoreFailed.error()).contains("nosuch");
  }

  @Test
  void startAndEndShareARunIdAndTheEndCarriesTheResultsFactsAndTheRedactedDatabase() {
    Snapshot s = lifeboat.backup(BackupRequest.builder("fake://app:" + SECRET + "@db.local/shop", target).build());
    lifeboat.verify(VerifyRequest.builder(target, s.id()).build());

    LifeboatEvent started = events.get(0);
    LifeboatEvent succeeded = events.get(1);
    assertThat(started.runId()).isNotBlank().isEqualTo(succeeded.runId());
    assertThat(events.get(2).runId()).as("each operation has its own run id").isNotEqualTo(started.runId());
    assertThat(started.database()).isEqualTo("fake://app@db.local/shop");
    assertThat(started.data()).isEmpty();
    assertThat(succeeded.data())
        .containsEntry(LifeboatEvent.Data.BYTES, s.manifest().size())
        .containsEntry(LifeboatEvent.Data.ITEMS, s.manifest().inventory().totalCount())
        .containsEntry(LifeboatEvent.Data.FORMAT, s.manifest().format());
    assertThat(events.get(3).data()).containsEntry(LifeboatEvent.Data.PASSED, true).containsEntry(LifeboatEvent.Data.FAILED_CHECKS, 0);
    assertThat(events.get(3).database()).as("a verification without a destination reads no database").isNull();
    assertThat(events.get(3).passed()).isTrue();
  }

  @Test
  void eventDataIsImmutableRedactedAndOnlyPlainValues() {
    java.util.Map<String, Object> data = new java.util.HashMap<>();
    data.put("note", "password " + SECRET);
    Redactor.register(SECRET);
    LifeboatEvent e = new LifeboatEvent("r", "backup", Phase.SUCCEEDED, null, "file:/b", null,
        java.time.Instant.EPOCH, Duration.ZERO, null, data);
    data.put("later", 1);

    assertThat(e.data()).containsOnlyKeys("note");
    assertThat((String) e.data().get("note")).doesNotContain(SECRET);
    assertThatThrownBy(() -> e.data().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new LifeboatEvent("r", "backup", Phase.SUCCEEDED, null, "file:/b", null,
        java.time.Instant.EPOCH, Duration.ZERO, null, java.util.Map.of("list", java.util.List.of(1))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
