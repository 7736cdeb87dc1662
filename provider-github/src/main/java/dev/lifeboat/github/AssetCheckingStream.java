package dev.lifeboat.github;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The downloaded bytes of one asset, checked against the size and SHA-256 GitHub records for it
 * when the stream ends (and at once when it runs past the size): GitHub has been seen answering
 * 200 with an HTML error page, and a cut connection looks like an early end. A mismatch is
 * {@link ErrorCode#CHECKSUM_MISMATCH}.
 */
final class AssetCheckingStream extends FilterInputStream {
  private final ReleaseAsset asset;
  private final String where;
  private final MessageDigest sha;
  private long count;
  private boolean checked;

  AssetCheckingStream(InputStream in, ReleaseAsset asset, String where) {
    super(in);
    this.asset = asset;
    this.where = where;
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) {
      check();
      return -1;
    }
    sha.update(b, off, n);
    count += n;
    if (count > asset.size()) {
      throw mismatch("more than the " + asset.size() + " bytes GitHub records");
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Every byte must pass through the digest.
    byte[] buf = new byte[8192];
    long left = n;
    while (left > 0) {
      int r = read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        break;
      }
      left -= r;
    }
    return n - left;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void check() {
    if (checked) {
      return;
    }
    checked = true;
    if (count != asset.size()) {
      throw mismatch(count + " bytes, GitHub records " + asset.size() + " (a cut download or an error page)");
    }
    String expected = asset.sha256();
    String actual = HexFormat.of().formatHex(sha.digest());
    if (!expected.isEmpty() && !expected.equals(actual)) {
      throw mismatch("SHA-256 " + actual + ", GitHub records " + expected);
    }
  }

  private LifeboatException mismatch(String what) {
    return new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "Asset " + asset.name() + " of " + where + " downloaded as " + what + ".");
  }
}
