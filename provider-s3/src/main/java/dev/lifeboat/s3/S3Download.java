package dev.lifeboat.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * One object read as a stream. A restore reads a large archive once over a long time; when the
 * connection breaks half-way, the read goes on from the byte it reached with a ranged GET of the
 * same object version ({@code If-Match} its ETag), instead of failing the restore. An object
 * replaced meanwhile is an error, never a splice of two objects; the caller's SHA-256 check is
 * the final word either way.
 */
final class S3Download extends InputStream {
  private static final Logger LOG = LoggerFactory.getLogger(S3Download.class);
  /** Resumptions in a row without a byte read in between before the read fails. */
  static final int MAX_RESUMES = 5;

  private final S3BlobStore store;
  private final String key;
  private final String objectKey;
  private ResponseInputStream<GetObjectResponse> current;
  private String etag;
  private long length = -1;
  private long position;
  private int failuresInARow;
  private boolean closed;

  S3Download(S3BlobStore store, String key) {
    this.store = store;
    this.key = key;
    this.objectKey = store.where().objectKey(key);
    this.current = open(0);
  }

  /** GetObject from {@code offset}; the first call learns the ETag and length, later ones insist on them. */
  private ResponseInputStream<GetObjectResponse> open(long offset) {
    GetObjectRequest.Builder b = GetObjectRequest.builder().bucket(store.where().bucket()).key(objectKey);
    if (offset > 0) {
      b.range("bytes=" + offset + "-");
    }
    if (etag != null) {
      b.ifMatch(etag);
    }
    ResponseInputStream<GetObjectResponse> in = store.client().getObject(b.build());
    if (etag == null) {
      etag = in.response().eTag();
      length = in.response().contentLength() == null ? -1 : in.response().contentLength();
    }
    return in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("the read of " + key + " is closed");
    }
    if (len == 0) {
      return 0;
    }
    while (true) {
      try {
        int n = current.read(b, off, len);
        if (n > 0) {
          position += n;
          failuresInARow = 0;
        } else if (n < 0 && length >= 0 && position < length) {
          throw new IOException("the connection ended at byte " + position + " of " + length);
        }
        return n;
      } catch (IOException | SdkException e) {
        if (e instanceof InterruptedIOException || Thread.currentThread().isInterrupted()) {
          throw e instanceof IOException io ? io : new IOException(store.describeFailure("cannot read " + key, (SdkException) e), e);
        }
        resume(e);
      }
    }
  }

  /** Reopens the object at the byte reached, or fails when that keeps failing or the object changed. */
  private void resume(Exception cause) throws IOException {
    closeQuietly();
    if (++failuresInARow > MAX_RESUMES || etag == null) {
      throw failure(cause);
    }
    LOG.info("Reading {} broke at byte {} ({}); going on from there", key, position, cause.getMessage());
    try {
      Thread.sleep(200L * failuresInARow);
      current = open(position);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading " + key);
    } catch (SdkException e) {
      if (e instanceof software.amazon.awssdk.services.s3.model.S3Exception s && s.statusCode() == 412) {
        throw new IOException("the object " + key + " in " + store.where().describe() + " was replaced while being read", e);
      }
      resume(e);
    }
  }

  private IOException failure(Exception cause) {
    return cause instanceof SdkException s ? new IOException(store.describeFailure("cannot read " + key, s), s)
        : new IOException("cannot read " + key + " from " + store.where().describe() + ": " + cause.getMessage(), cause);
  }

  private void closeQuietly() {
    try {
      // Abort, not close: draining the rest of a broken or huge body is pointless.
      current.abort();
      current.close();
    } catch (IOException | RuntimeException e) {
      // The connection is broken already.
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      closeQuietly();
    }
  }
}
