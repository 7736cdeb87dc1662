package dev.lifeboat.github;

import dev.lifeboat.LifeboatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of one asset, downloaded again from where the connection was cut, or ended before the
 * size GitHub records, with a {@code Range} request, up to {@code maxResumes} times: a part is up
 * to 1.9 GB, and a restore should not fail for one dropped connection. What it returns is checked
 * whole above it ({@link AssetCheckingStream}).
 */
final class ResumingDownload extends InputStream {
  private static final Logger LOG = LoggerFactory.getLogger(ResumingDownload.class);
  private final LongFunction<InputStream> openAt;
  private final String what;
  private final int maxResumes;
  private final long size;
  private InputStream in;
  private long position;
  private int resumes;

  ResumingDownload(LongFunction<InputStream> openAt, String what, long size, int maxResumes) {
    this.openAt = openAt;
    this.size = size;
    this.what = what;
    this.maxResumes = maxResumes;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (true) {
      if (in == null) {
        in = openAt.apply(position);
      }
      try {
        int n = in.read(b, off, len);
        if (n > 0) {
          position += n;
          return n;
        }
        if (n < 0 && position < size && resumes < maxResumes) {
          resume("it ended early");
          continue;
        }
        return n;
      } catch (IOException e) {
        if (resumes >= maxResumes) {
          throw e;
        }
        resume(ServerText.oneLine(String.valueOf(e.getMessage()), 120));
      } catch (LifeboatException e) {
        closeQuietly();
        throw e;
      }
    }
  }

  private void resume(String why) {
    resumes++;
    LOG.info("The download of {} stopped after {} of {} bytes ({}); resuming there (resume {} of {})", what, position, size, why,
        resumes, maxResumes);
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      if (in != null) {
        in.close();
      }
    } catch (IOException ignored) {
      // A cut connection may not close cleanly either.
    }
    in = null;
  }

  @Override
  public void close() throws IOException {
    if (in != null) {
      in.close();
      in = null;
    }
  }
}
