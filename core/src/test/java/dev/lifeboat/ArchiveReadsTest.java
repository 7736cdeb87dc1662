package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.file.FileBlobStore;
import dev.lifeboat.spi.Blob;
import dev.lifeboat.spi.BlobOutput;
import dev.lifeboat.spi.BlobStore;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A restore reads the stored archive from its store once, whatever the restorer reads after that:
 * counted at the store, for a store on the local disk ({@code counted:}) and for one that offers no
 * local file, as a remote store would not ({@code remote:}).
 */
class ArchiveReadsTest {
  private static final String SOURCE = "fake://db.local/shop";
  /** Reads of each key through {@link BlobStore#get}. */
  static final Map<String, AtomicInteger> GETS = new ConcurrentHashMap<>();

  @TempDir
  Path dir;

  private Lifeboat lifeboat;

  @BeforeEach
  void start() {
    FakeProvider.reset();
    GETS.clear();
    lifeboat = Lifeboat.builder().provider(new CountingProvider())
        .setting("lifeboat.scratchDir", dir.resolve("scratch").toString()).build();
  }

  @AfterEach
  void stop() {
    lifeboat.close();
  }

  private String target(String scheme) {
    return scheme + ":" + dir.resolve("backups");
  }

  private Snapshot backup(String scheme, Compression compression) {
    return lifeboat.backup(BackupRequest.builder(SOURCE, target(scheme))
        .options(DumpOptions.builder().compression(compression).build()).build());
  }

  private static String archiveKey(Snapshot s) {
    return s.id() + "/archive." + s.manifest().format() + s.manifest().compression().extension();
  }

  @ParameterizedTest
  @CsvSource({"counted,NONE", "counted,ZSTD", "remote,NONE", "remote,ZSTD", "remote,GZIP"})
  void aRestoreAndAVerificationReadTheStoredArchiveOnce(String scheme, Compression compression) throws IOException {
    Snapshot s = backup(scheme, compression);
    GETS.clear();

    lifeboat.restore(RestoreRequest.builder(target(scheme), s.id(), "fake://db.local/copy").build());

    assertThat(FakeProvider.CHECKED).as("the restorer checked the archive first").containsExactly(s.id());
    assertThat(FakeProvider.DESTINATIONS.get("copy")).as("and then restored all of it").isEqualTo(FakeProvider.bytes(1000));
    assertThat(GETS.get(archiveKey(s))).as("reads of the stored archive").hasValue(1);
    assertScratchEmpty();

    GETS.clear();
    Verification v = lifeboat.verify(VerifyRequest.builder(target(scheme), s.id()).build());
    assertThat(v.passed()).as("%s", v).isTrue();
    assertThat(GETS.get(archiveKey(s))).as("reads of the stored archive by a verification").hasValue(1);
    assertScratchEmpty();
  }

  @ParameterizedTest
  @CsvSource({"counted,NONE", "counted,ZSTD", "remote,ZSTD"})
  void aRestoreThatSeeksInAFileReadsTheStoredArchiveOnceToo(String scheme, Compression compression) throws IOException {
    Snapshot s = backup(scheme, compression);
    GETS.clear();

    lifeboat.restore(RestoreRequest.builder(target(scheme), s.id(), "fake://db.local/copy")
        .options(RestoreOptions.builder().jobs(2).build()).build());

    assertThat(FakeProvider.DESTINATIONS.get("copy")).isEqualTo(FakeProvider.bytes(1000));
    assertThat(GETS.get(archiveKey(s))).as("reads of the stored archive").hasValue(1);
    assertScratchEmpty();
  }

  /**
   * The file a restorer seeks in holds the dump as the restorer's {@code seekableCopy} rewrote it,
   * written during the one checking read; a store that keeps the dump itself, uncompressed, is read
   * in place, unrewritten.
   */
  @ParameterizedTest
  @CsvSource({"counted,NONE", "counted,ZSTD", "remote,ZSTD", "remote,NONE"})
  void theFileARestorerSeeksInHoldsItsRewriteOfTheDump(String scheme, Compression compression) throws IOException {
    Snapshot s = backup(scheme, compression);
    byte[] mark = ":rewritten".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    FakeProvider.seekableCopy = dump -> new java.io.SequenceInputStream(dump, new java.io.ByteArrayInputStream(mark));
    GETS.clear();

    lifeboat.restore(RestoreRequest.builder(target(scheme), s.id(), "fake://db.local/copy")
        .options(RestoreOptions.builder().jobs(2).build()).build());

    byte[] dump = FakeProvider.bytes(1000);
    boolean inPlace = scheme.equals("counted") && compression == Compression.NONE;
    byte[] expected = inPlace ? dump : java.nio.ByteBuffer.allocate(dump.length + mark.length).put(dump).put(mark).array();
    assertThat(FakeProvider.DESTINATIONS.get("copy")).isEqualTo(expected);
    assertThat(GETS.get(archiveKey(s))).as("reads of the stored archive").hasValue(1);
    assertScratchEmpty();
  }

  @ParameterizedTest
  @CsvSource({"counted,NONE", "remote,NONE", "remote,ZSTD"})
  void aFlippedByteIsRefusedBeforeTheRestorerSeesAnythingAndLeavesNoCopy(String scheme, Compression compression) throws IOException {
    Snapshot s = backup(scheme, compression);
    LifeboatFacadeTest.flipMiddleByte(dir.resolve("backups").resolve(archiveKey(s)));

    assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder(target(scheme), s.id(), "fake://db.local/copy").build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH))
        .hasMessageContaining(s.id());
    assertThat(FakeProvider.CHECKED).isEmpty();
    assertThat(FakeProvider.RESTORED).isEmpty();
    assertThat(FakeProvider.DESTINATIONS).isEmpty();
    assertScratchEmpty();
  }

  private void assertScratchEmpty() throws IOException {
    Path scratch = dir.resolve("scratch");
    if (Files.isDirectory(scratch)) {
      try (Stream<Path> left = Files.list(scratch)) {
        assertThat(left).as("scratch copies left behind").isEmpty();
      }
    }
  }

  /** {@code counted:/path} and {@code remote:/path}: a folder store that counts its reads; {@code remote:} has no local files. */
  static final class CountingProvider implements LifeboatProvider {
    @Override
    public String name() {
      return "counting";
    }

    @Override
    public Set<String> schemes() {
      return Set.of("counted", "remote");
    }

    @Override
    public Optional<BlobStore> store(Location location, ProviderContext context) {
      FileBlobStore files = FileBlobStore.open(Location.parse("file:" + location.schemeSpecificPart()));
      boolean local = location.scheme().equals("counted");
      return Optional.of(new BlobStore() {
        @Override public Location location() { return location; }
        @Override public void checkUsable(boolean forWriting) { files.checkUsable(forWriting); }
        @Override public BlobOutput put(String key) { return files.put(key); }
        @Override public List<Blob> list(String prefix) { return files.list(prefix); }
        @Override public void delete(String key) { files.delete(key); }

        @Override
        public InputStream get(String key) {
          GETS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
          return files.get(key);
        }

        @Override
        public Optional<Path> localPath(String key) {
          return local ? files.localPath(key) : Optional.empty();
        }
      });
    }
  }
}
