package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.crypto.KeyPairFiles;
import dev.lifeboat.crypto.PrivateKey;
import dev.lifeboat.crypto.PublicKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Encrypted archives on every read path of the restore, for a store with local files
 * ({@code counted:}) and one without ({@code remote:}, as object stores are): decrypted after the
 * stored-bytes check, the store still read once, no plaintext copy left behind, and a missing or
 * wrong key refused before the store is read at all.
 */
class EncryptedArchiveReadsTest {
  private static final String SOURCE = "fake://db.local/shop";
  @TempDir static Path keys;
  static PublicKey publicKey;
  static PrivateKey privateKey;
  static PrivateKey otherKey;

  @TempDir Path dir;
  private Lifeboat lifeboat;

  @BeforeAll
  static void keys() {
    publicKey = KeyPairFiles.readPublic(KeyPairFiles.generate(keys.resolve("one"), null).publicFile());
    privateKey = KeyPairFiles.readPrivate(keys.resolve("one").resolve(KeyPairFiles.PRIVATE_FILE), null);
    otherKey = KeyPairFiles.readPrivate(KeyPairFiles.generate(keys.resolve("other"), null).privateFile(), null);
  }

  @BeforeEach
  void start() {
    FakeProvider.reset();
    ArchiveReadsTest.GETS.clear();
    lifeboat = Lifeboat.builder().provider(new ArchiveReadsTest.CountingProvider())
        .setting("lifeboat.scratchDir", dir.resolve("scratch").toString()).build();
  }

  @AfterEach
  void stop() {
    lifeboat.close();
  }

  private String target(String scheme) {
    return scheme + ":" + dir.resolve("backups");
  }

  @ParameterizedTest
  @CsvSource({"counted,NONE,1", "counted,ZSTD,1", "counted,GZIP,2", "remote,NONE,1", "remote,ZSTD,1", "remote,ZSTD,2", "remote,GZIP,1"})
  void restoresDecryptAfterTheCheckReadingTheStoreOnce(String scheme, Compression compression, int jobs) throws IOException {
    Snapshot s = lifeboat.backup(BackupRequest.builder(SOURCE, target(scheme))
        .options(DumpOptions.builder().compression(compression).build()).encryptTo(publicKey).build());
    String key = s.id() + "/archive." + s.manifest().format() + compression.extension();
    byte[] stored = Files.readAllBytes(dir.resolve("backups").resolve(key));
    assertThat(new String(stored, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("LBE1");
    assertThat(s.manifest().size()).isEqualTo(stored.length);
    ArchiveReadsTest.GETS.clear();

    RestoreOptions options = RestoreOptions.builder().jobs(jobs).build();
    assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder(target(scheme), s.id(), "fake://db.local/copy").options(options).build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessageContaining(publicKey.fingerprint());
    assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder(target(scheme), s.id(), "fake://db.local/copy").options(options)
        .privateKey(otherKey).build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECRYPTION_FAILED));
    assertThat(ArchiveReadsTest.GETS.get(key)).as("a missing or wrong key is refused before the store is read").isNull();
    assertThat(FakeProvider.DESTINATIONS).isEmpty();

    lifeboat.restore(RestoreRequest.builder(target(scheme), s.id(), "fake://db.local/copy").options(options).privateKey(privateKey).build());
    assertThat(FakeProvider.DESTINATIONS.get("copy")).isEqualTo(FakeProvider.bytes(1000));
    assertThat(ArchiveReadsTest.GETS.get(key)).as("reads of the stored archive").hasValue(1);
    assertScratchEmpty();

    ArchiveReadsTest.GETS.clear();
    Verification keyless = lifeboat.verify(VerifyRequest.builder(target(scheme), s.id()).build());
    assertThat(keyless.passed()).as("%s", keyless).isTrue();
    assertThat(keyless.checks()).extracting(Check::status).containsExactly(Check.Status.PASSED, Check.Status.SKIPPED);
    Verification keyed = lifeboat.verify(VerifyRequest.builder(target(scheme), s.id()).privateKey(privateKey).build());
    assertThat(keyed.checks()).extracting(Check::status).containsExactly(Check.Status.PASSED, Check.Status.PASSED);
    assertThatThrownBy(() -> lifeboat.verify(VerifyRequest.builder(target(scheme), s.id()).privateKey(otherKey).build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECRYPTION_FAILED))
        .hasMessageContaining(otherKey.fingerprint());
    assertScratchEmpty();
  }

  @org.junit.jupiter.api.Test
  void theSettingEncryptsEveryArchiveBackupThatNamesNoKey() {
    try (Lifeboat configured = Lifeboat.builder().provider(new ArchiveReadsTest.CountingProvider())
        .setting("lifeboat.encryptTo", keys.resolve("one").resolve(KeyPairFiles.PUBLIC_FILE).toString()).build()) {
      Snapshot s = configured.backup(BackupRequest.builder(SOURCE, target("counted")).build());
      assertThat(dev.lifeboat.crypto.Encryption.keyFingerprint(s.manifest())).contains(publicKey.fingerprint());
      configured.restore(RestoreRequest.builder(target("counted"), s.id(), "fake://db.local/copy").privateKey(privateKey).build());
      assertThat(FakeProvider.DESTINATIONS.get("copy")).isEqualTo(FakeProvider.bytes(1000));
    }
    try (Lifeboat broken = Lifeboat.builder().provider(new ArchiveReadsTest.CountingProvider())
        .setting("lifeboat.encryptTo", keys.resolve("missing.json").toString()).build()) {
      assertThatThrownBy(() -> broken.backup(BackupRequest.builder(SOURCE, target("counted")).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION));
      assertThat(FakeProvider.DUMPED).as("nothing was dumped").hasSize(1);
    }
  }

  @ParameterizedTest
  @CsvSource({"counted,ZSTD", "remote,GZIP", "remote,NONE"})
  void aOneReadRestoreDecryptsWhileCheckingAndAForgedSegmentNeverReachesTheEnd(String scheme, Compression compression) throws IOException {
    FakeProvider.reading = dev.lifeboat.spi.Restorer.Reading.STREAM_COMMITTING_AT_END;
    Snapshot s = lifeboat.backup(BackupRequest.builder(SOURCE, target(scheme))
        .options(DumpOptions.builder().compression(compression).build()).encryptTo(publicKey).build());
    Path archive = dir.resolve("backups").resolve(s.id() + "/archive." + s.manifest().format() + compression.extension());
    ArchiveReadsTest.GETS.clear();
    lifeboat.restore(RestoreRequest.builder(target(scheme), s.id(), "fake://db.local/copy").privateKey(privateKey).build());
    assertThat(FakeProvider.DESTINATIONS.get("copy")).isEqualTo(FakeProvider.bytes(1000));
    assertThat(FakeProvider.CHECKED).as("no separate format pass").isEmpty();
    assertThat(ArchiveReadsTest.GETS.get(archive.getParent().getFileName() + "/" + archive.getFileName())).as("one read").hasValue(1);

    byte[] bytes = Files.readAllBytes(archive);
    bytes[bytes.length / 2] ^= 0x04;
    Files.write(archive, bytes);
    dev.lifeboat.internal.TestReseal.toArchive(archive.resolveSibling("manifest.json"), archive);
    assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder(target(scheme), s.id(), "fake://db.local/forged")
        .privateKey(privateKey).build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECRYPTION_FAILED))
        .hasMessageContaining("fails authentication");
    assertThat(FakeProvider.DESTINATIONS).as("the restorer never saw the end of its input").doesNotContainKey("forged");

    Files.write(archive, java.util.Arrays.copyOf(bytes, bytes.length - 30));
    dev.lifeboat.internal.TestReseal.toArchive(archive.resolveSibling("manifest.json"), archive);
    assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder(target(scheme), s.id(), "fake://db.local/truncated")
        .privateKey(privateKey).build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECRYPTION_FAILED));
    assertThat(FakeProvider.DESTINATIONS).doesNotContainKey("truncated");
  }

  private void assertScratchEmpty() throws IOException {
    Path scratch = dir.resolve("scratch");
    if (Files.isDirectory(scratch)) {
      try (Stream<Path> left = Files.list(scratch)) {
        assertThat(left).as("scratch copies left behind").isEmpty();
      }
    }
  }
}
