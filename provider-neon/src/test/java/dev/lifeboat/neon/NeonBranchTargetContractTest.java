package dev.lifeboat.neon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Lifeboat;
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
 * The properties of {@code dev.lifeboat.tck.SnapshotTargetContract} that make sense for a
 * platform's own snapshots, checked for {@code neon://P}. The TCK class itself does not apply: it
 * stores archive bytes and reads them back, and a Neon project is a
 * {@link dev.lifeboat.spi.NativeSnapshots}, which holds branches, not bytes (it has no
 * {@code create()} or {@code open()} to call). The same guarantees for branches follow.
 */
class NeonBranchTargetContractTest extends NeonApiTest {
  private static final Location MAIN = Location.parse("neon://" + PROJECT + "/main");

  private NeonNativeSnapshots target(Clock clock) {
    return (NeonNativeSnapshots) new NeonProvider().nativeSnapshots(Location.parse("neon://" + PROJECT),
        context(settings(), secrets(), clock)).orElseThrow();
  }

  private NeonNativeSnapshots target() {
    return target(clock());
  }

  @Test
  void aNewTargetListsNothing() {
    assertThat(target().list()).isEmpty();
    assertThat(target().get(SnapshotIds.next(fake.now))).isEmpty();
  }

  @Test
  void aCommittedSnapshotIsListedAndGetReturnsTheSameManifest() {
    NeonNativeSnapshots t = target();
    Snapshot committed = t.take(MAIN, SnapshotIds.next(fake.now), null, Map.of("reason", "contract"));
    assertThat(t.list()).extracting(Snapshot::id).containsExactly(committed.id());
    assertThat(t.get(committed.id()).orElseThrow().manifest()).isEqualTo(committed.manifest());
    assertThat(committed.manifest().labels()).containsEntry("reason", "contract");
    assertThat(committed.manifest().size()).isZero();
    assertThat(committed.manifest().sha256()).isNull();
  }

  @Test
  void listIsInTimeOrderAndIdsSortTheSameWay() {
    Instant t0 = fake.now;
    Snapshot a = target(Clock.fixed(t0, ZoneOffset.UTC)).take(MAIN, "a", null, Map.of());
    Snapshot b = target(Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC)).take(MAIN, "b", null, Map.of());
    Snapshot c = target(Clock.fixed(t0.plusSeconds(3600), ZoneOffset.UTC)).take(MAIN, "c", null, Map.of());
    assertThat(target().list()).extracting(Snapshot::id).containsExactly(a.id(), b.id(), c.id()).isSorted();
  }

  @Test
  void deleteRemovesTheSnapshotAndUnknownIdsAreNotFound() {
    NeonNativeSnapshots t = target();
    Snapshot keep = t.take(MAIN, "keep", null, Map.of());
    Snapshot doomed = target(Clock.fixed(fake.now.plusSeconds(1), ZoneOffset.UTC)).take(MAIN, "doomed", null, Map.of());
    t.delete(doomed.id());
    assertThat(t.get(doomed.id())).isEmpty();
    assertThat(t.list()).extracting(Snapshot::id).containsExactly(keep.id());
    assertThatThrownBy(() -> t.delete(doomed.id())).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(t.get("backup-19700101T000000Z")).isEmpty();
  }

  @Test
  void aDumpCannotBeStoredAmongTheBranchesAndNothingIsListedForIt() {
    NeonNativeSnapshots t = target();
    Snapshot s = t.take(MAIN, "x", null, Map.of());
    try (Lifeboat lifeboat = Lifeboat.builder().settings(settings()).secrets(secrets()).clock(clock()).build()) {
      assertThatThrownBy(() -> lifeboat.backup(BackupRequest.builder("postgresql://postgres@localhost:1/db", "neon://" + PROJECT).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED));
      assertThat(lifeboat.list("neon://" + PROJECT)).extracting(Snapshot::id).containsExactly(s.id());
    }
    assertThat(t.list()).extracting(Snapshot::id).containsExactly(s.id());
  }
}
