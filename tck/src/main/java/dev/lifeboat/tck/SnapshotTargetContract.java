package dev.lifeboat.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.lifeboat.Column;
import dev.lifeboat.Compression;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Inventory;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.SnapshotKind;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of a {@link SnapshotTarget} that stores archive bytes. Core implements the target
 * over any {@link dev.lifeboat.spi.BlobStore} ({@link SnapshotTarget#over}); a storage provider
 * runs this contract over its store. Extend it in your store's test class and implement the hooks:
 *
 * <pre>{@code
 * class S3SnapshotTargetTest extends SnapshotTargetContract {
 *   protected SnapshotTarget newTarget() { return SnapshotTarget.over(S3BlobStore.open(Location.parse("s3://bucket/" + UUID.randomUUID()))); }
 *   protected void corruptStoredBytes(SnapshotTarget t, String id) { ... flip one byte of the stored object ... }
 *   protected void alterStoredManifest(SnapshotTarget t, String id) { ... change a count in the stored manifest ... }
 * }
 * }</pre>
 *
 * <p>What it checks: a committed snapshot is listed, intact, and reads back byte for byte with an
 * identical manifest; a changed byte is refused with {@link ErrorCode#CHECKSUM_MISMATCH}; a
 * snapshot whose stored manifest was changed is listed as damaged (never hidden), refused when
 * read, and can be deleted; a snapshot closed without commit, or abandoned because writing failed,
 * is never listed; {@code list} is sorted by id; two snapshots of the same millisecond both
 * succeed; {@code delete} removes; unknown ids are {@link ErrorCode#NOT_FOUND}.
 *
 * <p>Every test gets its own target from {@link #newTarget()} and closes it afterwards.
 */
@Timeout(120)
public abstract class SnapshotTargetContract {
  private static final Instant T0 = Instant.parse("2026-03-14T15:09:26.535Z");
  private final List<SnapshotTarget> opened = new ArrayList<>();

  /**
   * A new, empty target. Called once or more per test; each call must return a target that holds
   * no snapshots and that no other call shares (a fresh temporary folder, a new bucket prefix).
   * The contract closes it after the test.
   */
  protected abstract SnapshotTarget newTarget();

  /**
   * Changes exactly one byte of the stored archive bytes of snapshot {@code id} in {@code target}
   * (for example XOR the middle byte with {@code 0xFF}), going around the target's API, as disk
   * rot or a tampering hand would. The size and the manifest stay as they were.
   */
  protected abstract void corruptStoredBytes(SnapshotTarget target, String id);

  /**
   * Changes one fact in the stored manifest of snapshot {@code id} in {@code target} (for example
   * a count, the size or the archive's SHA-256) and leaves it well-formed, going around the
   * target's API, as a tampering hand would. The target must notice: a manifest protects itself
   * (the file target seals it with its own SHA-256).
   */
  protected abstract void alterStoredManifest(SnapshotTarget target, String id);

  /** A target from {@link #newTarget()} that is closed after the test. */
  protected final SnapshotTarget target() {
    SnapshotTarget t = newTarget();
    assertThat(t).as("newTarget()").isNotNull();
    opened.add(t);
    return t;
  }

  @AfterEach
  void closeTargets() {
    for (SnapshotTarget t : opened) {
      t.close();
    }
    opened.clear();
  }

  @Test
  void aNewTargetListsNothing() {
    SnapshotTarget t = target();
    assertThat(t.list()).isEmpty();
    assertThat(t.get(SnapshotIds.next(T0))).isEmpty();
  }

  @Test
  void aCommittedSnapshotIsListedAndReadsBackByteForByte() {
    SnapshotTarget t = target();
    byte[] data = bytes(3 * 1024 * 1024 + 17, 1);
    String id = SnapshotIds.next(T0);
    Snapshot committed = store(t, id, data, Map.of("reason", "contract"));

    assertThat(committed.id()).isEqualTo(id);
    assertThat(committed.isDamaged()).isFalse();
    assertThat(t.list()).extracting(Snapshot::id).containsExactly(id);
    assertThat(t.list()).singleElement().satisfies(s -> assertThat(s.isDamaged()).as("damaged: %s", s.damage()).isFalse());
    Snapshot got = t.get(id).orElseThrow(() -> new AssertionError("get(" + id + ") is empty after commit"));
    assertThat(got.manifest()).isEqualTo(committed.manifest());
    assertThat(got.manifest().size()).isEqualTo(data.length);
    assertThat(got.manifest().sha256()).isEqualTo(sha256(data));
    assertThat(got.manifest().labels()).containsEntry("reason", "contract");
    assertThat(readAll(t, id)).isEqualTo(data);
    // Reading twice gives the same bytes: open() starts from the beginning each time.
    assertThat(readAll(t, id)).isEqualTo(data);
  }

  @Test
  void theLocalFileHoldsTheStoredBytesWhenTheTargetHasOne() throws IOException {
    SnapshotTarget t = target();
    byte[] data = bytes(4096, 2);
    String id = SnapshotIds.next(T0);
    store(t, id, data, Map.of());
    Optional<Path> local = t.localFile(id);
    if (local.isPresent()) {
      assertThat(Files.readAllBytes(local.get())).isEqualTo(data);
    }
  }

  @Test
  void anEmptyArchiveRoundTrips() {
    SnapshotTarget t = target();
    String id = SnapshotIds.next(T0);
    store(t, id, new byte[0], Map.of());
    assertThat(t.get(id)).isPresent();
    assertThat(readAll(t, id)).isEmpty();
  }

  @Test
  void aFlippedByteIsRefusedWithChecksumMismatch() {
    SnapshotTarget t = target();
    byte[] data = bytes(256 * 1024, 3);
    String id = SnapshotIds.next(T0);
    store(t, id, data, Map.of());

    corruptStoredBytes(t, id);

    assertThat(t.list()).extracting(Snapshot::id).as("a corrupt snapshot is still listed; open() refuses it").contains(id);
    assertThatThrownBy(() -> readAll(t, id))
        .isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH))
        .hasMessageContaining(id);
  }

  @Test
  void aSnapshotWithAnAlteredManifestIsListedAsDamagedNotHiddenAndCanBeDeleted() {
    SnapshotTarget t = target();
    String older = SnapshotIds.next(T0);
    String altered = SnapshotIds.next(T0.plusSeconds(1));
    byte[] data = bytes(50_000, 16);
    store(t, older, bytes(1000, 17), Map.of());
    store(t, altered, data, Map.of());

    alterStoredManifest(t, altered);

    assertThat(t.list()).extracting(Snapshot::id).as("the altered snapshot is still listed").containsExactly(older, altered);
    assertThat(t.list()).extracting(Snapshot::isDamaged).containsExactly(false, true);
    Snapshot damaged = t.get(altered).orElseThrow(() -> new AssertionError("get(" + altered + ") is empty after its manifest was altered"));
    assertThat(damaged.isDamaged()).isTrue();
    assertThat(damaged.damage()).as("the reason").isNotBlank();
    assertThatThrownBy(() -> readAll(t, altered))
        .isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH))
        .hasMessageContaining(altered);
    assertThat(readAll(t, older)).as("the other snapshot is untouched").isEqualTo(bytes(1000, 17));

    t.delete(altered);
    assertThat(t.get(altered)).isEmpty();
    assertThat(t.list()).extracting(Snapshot::id).containsExactly(older);
  }

  @Test
  void aSnapshotClosedWithoutCommitIsNeverListed() {
    SnapshotTarget t = target();
    String id = SnapshotIds.next(T0);
    try (PendingSnapshot pending = t.create(id, "archive.test")) {
      write(pending.output(), bytes(100_000, 4));
      assertThat(t.list()).as("list() while the snapshot is being written").isEmpty();
      assertThat(t.get(id)).as("get() while the snapshot is being written").isEmpty();
    }
    assertThat(t.list()).isEmpty();
    assertThat(t.get(id)).isEmpty();
  }

  @Test
  void aWriteThatFailsHalfWayLeavesNothingListed() {
    SnapshotTarget t = target();
    String id = SnapshotIds.next(T0);
    assertThatThrownBy(() -> {
      try (PendingSnapshot pending = t.create(id, "archive.test")) {
        write(pending.output(), bytes(200_000, 5));
        throw new IllegalStateException("the dump broke half-way");
      }
    }).hasMessage("the dump broke half-way");
    assertThat(t.list()).isEmpty();
    assertThat(t.get(id)).isEmpty();

    // The same target still takes the next snapshot.
    String next = SnapshotIds.next(T0.plusSeconds(1));
    store(t, next, bytes(1000, 6), Map.of());
    assertThat(t.list()).extracting(Snapshot::id).containsExactly(next);
  }

  @Test
  void listIsSortedByIdWhateverTheOrderOfCommits() {
    SnapshotTarget t = target();
    String a = SnapshotIds.next(T0);
    String b = SnapshotIds.next(T0.plusSeconds(60));
    String c = SnapshotIds.next(T0.plusSeconds(3600));
    store(t, c, bytes(10, 7), Map.of());
    store(t, a, bytes(10, 8), Map.of());
    store(t, b, bytes(10, 9), Map.of());
    assertThat(t.list()).extracting(Snapshot::id).containsExactly(a, b, c);
  }

  @Test
  void latestIsTheLastOfListWhateverTheOrderOfCommits() {
    SnapshotTarget t = target();
    assertThat(t.latest()).as("latest() of an empty target").isEmpty();
    String a = SnapshotIds.next(T0);
    String b = SnapshotIds.next(T0.plusSeconds(60));
    store(t, b, bytes(10, 7), Map.of());
    store(t, a, bytes(10, 8), Map.of());
    assertThat(t.latest()).map(Snapshot::id).contains(b);
    assertThat(t.latest()).map(Snapshot::id).contains(t.list().get(t.list().size() - 1).id());
  }

  @Test
  void latestPassesOverAWriteInProgressButNotOverADamagedSnapshot() {
    SnapshotTarget t = target();
    String older = SnapshotIds.next(T0);
    String newer = SnapshotIds.next(T0.plusSeconds(1));
    String writing = SnapshotIds.next(T0.plusSeconds(2));
    store(t, older, bytes(1000, 17), Map.of());
    store(t, newer, bytes(1000, 18), Map.of());
    try (PendingSnapshot pending = t.create(writing, "archive.test")) {
      write(pending.output(), bytes(10_000, 19));
      assertThat(t.latest()).as("latest() while a newer snapshot is being written").map(Snapshot::id).contains(newer);
    }
    alterStoredManifest(t, newer);
    Snapshot latest = t.latest().orElseThrow(() -> new AssertionError("latest() is empty after a manifest was altered"));
    assertThat(latest.id()).as("latest() never falls back to an older snapshot").isEqualTo(newer);
    assertThat(latest.isDamaged()).isTrue();
  }

  @Test
  void twoSnapshotsOfTheSameMillisecondBothSucceed() {
    SnapshotTarget t = target();
    String first = SnapshotIds.next(T0);
    String second = SnapshotIds.next(T0);
    assertThat(first).isNotEqualTo(second);
    byte[] one = bytes(5000, 10);
    byte[] two = bytes(6000, 11);
    // Both are open at once, as two concurrent backups would be.
    try (PendingSnapshot p1 = t.create(first, "archive.test"); PendingSnapshot p2 = t.create(second, "archive.test")) {
      write(p1.output(), one);
      write(p2.output(), two);
      p2.commit(manifest(second, two, Map.of()));
      p1.commit(manifest(first, one, Map.of()));
    }
    assertThat(t.list()).extracting(Snapshot::id).containsExactlyElementsOf(sorted(first, second));
    assertThat(readAll(t, first)).isEqualTo(one);
    assertThat(readAll(t, second)).isEqualTo(two);
  }

  @Test
  void deleteRemovesTheSnapshot() {
    SnapshotTarget t = target();
    String keep = SnapshotIds.next(T0);
    String doomed = SnapshotIds.next(T0.plusSeconds(1));
    store(t, keep, bytes(100, 12), Map.of());
    store(t, doomed, bytes(100, 13), Map.of());

    t.delete(doomed);

    assertThat(t.get(doomed)).isEmpty();
    assertThat(t.list()).extracting(Snapshot::id).containsExactly(keep);
    assertNotFound(() -> t.open(doomed));
    assertNotFound(() -> t.delete(doomed));
    assertThat(readAll(t, keep)).isEqualTo(bytes(100, 12));
  }

  @Test
  void unknownIdsAreNotFound() {
    SnapshotTarget t = target();
    store(t, SnapshotIds.next(T0), bytes(10, 14), Map.of());
    String unknown = SnapshotIds.next(T0.plusSeconds(5));
    assertThat(t.get(unknown)).isEmpty();
    assertNotFound(() -> t.open(unknown));
    assertNotFound(() -> t.delete(unknown));
  }

  @Test
  void theManifestRoundTripsEveryField() {
    SnapshotTarget t = target();
    String id = SnapshotIds.next(T0);
    byte[] data = bytes(1234, 15);
    Inventory inventory = new Inventory(List.of(
        new InventoryItem("public", "orders", "table", 42, List.of(new Column("id", "bigint"), new Column("total", "numeric(10,2)")),
            List.of("orders_pkey"), Map.of("tablespace", "pg_default")),
        new InventoryItem("sales", "Ünïcode \"quoted\"", "table", 0, List.of(new Column("naïve", "text[]")), List.of(), Map.of()),
        InventoryItem.of("public", "order_totals", "view", -1)));
    Manifest written = Manifest.builder()
        .id(id)
        .kind(SnapshotKind.ARCHIVE)
        .format("pg-custom")
        .compression(Compression.ZSTD)
        .size(data.length)
        .sha256(sha256(data))
        .createdAt(Instant.parse("2026-03-14T15:09:26.535897Z"))
        .consistentAt(Instant.parse("2026-03-14T15:09:27.000001Z"))
        .source(new SourceFingerprint("postgresql", "15.10", "shop", "postgresql://app@db.example:5432/shop"))
        .inventory(inventory)
        .toolVersion("9.9.9-test")
        .label("env", "prod")
        .label("reason", "before migration 42")
        .property("pg_dump", "15.18")
        .property("dumpBytes", "1234")
        .build();
    try (PendingSnapshot p = t.create(id, "archive.pg-custom.zst")) {
      write(p.output(), data);
      Snapshot committed = p.commit(written);
      assertThat(committed.manifest()).isEqualTo(written);
    }

    Manifest read = t.get(id).orElseThrow().manifest();
    assertThat(read).isEqualTo(written);
    assertThat(read.createdAt()).isEqualTo(Instant.parse("2026-03-14T15:09:26.535897Z"));
    assertThat(read.inventory().find("sales.Ünïcode \"quoted\"")).isPresent();
    assertThat(t.list()).singleElement().satisfies(s -> assertThat(s.manifest()).isEqualTo(written));
  }

  // ---- helpers for subclasses ----

  /** Deterministic pseudo-random bytes. */
  protected static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Lower-case hex SHA-256 of {@code data}. */
  protected static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stores {@code data} as snapshot {@code id} through create, write, commit. */
  protected static Snapshot store(SnapshotTarget t, String id, byte[] data, Map<String, String> labels) {
    try (PendingSnapshot p = t.create(id, "archive.test")) {
      write(p.output(), data);
      return p.commit(manifest(id, data, labels));
    }
  }

  /** A manifest that matches {@code data}. */
  protected static Manifest manifest(String id, byte[] data, Map<String, String> labels) {
    return Manifest.builder().id(id).format("test").size(data.length).sha256(sha256(data))
        .createdAt(T0).consistentAt(T0).labels(labels).build();
  }

  /** Every byte of snapshot {@code id}, read through {@link SnapshotTarget#open(String)}. */
  protected static byte[] readAll(SnapshotTarget t, String id) {
    try (InputStream in = t.open(id)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(OutputStream out, byte[] data) {
    try {
      // In pieces, as a dump arrives.
      for (int off = 0; off < data.length; off += 65_536) {
        out.write(data, off, Math.min(65_536, data.length - off));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> sorted(String... ids) {
    List<String> l = new ArrayList<>(List.of(ids));
    l.sort(null);
    return l;
  }

  private static void assertNotFound(Runnable call) {
    try {
      call.run();
      fail("expected a LifeboatException with NOT_FOUND");
    } catch (LifeboatException e) {
      assertThat(e.code()).as("error code of: " + e.getMessage()).isEqualTo(ErrorCode.NOT_FOUND);
    }
  }
}
