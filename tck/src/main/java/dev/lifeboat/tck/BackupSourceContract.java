package dev.lifeboat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Compression;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Json;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotKind;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.file.FileBlobStore;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.Blob;
import dev.lifeboat.spi.BlobOutput;
import dev.lifeboat.spi.BlobStore;
import dev.lifeboat.spi.Dump;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract of a provider's {@link BackupSource}: backed up through the {@link Lifeboat} facade
 * into a local folder, its snapshot must be listed with the right size and SHA-256, exact counts,
 * a fingerprint without secrets and sane timestamps; a dump that is aborted, or whose target
 * fails, must leave nothing listed and the source usable; an unreachable source must fail with a
 * clear code.
 *
 * <p>Implement {@link #sourceLocation()}, {@link #expectedCounts()}, {@link #expectedKind()} and
 * {@link #unreachableSource()}; see {@link LiveDatabaseContract} for the lifecycle.
 *
 * <pre>{@code
 * class PgDumpBackupSourceTest extends BackupSourceContract {
 *   static EmbeddedPostgres pg;
 *   @BeforeAll static void start() throws Exception { pg = EmbeddedPostgres.builder().start(); seed(pg); }
 *   @AfterAll static void stop() throws Exception { pg.close(); }
 *   protected Location sourceLocation() { return Location.parse("postgresql://postgres@localhost:" + pg.getPort() + "/shop"); }
 *   protected Map<String, Long> expectedCounts() { return Map.of("public.orders", 3L, "sales.\"Ünïcode\"", 2L); }
 *   protected String expectedKind() { return "postgresql"; }
 *   protected Location unreachableSource() { return Location.parse("postgresql://postgres@localhost:1/shop"); }
 * }
 * }</pre>
 */
public abstract class BackupSourceContract extends LiveDatabaseContract {
  private static final Duration CLOCK_SLACK = Duration.ofSeconds(5);

  /**
   * Every item the source's inventory counts, keyed as {@link dev.lifeboat.InventoryItem#qualifiedName()}
   * names it ({@code schema.table} for PostgreSQL, {@code database.collection} for MongoDB), with
   * the exact number of rows or documents you seeded. Items the inventory does not count (views,
   * partitioned parents: count {@code -1}) are left out. The contract compares for equality, so an
   * item you forget or one the provider invents fails it.
   */
  protected abstract Map<String, Long> expectedCounts();

  /** The fingerprint kind the provider reports for the source: {@code postgresql}, {@code mongodb}, {@code neon}. */
  protected abstract String expectedKind();

  /**
   * A location of the same scheme where no server answers (a closed local port such as
   * {@code localhost:1}, a stub that refuses), so that a backup fails fast. It may carry a
   * password: the contract checks the error message does not show it.
   */
  protected abstract Location unreachableSource();

  @Test
  void theBackupIsListedWithTheSizeAndSha256OfTheStoredFile() throws IOException {
    Location target = newTargetLocation();
    Snapshot s = backup(target, Map.of());

    SnapshotTarget files = fileTarget(target);
    assertThat(files.list()).extracting(Snapshot::id).containsExactly(s.id());
    Manifest m = files.get(s.id()).orElseThrow().manifest();
    assertThat(m).isEqualTo(s.manifest());
    Path stored = files.localFile(s.id()).orElseThrow();
    assertThat(m.size()).as("manifest size").isPositive().isEqualTo(Files.size(stored));
    assertThat(m.sha256()).as("manifest sha256").isEqualTo(sha256(stored));
    assertThat(m.kind()).isEqualTo(SnapshotKind.ARCHIVE);
    assertThat(m.format()).as("format").isNotBlank();
    assertThat(m.toolVersion()).as("toolVersion").isNotBlank();
  }

  @Test
  void theManifestCountsEqualTheSeededData() {
    assertThat(countedItems(sharedBackup().manifest()))
        .as("counted inventory items of the manifest")
        .containsExactlyInAnyOrderEntriesOf(expectedCounts());
  }

  @Test
  void theFingerprintNamesTheSourceWithoutItsPassword() throws IOException {
    Snapshot s = sharedBackup();
    SourceFingerprint f = s.manifest().source();
    assertThat(f).as("manifest source fingerprint").isNotNull();
    assertThat(f.kind()).isEqualTo(expectedKind());
    assertThat(f.serverVersion()).as("server version").isNotBlank();
    assertThat(f.database()).as("database").isNotBlank();
    assertThat(f.uri()).as("source uri").isNotBlank();
    assertNoSourcePassword("the fingerprint's uri", f.uri());
    assertNoSourcePassword("the snapshot's toString()", s.toString());
    assertNoSourcePassword("the manifest's JSON", Json.write(s.manifest()));
    Path dir = folder(sharedBackupTarget()).resolve(s.id());
    try (var stream = Files.list(dir)) {
      for (Path file : (Iterable<Path>) stream::iterator) {
        if (file.getFileName().toString().endsWith(".json")) {
          assertNoSourcePassword(file.toString(), Files.readString(file));
        }
      }
    }
  }

  @Test
  void timestampsAreUtcAndInOrder() {
    Instant before = Instant.now();
    Snapshot s = backup(newTargetLocation(), Map.of());
    Instant after = Instant.now();
    Manifest m = s.manifest();
    assertThat(m.createdAt()).as("createdAt").isNotNull().isBetween(before.minusMillis(1), after);
    assertThat(m.consistentAt()).as("consistentAt (the server's clock may differ by a few seconds)")
        .isNotNull().isBetween(m.createdAt().minus(CLOCK_SLACK), after.plus(CLOCK_SLACK));
    assertThat(Json.write(m)).contains("\"createdAt\" : \"" + m.createdAt() + "\"");
  }

  @Test
  void labelsAreKept() {
    Location target = newTargetLocation();
    Snapshot s = backup(target, Map.of("env", "test", "reason", "contract check"));
    assertThat(s.manifest().labels()).containsExactlyInAnyOrderEntriesOf(Map.of("env", "test", "reason", "contract check"));
    assertThat(fileTarget(target).get(s.id()).orElseThrow().manifest().labels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("env", "test", "reason", "contract check"));
  }

  @Test
  void twoBackupsInARowGetDistinctIdsInTimeOrder() {
    Location target = newTargetLocation();
    Snapshot first = backup(target, Map.of());
    Snapshot second = backup(target, Map.of());
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(first.id()).isLessThan(second.id());
    assertThat(fileTarget(target).list()).extracting(Snapshot::id).containsExactly(first.id(), second.id());
    assertThat(countedItems(second.manifest())).isEqualTo(countedItems(first.manifest()));
  }

  @Test
  void everyCompressionStoresADumpThatDecompressesToItsRecordedLength() throws IOException {
    Location target = newTargetLocation();
    for (Compression c : Compression.values()) {
      Snapshot s = lifeboat().backup(BackupRequest.builder(sourceLocation(), target)
          .options(dumpOptions().toBuilder().compression(c).build()).build());
      assertThat(s.manifest().compression()).isEqualTo(c);
      Path stored = fileTarget(target).localFile(s.id()).orElseThrow();
      assertThat(stored.getFileName().toString()).endsWith(s.manifest().format() + c.extension());
      long plain;
      try (InputStream in = c.decompress(Files.newInputStream(stored))) {
        plain = in.transferTo(OutputStream.nullOutputStream());
      }
      assertThat(plain).as("the dump inside a " + c + " snapshot").isPositive();
      assertThat(s.manifest().properties()).containsEntry("dumpBytes", Long.toString(plain));
      assertThat(countedItems(s.manifest())).containsExactlyInAnyOrderEntriesOf(expectedCounts());
    }
    assertThat(fileTarget(target).list()).hasSize(Compression.values().length);
  }

  @Test
  void theSourceDescribesItselfWithExactCounts() {
    try (BackupSource source = lifeboat().providerContext().source(sourceLocation())) {
      SourceFingerprint f = source.fingerprint();
      assertThat(f.kind()).isEqualTo(expectedKind());
      assertThat(f.database()).isNotBlank();
      assertNoSourcePassword("BackupSource.fingerprint()", f.toString());
      assertThat(countedItems(Manifest.builder().id("x").format("x").inventory(source.inventory()).build()))
          .as("BackupSource.inventory() counts")
          .containsExactlyInAnyOrderEntriesOf(expectedCounts());
    }
  }

  @Test
  void aDumpReadToItsEndReportsTheSameCountsAfterFinish() throws IOException {
    try (BackupSource source = lifeboat().providerContext().source(sourceLocation())) {
      try (Dump dump = source.dump(dumpOptions().toBuilder().compression(Compression.NONE).build())) {
        assertThat(dump.format()).isNotBlank();
        long n;
        try (InputStream in = dump.stream()) {
          n = in.transferTo(OutputStream.nullOutputStream());
        }
        dump.finish();
        assertThat(n).as("dump bytes").isPositive();
        assertThat(dump.consistentAt()).isNotNull();
        assertThat(countedItems(Manifest.builder().id("x").format("x").inventory(dump.inventory()).build()))
            .containsExactlyInAnyOrderEntriesOf(expectedCounts());
        assertNoSourcePassword("Dump.source()", String.valueOf(dump.source()));
        assertNoSourcePassword("Dump.properties()", String.valueOf(dump.properties()));
      }
    }
  }

  @Test
  void aDumpClosedEarlyIsAbortedAndTheSourceStaysUsable() throws IOException {
    try (BackupSource source = lifeboat().providerContext().source(sourceLocation())) {
      Dump dump = source.dump(dumpOptions().toBuilder().compression(Compression.NONE).build());
      InputStream in = dump.stream();
      assertThat(in.read()).as("first byte of the dump").isNotNegative();
      // Closing without reading on or finishing aborts the dump; it must not hang.
      dump.close();
    }
    Snapshot after = backup(newTargetLocation(), Map.of());
    assertThat(countedItems(after.manifest())).containsExactlyInAnyOrderEntriesOf(expectedCounts());
  }

  @Test
  void aTargetThatFailsMidWayLeavesNothingListedAndTheSourceUsable() {
    Path folder = workDir().resolve("failing-" + System.nanoTime());
    Location failing = Location.parse(FailingTargetProvider.SCHEME + ":" + folder);
    try (Lifeboat withFailingTarget = Lifeboat.builder().settings(settings()).secrets(secrets())
        .provider(new FailingTargetProvider()).build()) {
      LifeboatException e = expectFailure(ErrorCode.TARGET_FAILED, () -> withFailingTarget.backup(
          BackupRequest.builder(sourceLocation(), failing).options(dumpOptions()).build()));
      assertThat(e.getMessage()).contains(FailingTargetProvider.FAILURE);
      assertNoSourcePassword("the error message", e.getMessage());
    }
    assertThat(SnapshotTarget.over(FileBlobStore.at(folder)).list()).isEmpty();
    Snapshot after = backup(newTargetLocation(), Map.of());
    assertThat(countedItems(after.manifest())).containsExactlyInAnyOrderEntriesOf(expectedCounts());
  }

  @Test
  void anUnreachableSourceFailsWithAClearCodeAndStoresNothing() {
    Location target = newTargetLocation();
    Set<ErrorCode> expected = EnumSet.of(ErrorCode.CONNECTION, ErrorCode.SOURCE_FAILED, ErrorCode.AUTHENTICATION);
    Location unreachable = unreachableSource();
    try {
      lifeboat().backup(BackupRequest.builder(unreachable, target).options(dumpOptions()).build());
      throw new AssertionError("a backup of " + unreachable + " succeeded");
    } catch (LifeboatException e) {
      assertThat(e.code()).as("error code of: " + e.getMessage()).isIn(expected);
      assertThat(e.getMessage()).isNotBlank();
      unreachable.password().filter(p -> !p.isEmpty())
          .ifPresent(p -> assertThat(e.getMessage()).as("message shows the password").doesNotContain(p));
    }
    // The folder may not even have been created: listing a missing folder is an error of its own.
    if (Files.isDirectory(folder(target))) {
      assertThat(fileTarget(target).list()).isEmpty();
    }
  }

  // ---- helpers ----

  /** Backs up {@link #sourceLocation()} into {@code target} with {@link #dumpOptions()}. */
  protected final Snapshot backup(Location target, Map<String, String> labels) {
    return lifeboat().backup(BackupRequest.builder(sourceLocation(), target).options(dumpOptions()).labels(labels).build());
  }

  static String sha256(Path file) throws IOException {
    try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(in.getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A {@code tck-failing:/folder} target: a folder store whose archive output fails on the first write. */
  static final class FailingTargetProvider implements LifeboatProvider {
    static final String SCHEME = "tck-failing";
    static final String FAILURE = "the contract's target failed on purpose";

    @Override
    public String name() {
      return "tck-failing";
    }

    @Override
    public Set<String> schemes() {
      return Set.of(SCHEME);
    }

    @Override
    public Optional<BlobStore> store(Location location, ProviderContext context) {
      FileBlobStore files = FileBlobStore.open(Location.parse("file:" + location.schemeSpecificPart()));
      return Optional.of(new BlobStore() {
        @Override
        public Location location() {
          return location;
        }

        @Override
        public void checkUsable(boolean forWriting) {
          files.checkUsable(forWriting);
        }

        /** The archive's bytes fail on the first write; the snapshot's bookkeeping goes through. */
        @Override
        public BlobOutput put(String key) {
          if (key.endsWith(".json")) {
            return files.put(key);
          }
          return new BlobOutput() {
            @Override
            public void write(int b) throws IOException {
              throw new IOException(FAILURE);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              if (len > 0) {
                throw new IOException(FAILURE);
              }
            }

            @Override
            public void close() throws IOException {
              throw new IOException(FAILURE + " (closed after a failed write)");
            }

            @Override
            public void abort() {
              // Nothing was written.
            }
          };
        }

        @Override
        public InputStream get(String key) {
          return files.get(key);
        }

        @Override
        public List<Blob> list(String prefix) {
          return files.list(prefix);
        }

        @Override
        public void delete(String key) {
          files.delete(key);
        }
      });
    }
  }
}
