package dev.lifeboat.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Counts the bytes written through it and computes their SHA-256. Closing it does not close the delegate. */
public final class DigestingOutputStream extends FilterOutputStream {
  private final MessageDigest digest;
  private long count;

  public DigestingOutputStream(OutputStream out) {
    super(out);
    this.digest = sha256();
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    digest.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    digest.update(b, off, len);
    count += len;
  }

  @Override
  public void close() throws IOException {
    out.flush();
  }

  /** Bytes written so far. */
  public long count() {
    return count;
  }

  /** Lower-case hex SHA-256 of everything written; call once, at the end. */
  public String sha256Hex() {
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
