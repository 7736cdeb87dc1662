package dev.lifeboat.internal;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The decompressed dump, read while its stored bytes are checked, with its last
 * {@value #HELD} bytes held back until the stored archive has been read to its end and matched
 * its size and SHA-256. A loader that commits only at the end of its input (pg_restore
 * {@code --single-transaction}) therefore cannot commit a corrupt archive: the read that would
 * give it the last bytes throws {@code CHECKSUM_MISMATCH} instead, while the loader still waits.
 *
 * <p>It reads ahead of its reader by at most {@value #HELD} bytes more than it hands out, so its
 * memory stays bounded whatever the archive's size.
 */
final class HeldTailInputStream extends InputStream {
  /** Bytes held back: more than any end-of-archive marker, small enough to keep in memory. */
  static final int HELD = 1 << 20;

  private final InputStream dump;
  private final InputStream stored;
  private final String id;
  private final String compression;
  private final byte[] window = new byte[2 * HELD];
  private int start;
  private int end;
  private boolean verifiedEnd;

  /**
   * @param dump the decompressed stream read from {@code stored}
   * @param stored the stored bytes, checking size and SHA-256 when read to their end
   * @param id the snapshot, for messages
   * @param compression how the stored bytes are compressed, for messages
   */
  HeldTailInputStream(InputStream dump, InputStream stored, String id, String compression) {
    this.dump = dump;
    this.stored = stored;
    this.id = id;
    this.compression = compression;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    fill();
    int releasable = verifiedEnd ? end - start : end - start - HELD;
    if (releasable <= 0) {
      return -1;
    }
    int n = Math.min(len, releasable);
    System.arraycopy(window, start, b, off, n);
    start += n;
    return n;
  }

  /** Reads until more than {@value #HELD} bytes wait, or the verified end. */
  private void fill() {
    while (!verifiedEnd && end - start <= HELD) {
      if (end == window.length) {
        System.arraycopy(window, start, window, 0, end - start);
        end -= start;
        start = 0;
      }
      int n;
      try {
        n = dump.read(window, end, window.length - end);
      } catch (IOException e) {
        // Corrupt bytes usually break the decompressor first: the stored checksum says what really happened.
        drainStored(e);
        if (e instanceof dev.lifeboat.crypto.DecryptionFailedException) {
          throw new LifeboatException(ErrorCode.DECRYPTION_FAILED, "Snapshot " + id + " cannot be decrypted: " + e.getMessage()
              + ". The loader was stopped before its input ended, so it committed nothing.", e);
        }
        throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
            "Snapshot " + id + " cannot be decompressed as " + compression + ": " + e.getMessage(), e);
      }
      if (n < 0) {
        // The decompressor may stop before the stored end: the stored bytes are checked at their own end.
        drainStored(null);
        verifiedEnd = true;
      } else {
        end += n;
      }
    }
  }

  private void drainStored(IOException cause) {
    byte[] skip = new byte[1 << 16];
    try {
      while (stored.read(skip) >= 0) {
        // Reading to the end is what checks size and SHA-256.
      }
    } catch (IOException e) {
      if (cause != null) {
        cause.addSuppressed(e);
        return;
      }
      if (e instanceof dev.lifeboat.crypto.DecryptionFailedException) {
        throw new LifeboatException(ErrorCode.DECRYPTION_FAILED, "Snapshot " + id + " cannot be decrypted: " + e.getMessage()
            + ". The loader was stopped before its input ended, so it committed nothing.", e);
      }
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "Reading snapshot " + id + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      dump.close();
    } finally {
      stored.close();
    }
  }
}
