package dev.lifeboat.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.hybrid.HybridConfig;
import com.google.crypto.tink.hybrid.HybridDecryptWrapper;
import com.google.crypto.tink.hybrid.HybridEncryptWrapper;
import com.google.crypto.tink.hybrid.internal.HpkePrivateKeyManager;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.util.SecretBytes;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import dev.lifeboat.ManifestKeys;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The encrypted archive format. The stored bytes of an encrypted snapshot are:
 *
 * <pre>
 *   "LBE1"                      4 bytes, format and version
 *   length of the wrapped key   2 bytes, big-endian
 *   wrapped data key            HPKE ciphertext of the 32-byte data key, for the public key
 *   ciphertext                  Tink streaming AEAD AES256_GCM_HKDF_1MB of the compressed dump
 * </pre>
 *
 * <p>The snapshot id is the HPKE context and the streaming AEAD's associated data: an archive moved
 * under another snapshot's manifest does not decrypt. The manifest's size and SHA-256 describe
 * these stored bytes (the ciphertext), so a store's copy is checked without the key.
 */
public final class Encryption {
  /** What {@link ManifestKeys#ENCRYPTION} records for this format. */
  public static final String ALGORITHM = "AES256_GCM_HKDF_1MB+HPKE_X25519_HKDF_SHA256_AES_256_GCM";
  private static final byte[] MAGIC = {'L', 'B', 'E', '1'};
  private static final int DATA_KEY_BYTES = 32;
  private static volatile boolean registered;

  private Encryption() {}

  /**
   * Registers Tink's HPKE key manager and the hybrid wrappers once (key sets are parsed and used
   * through the registry). Only HPKE: {@code HybridConfig.register()} also registers ECIES and every
   * AEAD and MAC key type, which costs about a second more at start-up; it stays the fallback should
   * a later Tink move its HPKE key manager.
   */
  static void register() {
    if (!registered) {
      synchronized (Encryption.class) {
        if (!registered) {
          try {
            try {
              HpkePrivateKeyManager.registerPair(true);
              HybridEncryptWrapper.register();
              HybridDecryptWrapper.register();
            } catch (LinkageError e) {
              HybridConfig.register();
            }
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink's hybrid encryption is unavailable: " + e.getMessage(), e);
          }
          registered = true;
        }
      }
    }
  }

  /** Whether the snapshot's stored bytes are encrypted. */
  public static boolean isEncrypted(Manifest manifest) {
    return manifest.properties().containsKey(ManifestKeys.ENCRYPTION);
  }

  /** The fingerprint of the public key the snapshot was encrypted to, if it is encrypted. */
  public static Optional<String> keyFingerprint(Manifest manifest) {
    return isEncrypted(manifest) ? Optional.ofNullable(manifest.properties().get(ManifestKeys.ENCRYPTION_KEY)) : Optional.empty();
  }

  /**
   * The private key to read {@code manifest}'s archive with: empty for an unencrypted snapshot.
   *
   * @throws LifeboatException {@link ErrorCode#CONFIGURATION} when the snapshot is encrypted and no
   *     key was given (naming the fingerprint it needs); {@link ErrorCode#DECRYPTION_FAILED} when the
   *     key is not the one it was encrypted to, or the format is unknown
   */
  public static Optional<PrivateKey> keyFor(Manifest manifest, Optional<PrivateKey> given) {
    if (!isEncrypted(manifest)) {
      return Optional.empty();
    }
    String algorithm = manifest.properties().get(ManifestKeys.ENCRYPTION);
    String needed = keyFingerprint(manifest).orElse("(not recorded)");
    if (!ALGORITHM.equals(algorithm)) {
      throw new LifeboatException(ErrorCode.UNSUPPORTED, "Snapshot " + manifest.id() + " is encrypted with " + algorithm
          + ", which this version of Lifeboat cannot decrypt; use the version that wrote it (" + manifest.toolVersion() + ").");
    }
    if (given.isEmpty()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Snapshot " + manifest.id() + " is encrypted to the key with fingerprint "
          + needed + ": give its private key file with --private-key FILE or LIFEBOAT_PRIVATE_KEY.");
    }
    if (!given.get().fingerprint().equals(needed)) {
      throw new LifeboatException(ErrorCode.DECRYPTION_FAILED, "Snapshot " + manifest.id() + " is encrypted to the key with fingerprint "
          + needed + ", but the private key given has fingerprint " + given.get().fingerprint() + "; give the matching private key file.");
    }
    return given;
  }

  /**
   * A stream that encrypts what is written to it into {@code stored}: it writes the header (a
   * fresh data key wrapped for {@code key}) at once, every 1 MiB segment as it fills, and the
   * last segment on {@link OutputStream#close()}, which also closes {@code stored}.
   */
  public static OutputStream encrypt(OutputStream stored, PublicKey key, String snapshotId) throws IOException {
    SecretBytes dataKey = SecretBytes.randomBytes(DATA_KEY_BYTES);
    try {
      byte[] wrapped = key.hybridEncrypt().encrypt(dataKey.toByteArray(InsecureSecretKeyAccess.get()), context(snapshotId));
      stored.write(MAGIC);
      stored.write(ByteBuffer.allocate(2).putShort((short) wrapped.length).array());
      stored.write(wrapped);
      return streaming(dataKey).newEncryptingStream(stored, context(snapshotId));
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot start encrypting to " + key + ": " + e.getMessage(), e);
    }
  }

  /**
   * A stream of the plaintext of {@code stored} (as {@link #encrypt} wrote it). The header is read
   * at the first read, so that every failure happens while reading, where the caller checks the
   * stored bytes first. A wrong key, a changed or truncated ciphertext, or bytes that are not this
   * format throw {@link DecryptionFailedException}; failures of {@code stored} itself pass through.
   */
  public static InputStream decrypt(InputStream stored, PrivateKey key, String snapshotId) {
    return new DecryptingInputStream(stored, key, snapshotId);
  }

  private static StreamingAead streaming(SecretBytes dataKey) throws GeneralSecurityException {
    return AesGcmHkdfStreaming.create(AesGcmHkdfStreamingKey.create(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB, dataKey));
  }

  private static byte[] context(String snapshotId) {
    return ("lifeboat snapshot " + snapshotId).getBytes(StandardCharsets.UTF_8);
  }

  /** Reads the header lazily, then the plaintext; tells the store's failures from decryption's. */
  private static final class DecryptingInputStream extends InputStream {
    private final SourceStream source;
    private final PrivateKey key;
    private final String snapshotId;
    private InputStream plain;

    DecryptingInputStream(InputStream stored, PrivateKey key, String snapshotId) {
      this.source = new SourceStream(stored);
      this.key = key;
      this.snapshotId = snapshotId;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        if (plain == null) {
          plain = open();
        }
        return plain.read(b, off, len);
      } catch (IOException e) {
        throw source.failed(e) ? e : new DecryptionFailedException(describe(e), e);
      }
    }

    private String describe(IOException e) {
      if (e instanceof DecryptionFailedException) {
        return e.getMessage();
      }
      String reason = String.valueOf(e.getMessage());
      if (e instanceof EOFException || reason.contains("too short") || reason.contains("truncated")) {
        return "the ciphertext of snapshot " + snapshotId + " ends early (truncated): " + reason;
      }
      return "the ciphertext of snapshot " + snapshotId + " fails authentication (changed or damaged): " + reason;
    }

    private InputStream open() throws IOException {
      DataInputStream in = new DataInputStream(source);
      byte[] magic = in.readNBytes(MAGIC.length);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new DecryptionFailedException("snapshot " + snapshotId + " does not start like a Lifeboat encrypted archive");
      }
      byte[] wrapped = new byte[in.readUnsignedShort()];
      in.readFully(wrapped);
      byte[] dataKey;
      try {
        dataKey = key.hybridDecrypt().decrypt(wrapped, context(snapshotId));
      } catch (GeneralSecurityException e) {
        throw new DecryptionFailedException("the data key of snapshot " + snapshotId + " does not open with " + key
            + " (a different key, or a changed header)", e);
      }
      try {
        return streaming(SecretBytes.copyFrom(dataKey, InsecureSecretKeyAccess.get())).newDecryptingStream(source, context(snapshotId));
      } catch (GeneralSecurityException e) {
        throw new DecryptionFailedException("cannot decrypt snapshot " + snapshotId + ": " + e.getMessage(), e);
      } finally {
        Arrays.fill(dataKey, (byte) 0);
      }
    }

    @Override
    public void close() throws IOException {
      if (plain != null) {
        plain.close();
      }
      source.close();
    }
  }

  /** The stored bytes, remembering the exceptions they threw themselves. */
  private static final class SourceStream extends FilterInputStream {
    private IOException last;

    SourceStream(InputStream in) {
      super(in);
    }

    boolean failed(IOException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t == last) {
          return true;
        }
      }
      return false;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        last = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        last = e;
        throw e;
      }
    }
  }
}
