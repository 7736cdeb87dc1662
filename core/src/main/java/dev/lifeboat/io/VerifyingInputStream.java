package dev.lifeboat.io;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Checks a stream against an expected size and SHA-256 while it is read. Reading past the size,
 * or reaching the end with a different size or digest, throws {@link LifeboatException} with
 * {@link ErrorCode#CHECKSUM_MISMATCH}: a reader never sees the end of a corrupt archive as a
 * normal end.
 */
public final class VerifyingInputStream extends FilterInputStream {
  private final long expectedSize;
  private final String expectedSha256;
  private final String what;
  private final MessageDigest digest = DigestingOutputStream.sha256();
  private long count;
  private boolean checked;

  /**
   * @param in the stored bytes
   * @param expectedSize the manifest's size
   * @param expectedSha256 the manifest's lower-case hex SHA-256
   * @param what names the snapshot in error messages
   */
  public VerifyingInputStream(InputStream in, long expectedSize, String expectedSha256, String what) {
    super(in);
    this.expectedSize = expectedSize;
    this.expectedSha256 = expectedSha256;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      checkAtEnd();
    } else {
      digest.update((byte) b);
      count++;
      checkNotTooLong();
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) {
      checkAtEnd();
    } else if (n > 0) {
      digest.update(b, off, n);
      count += n;
      checkNotTooLong();
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must still be hashed.
    byte[] buf = new byte[(int) Math.min(n, 8192)];
    long done = 0;
    while (done < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  private void checkNotTooLong() {
    if (count > expectedSize) {
      throw mismatch("it is longer than the " + expectedSize + " bytes its manifest records");
    }
  }

  private void checkAtEnd() {
    if (checked) {
      return;
    }
    checked = true;
    if (count != expectedSize) {
      throw mismatch("it has " + count + " bytes, its manifest records " + expectedSize);
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equalsIgnoreCase(expectedSha256)) {
      throw mismatch("its SHA-256 is " + actual + ", its manifest records " + expectedSha256);
    }
  }

  private LifeboatException mismatch(String detail) {
    return new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
        "Snapshot " + what + " is corrupt: " + detail
            + ". Do not restore it; restore an older snapshot and take a new backup.");
  }
}
