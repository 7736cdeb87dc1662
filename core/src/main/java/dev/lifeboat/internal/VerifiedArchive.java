package dev.lifeboat.internal;

import dev.lifeboat.Compression;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import dev.lifeboat.Progress;
import dev.lifeboat.ProgressListener;
import dev.lifeboat.crypto.DecryptionFailedException;
import dev.lifeboat.crypto.Encryption;
import dev.lifeboat.crypto.PrivateKey;
import dev.lifeboat.io.VerifyingInputStream;
import dev.lifeboat.spi.Archive;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A snapshot's archive read once from its target: {@link #verify()} reads the stored bytes through
 * {@link SnapshotTarget#open} a single time, checking size and SHA-256, and everything after it
 * (the restorer's format check, the restore, a full read) reads a local copy, never the store
 * again.
 *
 * <ul>
 *   <li>When the target keeps the archive on a local disk ({@link SnapshotTarget#localFile}), that
 *       file is the copy: later reads stream it again, still checked against the SHA-256, and
 *       decompress on the fly.
 *   <li>Otherwise the one read decompresses into a private scratch file (setting
 *       {@value #SCRATCH_SETTING}, the system temp folder by default) that later reads use; it is
 *       deleted on {@link #close()}, and at once when the check fails.
 * </ul>
 *
 * <p>A restore whose loader commits only at the end of its input
 * ({@link dev.lifeboat.spi.Restorer.Reading#STREAM_COMMITTING_AT_END}) skips the separate pass: after
 * {@link #checkWhileReading()}, {@link #open()} streams the stored bytes themselves, checked as
 * they are read, with the last bytes held back until the check passed ({@link HeldTailInputStream}).
 * One read of the store, and a corrupt archive still never reaches a commit.
 *
 * <p>An encrypted archive ({@link Encryption}) is decrypted after the stored-bytes check and
 * before decompression, on every path: stored bytes → size and SHA-256 of the ciphertext →
 * decryption (each segment authenticated) → decompression. Its stored bytes are never the dump, so
 * {@link #localFile()} is empty and a seekable restore gets a decrypted scratch copy. On a local
 * store, {@link #verify()} reads the whole ciphertext through decryption, so that a changed or
 * truncated segment is refused before the destination is touched. Without a key only the stored
 * bytes can be checked.
 */
public final class VerifiedArchive implements Archive, AutoCloseable {
  /** The setting that names the folder for scratch copies. */
  public static final String SCRATCH_SETTING = "lifeboat.scratchDir";
  private static final int BUFFER = 1 << 20;

  private final SnapshotTarget target;
  private final Manifest manifest;
  private final ProviderContext context;
  private final boolean encrypted;
  private final Optional<PrivateKey> key;
  private Path local;
  private Path scratchDir;
  private Path staged;
  private long storedBytes = -1;
  private boolean whileReading;
  private boolean intoFile;
  /** What the staged copy's bytes pass through on their way into it (a restorer's {@code seekableCopy}). */
  private UnaryOperator<InputStream> rewrite = UnaryOperator.identity();

  public VerifiedArchive(SnapshotTarget target, Manifest manifest, ProviderContext context) {
    this(target, manifest, context, Optional.empty());
  }

  /**
   * An archive that may be encrypted: {@code key} is the private key that decrypts it (checked
   * with {@link Encryption#keyFor}); without one, only {@link #verify()} can read an encrypted
   * archive.
   */
  public VerifiedArchive(SnapshotTarget target, Manifest manifest, ProviderContext context, Optional<PrivateKey> key) {
    this.target = target;
    this.manifest = manifest;
    this.context = context;
    this.encrypted = Encryption.isEncrypted(manifest);
    // A key that is not the snapshot's is refused at once; no key still lets verify() check the stored bytes.
    this.key = encrypted && key.isPresent() ? Encryption.keyFor(manifest, key) : Optional.empty();
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  /**
   * Reads the stored bytes once and checks their size and SHA-256 ({@code CHECKSUM_MISMATCH} when
   * they differ, before anything else reads them). Returns the stored size; a second call does
   * nothing.
   */
  public synchronized long verify() {
    if (storedBytes >= 0) {
      return storedBytes;
    }
    Optional<Path> file = target.localFile(manifest.id());
    try (InputStream stored = target.open(manifest.id())) {
      if (encrypted && key.isEmpty()) {
        // Without the key, the ciphertext's size and SHA-256 are all there is to check.
        storedBytes = drain(stored);
      } else if (file.isPresent() && !intoFile) {
        storedBytes = encrypted ? authenticate(stored) : drain(stored);
      } else {
        storedBytes = stage(stored);
      }
    } catch (IOException e) {
      discardStaged();
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "Reading snapshot " + manifest.id() + " failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      discardStaged();
      throw e;
    }
    local = file.orElse(null);
    progress().onProgress(new Progress("check", storedBytes, -1, manifest.id()));
    return storedBytes;
  }

  /**
   * Checks the stored bytes during the restore's own read instead of before it: {@link #open()}
   * then reads the store (once per call) through a {@link HeldTailInputStream}. Only for a loader
   * that commits nothing before the end of its input.
   */
  public synchronized void checkWhileReading() {
    whileReading = true;
  }

  /**
   * {@link #verify()}, writing the uncompressed copy that {@link #file} returns during that one
   * read, also when the store keeps the archive on a local disk (compressed), for a restorer that
   * seeks in it.
   */
  public synchronized long verifyIntoFile() {
    return verifyIntoFile(UnaryOperator.identity());
  }

  /**
   * {@link #verifyIntoFile()}, with the file's bytes passed through {@code rewrite} on their way
   * there ({@link dev.lifeboat.spi.Restorer#seekableCopy}); the checks are of the stored bytes, as
   * always. A stored file that is already the uncompressed dump is used as it is, unrewritten.
   */
  public synchronized long verifyIntoFile(UnaryOperator<InputStream> rewrite) {
    intoFile = manifest.compression() != Compression.NONE || encrypted;
    this.rewrite = rewrite;
    return verify();
  }

  /** Reads {@code stored} to its end through decryption, authenticating every segment; returns its size. */
  private long authenticate(InputStream stored) throws IOException {
    CountingInputStream counting = new CountingInputStream(stored);
    try {
      // Not closed here: closing it would close the stored bytes before their end is checked below.
      drain(decrypted(counting));
    } catch (DecryptionFailedException e) {
      // A damaged store fails its checksum first: that is the error to report.
      drainQuietly(counting, e);
      throw decryptionFailed(e);
    }
    drain(counting);
    return counting.count;
  }

  /** The dump within the stored bytes: decrypted when encrypted, then decompressed. */
  private InputStream plain(InputStream stored) throws IOException {
    return manifest.compression().decompress(decrypted(stored));
  }

  private InputStream decrypted(InputStream stored) {
    if (!encrypted) {
      return stored;
    }
    // Without a key this throws the error naming the key the snapshot needs.
    return Encryption.decrypt(stored, Encryption.keyFor(manifest, key).orElseThrow(), manifest.id());
  }

  /** A read of the dump failed after the stored bytes were checked, or while they were. */
  private LifeboatException unreadable(IOException e) {
    if (e instanceof DecryptionFailedException) {
      return decryptionFailed(e);
    }
    return new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
        "Snapshot " + manifest.id() + " cannot be decompressed as " + manifest.compression() + ": " + e.getMessage(), e);
  }

  private LifeboatException decryptionFailed(IOException e) {
    return new LifeboatException(ErrorCode.DECRYPTION_FAILED, "Snapshot " + manifest.id() + " cannot be decrypted: " + e.getMessage()
        + ". Nothing was restored from it.", e);
  }

  /** Reads {@code stored} to its end (where it checks the SHA-256); returns its size. */
  private static long drain(InputStream stored) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    int n;
    while ((n = stored.read(buffer)) >= 0) {
      total += n;
    }
    return total;
  }

  /** Decompresses {@code stored} into a scratch file while its SHA-256 is checked; returns the stored size. */
  private long stage(InputStream stored) throws IOException {
    scratchDir = createScratchDir();
    staged = scratchDir.resolve(manifest.id() + "." + manifest.format());
    CountingInputStream counting = new CountingInputStream(stored);
    try (OutputStream out = new BufferedOutputStream(PrivateFiles.newOutputStream(staged), BUFFER)) {
      InputStream decrypted;
      InputStream plain;
      try {
        decrypted = decrypted(counting);
        plain = rewrite.apply(manifest.compression().decompress(notClosing(decrypted)));
      } catch (IOException e) {
        // A broken header (encryption or compression): the checksum says what really happened.
        drainQuietly(counting, e);
        throw unreadable(e);
      }
      // The decompressor is closed (its native buffers freed) while the stored stream stays open for the check.
      try (plain) {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = readDecompressed(plain, buffer, counting)) >= 0) {
          out.write(buffer, 0, n); // a failed write (disk full) is reported below, as the scratch folder's
        }
      }
      // Should the decompressor stop early, the rest of the ciphertext is still authenticated.
      try {
        drain(decrypted);
      } catch (IOException e) {
        drainQuietly(counting, e);
        throw unreadable(e);
      }
      // The decompressor may stop before the stored end: the check happens there.
      drain(counting);
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "Cannot copy snapshot " + manifest.id() + " into " + scratchDir
          + ": " + why + ". Free disk space there or set the scratch folder (setting " + SCRATCH_SETTING + ").", e);
    }
    return counting.count;
  }

  /** One read of the decompressed archive; a failure there is the archive's, checked against its SHA-256. */
  private int readDecompressed(InputStream plain, byte[] buffer, InputStream stored) {
    try {
      return plain.read(buffer);
    } catch (IOException e) {
      // Corrupt bytes often break the decompressor first: the checksum says what really happened.
      drainQuietly(stored, e);
      throw unreadable(e);
    }
  }

  private static void drainQuietly(InputStream in, IOException cause) {
    try {
      drain(in);
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public InputStream open() {
    if (whileReading && storedBytes < 0) {
      return heldTail();
    }
    verify();
    if (staged != null) {
      try {
        return Files.newInputStream(staged);
      } catch (IOException e) {
        throw new LifeboatException(ErrorCode.TARGET_FAILED, "Cannot read the copy of snapshot " + manifest.id() + ": " + e.getMessage(), e);
      }
    }
    InputStream raw;
    try {
      raw = new VerifyingInputStream(Files.newInputStream(local), manifest.size(), manifest.sha256(), manifest.id());
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "Reading snapshot " + manifest.id() + " failed: " + e.getMessage(), e);
    }
    try {
      return plain(raw);
    } catch (IOException e) {
      closeQuietly(raw);
      throw unreadable(e);
    }
  }

  private InputStream heldTail() {
    InputStream stored = target.open(manifest.id());
    try {
      InputStream decrypted = decrypted(stored);
      // Encrypted: the held tail is released only after the ciphertext was read to its end through
      // decryption (the last segment's tag checked, also should the decompressor stop early) and then
      // matched its SHA-256.
      InputStream end = encrypted ? new java.io.SequenceInputStream(notClosing(decrypted), stored) : stored;
      return new HeldTailInputStream(manifest.compression().decompress(encrypted ? notClosing(decrypted) : decrypted), end, manifest.id(),
          manifest.compression().toString());
    } catch (IOException e) {
      closeQuietly(stored);
      throw unreadable(e);
    }
  }

  /**
   * {@code in}, left open by the readers that close their input once they reach its end (a
   * decompressor, {@link java.io.SequenceInputStream}), so that its end can still be read and checked.
   */
  private static InputStream notClosing(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public void close() {
        // The stored bytes under it are closed by whoever opened them.
      }
    };
  }

  @Override
  public Optional<Path> localFile() {
    verify();
    if (staged != null) {
      return Optional.of(staged);
    }
    return manifest.compression() == Compression.NONE && !encrypted ? Optional.of(local) : Optional.empty();
  }

  @Override
  public Path file(Path scratch) {
    Optional<Path> plain = localFile();
    if (plain.isPresent()) {
      return plain.get();
    }
    Path file = scratch.resolve(manifest.id() + "." + manifest.format());
    try {
      // It holds the whole database: created afresh, readable only by this user.
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "Cannot replace " + file + ": " + e.getMessage(), e);
    }
    try (InputStream in = open(); OutputStream out = PrivateFiles.newOutputStream(file)) {
      in.transferTo(out);
      return file;
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.TARGET_FAILED,
          "Cannot unpack snapshot " + manifest.id() + " into " + scratch + ": " + e.getMessage()
              + ". Free disk space there or set the scratch folder (setting " + SCRATCH_SETTING + ").", e);
    }
  }

  /** Deletes the scratch copy, if one was made. */
  @Override
  public synchronized void close() {
    discardStaged();
  }

  private void discardStaged() {
    if (scratchDir == null) {
      return;
    }
    try (Stream<Path> all = Files.walk(scratchDir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(VerifiedArchive.class).warn("Could not remove the scratch copy {}: {}", scratchDir, e.getMessage());
    }
    scratchDir = null;
    staged = null;
  }

  private Path createScratchDir() {
    Path base = context.setting(SCRATCH_SETTING).filter(s -> !s.isBlank()).map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir")));
    try {
      return dev.lifeboat.io.ScratchFolders.create(base, "lifeboat-archive-");
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Cannot create a scratch folder in " + base + ": " + e.getMessage()
          + ". Set " + SCRATCH_SETTING + " to a writable folder with room for the archive.", e);
    }
  }

  private ProgressListener progress() {
    return context.progress();
  }

  /** Counts the stored bytes read. */
  private static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // Already failing; the first error is the one to report.
    }
  }
}
