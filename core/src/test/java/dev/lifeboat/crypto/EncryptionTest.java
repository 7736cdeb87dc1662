package dev.lifeboat.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import dev.lifeboat.ManifestKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files and the encrypted stream format, with Tink's real primitives. */
class EncryptionTest {
  @TempDir static Path dir;
  static PublicKey publicKey;
  static PrivateKey privateKey;
  static PrivateKey otherKey;
  /** Several 1 MiB segments, so that a change in the middle is a middle segment. */
  static final byte[] PLAIN = new byte[(3 << 20) + 12345];

  @BeforeAll
  static void keys() {
    new Random(7).nextBytes(PLAIN);
    KeyPairFiles.Written one = KeyPairFiles.generate(dir.resolve("one"), null);
    KeyPairFiles.Written other = KeyPairFiles.generate(dir.resolve("other"), null);
    publicKey = KeyPairFiles.readPublic(one.publicFile());
    privateKey = KeyPairFiles.readPrivate(one.privateFile(), null);
    otherKey = KeyPairFiles.readPrivate(other.privateFile(), null);
  }

  static byte[] encrypt(byte[] plain, String id) throws IOException {
    ByteArrayOutputStream stored = new ByteArrayOutputStream();
    try (OutputStream out = Encryption.encrypt(stored, publicKey, id)) {
      out.write(plain);
    }
    return stored.toByteArray();
  }

  static byte[] decrypt(byte[] stored, PrivateKey key, String id) throws IOException {
    try (InputStream in = Encryption.decrypt(new ByteArrayInputStream(stored), key, id)) {
      return in.readAllBytes();
    }
  }

  @Test
  void roundTripWithAFreshDataKeyEachTime() throws IOException {
    byte[] first = encrypt(PLAIN, "s1");
    byte[] second = encrypt(PLAIN, "s1");
    assertThat(decrypt(first, privateKey, "s1")).isEqualTo(PLAIN);
    assertThat(Arrays.copyOfRange(first, 0, 4)).isEqualTo("LBE1".getBytes(StandardCharsets.US_ASCII));
    assertThat(first).as("a fresh data key per snapshot").isNotEqualTo(second);
    assertThat(first.length).as("bounded overhead: header plus 16 bytes per MiB segment").isLessThan(PLAIN.length + 400);
    assertThat(publicKey.fingerprint()).isEqualTo(privateKey.fingerprint()).hasSize(32).isNotEqualTo(otherKey.fingerprint());
  }

  @Test
  void emptyPlaintextRoundTrips() throws IOException {
    assertThat(decrypt(encrypt(new byte[0], "e"), privateKey, "e")).isEmpty();
  }

  @Test
  void anotherKeyDoesNotOpenTheDataKey() throws IOException {
    byte[] stored = encrypt(PLAIN, "s2");
    assertThatThrownBy(() -> decrypt(stored, otherKey, "s2")).isInstanceOf(DecryptionFailedException.class)
        .hasMessageContaining("does not open with");
  }

  @Test
  void anArchiveUnderAnotherSnapshotIdDoesNotDecrypt() throws IOException {
    byte[] stored = encrypt(PLAIN, "s3");
    assertThatThrownBy(() -> decrypt(stored, privateKey, "s4")).isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void aChangedByteInAMiddleSegmentFailsAuthentication() throws IOException {
    byte[] stored = encrypt(PLAIN, "s5");
    stored[(1 << 20) + 5000] ^= 0x01;
    assertThatThrownBy(() -> decrypt(stored, privateKey, "s5")).isInstanceOf(DecryptionFailedException.class)
        .hasMessageContaining("fails authentication");
  }

  @Test
  void truncationAtASegmentBoundaryOrMidSegmentIsDetected() throws IOException {
    byte[] stored = encrypt(PLAIN, "s6");
    // A whole last segment dropped: what remains ends on a segment that is not marked as last.
    int headerAndTwoSegments = stored.length - (PLAIN.length - (3 << 20)) - 16 - (1 << 20);
    for (int cut : new int[] {stored.length - 1, stored.length - 20000, headerAndTwoSegments, 10, 3}) {
      byte[] truncated = Arrays.copyOf(stored, cut);
      assertThatThrownBy(() -> decrypt(truncated, privateKey, "s6")).as("cut at " + cut).isInstanceOf(DecryptionFailedException.class);
    }
  }

  @Test
  void bytesThatAreNotAnEncryptedArchiveAreRefused() {
    byte[] plain = "PGDMP not encrypted".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> decrypt(plain, privateKey, "x")).isInstanceOf(DecryptionFailedException.class)
        .hasMessageContaining("does not start like a Lifeboat encrypted archive");
  }

  @Test
  void aFailingStoreIsNotReportedAsADecryptionFailure() throws IOException {
    byte[] stored = encrypt(PLAIN, "s7");
    IOException broken = new IOException("connection reset");
    InputStream failing = new InputStream() {
      int left = 2 << 20;
      final ByteArrayInputStream in = new ByteArrayInputStream(stored);

      @Override
      public int read() throws IOException {
        if (left-- <= 0) {
          throw broken;
        }
        return in.read();
      }
    };
    assertThatThrownBy(() -> Encryption.decrypt(failing, privateKey, "s7").readAllBytes()).isSameAs(broken);
  }

  @Test
  void keyForNamesTheNeededFingerprintOrRefusesAnotherKey() {
    Manifest plain = Manifest.builder().id("p").format("pg-custom").build();
    assertThat(Encryption.keyFor(plain, Optional.empty())).isEmpty();
    Manifest encrypted = Manifest.builder().id("e").format("pg-custom").property(ManifestKeys.ENCRYPTION, Encryption.ALGORITHM)
        .property(ManifestKeys.ENCRYPTION_KEY, publicKey.fingerprint()).build();
    assertThatThrownBy(() -> Encryption.keyFor(encrypted, Optional.empty()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessageContaining(publicKey.fingerprint()).hasMessageContaining("--private-key");
    assertThatThrownBy(() -> Encryption.keyFor(encrypted, Optional.of(otherKey)))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECRYPTION_FAILED))
        .hasMessageContaining(otherKey.fingerprint());
    assertThat(Encryption.keyFor(encrypted, Optional.of(privateKey))).contains(privateKey);
  }

  @Test
  void keyFilesArePrivateNeverReplacedAndNamed() throws IOException {
    Path out = dir.resolve("named");
    KeyPairFiles.Written w = KeyPairFiles.generate(out, null);
    assertThat(w.publicFile().getFileName().toString()).contains("public");
    assertThat(w.privateFile().getFileName().toString()).contains("private");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(w.privateFile()))).isEqualTo("rw-------");
    assertThat(Files.readString(w.publicFile())).doesNotContain("privateKey").contains(w.fingerprint());
    byte[] before = Files.readAllBytes(w.privateFile());
    assertThatThrownBy(() -> KeyPairFiles.generate(out, null)).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION)).hasMessageContaining("already exists");
    assertThat(Files.readAllBytes(w.privateFile())).isEqualTo(before);
    assertThat(PrivateKeyOf(w).toString()).isEqualTo("private key for " + w.fingerprint());
  }

  private static PrivateKey PrivateKeyOf(KeyPairFiles.Written w) {
    return KeyPairFiles.readPrivate(w.privateFile(), null);
  }

  @Test
  void aPassphraseProtectsThePrivateKeyFile() throws IOException {
    char[] passphrase = "correct horse battery".toCharArray();
    KeyPairFiles.Written w = KeyPairFiles.generate(dir.resolve("protected"), passphrase.clone());
    assertThat(w.passphraseProtected()).isTrue();
    String text = Files.readString(w.privateFile());
    assertThat(text).contains("PBKDF2WithHmacSHA256").doesNotContain("correct horse");
    PrivateKey key = KeyPairFiles.readPrivate(w.privateFile(), passphrase.clone());
    assertThat(key.fingerprint()).isEqualTo(w.fingerprint());
    assertThat(key.publicKey()).isEqualTo(KeyPairFiles.readPublic(w.publicFile()));
    assertThatThrownBy(() -> KeyPairFiles.readPrivate(w.privateFile(), null)).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION)).hasMessageContaining("LIFEBOAT_KEY_PASSPHRASE");
    assertThatThrownBy(() -> KeyPairFiles.readPrivate(w.privateFile(), "wrong horse".toCharArray()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessageContaining("does not open").hasMessageNotContaining("wrong horse");
  }

  @Test
  void badKeyFilesAreOneLineConfigurationErrors() throws IOException {
    KeyPairFiles.Written w = KeyPairFiles.generate(dir.resolve("bad"), null);
    Path notJson = Files.writeString(dir.resolve("not.json"), "hello");
    Path damaged = Files.writeString(dir.resolve("damaged.json"),
        Files.readString(w.privateFile()).replace(w.fingerprint(), "00000000000000000000000000000000"));
    for (Runnable r : new Runnable[] {
        () -> KeyPairFiles.readPublic(dir.resolve("missing.json")),
        () -> KeyPairFiles.readPublic(notJson),
        () -> KeyPairFiles.readPublic(w.privateFile()),
        () -> KeyPairFiles.readPrivate(w.publicFile(), null),
        () -> KeyPairFiles.readPrivate(damaged, null)}) {
      assertThatThrownBy(r::run).isInstanceOfSatisfying(LifeboatException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("privateKey");
      });
    }
    assertThatThrownBy(() -> KeyPairFiles.readPrivate(w.publicFile(), null)).hasMessageContaining("it is a public key file");
    // The folder 'keys generate' wrote, given instead of its file: the message names the file to give.
    assertThatThrownBy(() -> KeyPairFiles.readPublic(w.publicFile().getParent()))
        .hasMessageContaining("is a folder; give the file in it (" + w.publicFile() + ")");
    assertThatThrownBy(() -> KeyPairFiles.readPrivate(w.privateFile().getParent(), null))
        .hasMessageContaining("is a folder; give the file in it (" + w.privateFile() + ")");
  }
}
