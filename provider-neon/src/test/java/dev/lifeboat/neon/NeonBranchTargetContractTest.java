package dev.lifeboat.neon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotIds;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The properties of {@code dev.lifeboat.tck.SnapshotTargetContract} that make sense for a target
 * of branches, checked for {@code neon://P}. The TCK class itself cannot be run: every one of its
 * tests but {@code aNewTargetListsNothing} stores archive bytes through {@code create()} /
 * {@code PendingSnapshot} and reads them back through {@code open()} (byte-for-byte round trips,
 * empty archives, {@code localFile}, flipped bytes and {@code CHECKSUM_MISMATCH}, manifests with
 * archive sizes and SHA-256), and a branch target holds no bytes: {@code create()} and
 * {@code open()} are {@code UNSUPPORTED} by design. The same guarantees for branches follow.
 */
class NeonBranchTargetContractTest extends NeonApiTest {
  private static final Location MAIN = Location.parse("neon://" + PROJECT + "/main");

  private NeonSnapshotTarget target(Clock clock) {
    return (NeonSnapshotTarget) new NeonProvider().target(Location.parse("neon://" + PROJECT),
        context(settings(), secrets(), clock)).orElseThrow();
  }

  private NeonSnapshotTarget target() {
    return target(clock());
  }

  @Test
  void aNewTargetListsNothing() {
    assertThat(target().list()).isEmpty();
    assertThat(target().get(SnapshotIds.next(fake.now))).isEmpty();
  }

  @Test
  void aCommittedSnapshotIsListedAndGetReturnsTheSameManifest() {
    NeonSnapshotTarget t = target();
    Snapshot committed = t.snapshotNatively(MAIN, SnapshotIds.next(fake.now), null, Map.of("reason", "contract"));
    assertThat(t.list()).extracting(Snapshot::id).containsExactly(committed.id());
    assertThat(t.get(committed.id()).orElseThrow().manifest()).isEqualTo(committed.manifest());
    assertThat(committed.manifest().labels()).containsEntry("reason", "contract");
    assertThat(committed.manifest().size()).isZero();
    assertThat(committed.manifest().sha256()).isNull();
  }

  @Test
  void listIsInTimeOrderAndIdsSortTheSameWay() {
    Instant t0 = fake.now;
    Snapshot a = target(Clock.fixed(t0, ZoneOffset.UTC)).snapshotNatively(MAIN, "a", null, Map.of());
    Snapshot b = target(Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC)).snapshotNatively(MAIN, "b", null, Map.of());
    Snapshot c = target(Clock.fixed(t0.plusSeconds(3600), ZoneOffset.UTC)).snapshotNatively(MAIN, "c", null, Map.of());
    assertThat(target().list()).extracting(Snapshot::id).containsExactly(a.id(), b.id(), c.id()).isSorted();
  }

  @Test
  void deleteRemovesTheSnapshotAndUnknownIdsAreNotFound() {
    NeonSnapshotTarget t = target();
    Snapshot keep = t.snapshotNatively(MAIN, "keep", null, Map.of());
    Snapshot doomed = target(Clock.fixed(fake.now.plusSeconds(1), ZoneOffset.UTC)).snapshotNatively(MAIN, "doomed", null, Map.of());
    t.delete(doomed.id());
    assertThat(t.get(doomed.id())).isEmpty();
    assertThat(t.list()).extracting(Snapshot::id).containsExactly(keep.id());
    assertThatThrownBy(() -> t.delete(doomed.id())).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(t.get("backup-19700101T000000Z")).isEmpty();
  }

  @Test
  void readingBytesOrWritingAnArchiveIsUnsupportedNotSilentlyEmpty() {
    NeonSnapshotTarget t = target();
    Snapshot s = t.snapshotNatively(MAIN, "x", null, Map.of());
    assertThatThrownBy(() -> t.open(s.id())).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED));
    assertThat(t.localFile(s.id())).isEmpty();
    assertThatThrownBy(() -> t.create(SnapshotIds.next(fake.now), "archive.test")).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED));
    assertThat(t.list()).extracting(Snapshot::id).containsExactly(s.id());
  }
}
