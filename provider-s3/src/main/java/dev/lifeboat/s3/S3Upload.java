package dev.lifeboat.s3;

import dev.lifeboat.spi.BlobOutput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * One object being written, streamed to S3 with bounded memory and never staged on disk. The bytes
 * fill a part buffer; a full buffer is uploaded as a part of a multipart upload on a background
 * thread while the next one fills, so at most two part buffers exist. An object that fits in its
 * first part is sent with one PutObject on {@link #close()} instead.
 *
 * <p>Each part is sent with its exact length from a byte array, so the SDK can retry a part on its
 * own and no server sees a chunked upload of unknown length. A failed or aborted upload aborts its
 * multipart upload, so no parts stay behind (and are billed); a process killed mid-upload leaves
 * one, which {@link S3BlobStore#list} shows as a hidden {@code .NAME.partial-…} blob until the
 * snapshot protocol removes it.
 */
final class S3Upload extends BlobOutput {
  private static final Logger LOG = LoggerFactory.getLogger(S3Upload.class);
  /** S3's limit on the parts of one upload. */
  static final int MAX_PARTS = 10_000;

  private final S3BlobStore store;
  private final String blobKey;
  private final String objectKey;
  private final int partSize;
  private final ExecutorService uploader;
  private final List<CompletedPart> parts = new ArrayList<>();
  private byte[] filling;
  private byte[] spare;
  private int filled;
  private Future<?> inFlight;
  private volatile String uploadId;
  private volatile boolean aborted;
  private boolean closed;

  S3Upload(S3BlobStore store, String blobKey, int partSize) {
    this.store = store;
    this.blobKey = blobKey;
    this.objectKey = store.where().objectKey(blobKey);
    this.partSize = partSize;
    // Small objects (a writer record, a manifest) never need a second buffer or a thread.
    this.filling = new byte[Math.min(partSize, 64 * 1024)];
    this.uploader = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "lifeboat-s3-upload");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    checkOpen();
    while (len > 0) {
      if (filled == filling.length) {
        if (filling.length < partSize) {
          filling = java.util.Arrays.copyOf(filling, (int) Math.min(partSize, filling.length * 4L));
        } else {
          sendFullPart();
        }
      }
      int n = Math.min(len, filling.length - filled);
      System.arraycopy(b, off, filling, filled, n);
      filled += n;
      off += n;
      len -= n;
    }
  }

  /** Hands the full buffer to the uploader once the part before it is done; then fills the other buffer. */
  private void sendFullPart() throws IOException {
    awaitInFlight();
    checkOpen();
    if (uploadId == null) {
      uploadId = store.startMultipart(objectKey);
    }
    int number = parts.size() + 1;
    if (number > MAX_PARTS) {
      throw new IOException("the object " + blobKey + " outgrew S3's " + MAX_PARTS + " parts of " + partSize
          + " bytes; raise the setting s3.part-size (e.g. 128MiB) for larger dumps");
    }
    byte[] part = filling;
    int length = filled;
    String id = uploadId;
    parts.add(null);
    inFlight = uploader.submit(() -> {
      // A fresh stream per attempt: the SDK retries a failed part from the start of the array.
      RequestBody body = RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part, 0, length), length, "application/octet-stream");
      String etag = store.client().uploadPart(UploadPartRequest.builder().bucket(store.where().bucket()).key(objectKey)
          .uploadId(id).partNumber(number).contentLength((long) length).build(), body).eTag();
      synchronized (parts) {
        parts.set(number - 1, CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
      return null;
    });
    filling = spare == null ? new byte[partSize] : spare;
    spare = part;
    filled = 0;
  }

  /** Waits for the part being uploaded; its failure is this upload's failure. */
  private void awaitInFlight() throws IOException {
    if (inFlight == null) {
      return;
    }
    try {
      inFlight.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while uploading " + blobKey);
    } catch (CancellationException e) {
      throw new IOException("the write of " + blobKey + " was aborted");
    } catch (ExecutionException e) {
      // The SDK retried the part already: the upload is lost, and its parts are freed now.
      aborted = true;
      abortMultipart();
      Throwable cause = e.getCause();
      if (cause instanceof SdkException s) {
        throw new IOException(store.describeFailure("cannot upload a part of " + blobKey, s), s);
      }
      throw new IOException("cannot upload a part of " + blobKey + ": " + cause, cause);
    } finally {
      inFlight = null;
    }
  }

  private void checkOpen() throws IOException {
    if (aborted) {
      throw new IOException("the write of " + blobKey + " was aborted");
    }
    if (closed) {
      throw new IOException("the write of " + blobKey + " is closed");
    }
  }

  @Override
  public void flush() throws IOException {
    // Parts are sent whole; nothing to push before close.
    checkOpen();
  }

  /** Publishes the object: one PutObject when it fits a part, else the last part and CompleteMultipartUpload. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    checkOpen();
    boolean done = false;
    try {
      if (uploadId == null) {
        store.putWhole(objectKey, filling, filled);
      } else {
        if (filled > 0 || parts.isEmpty()) {
          sendFullPart();
        }
        awaitInFlight();
        checkOpen();
        List<CompletedPart> completed;
        synchronized (parts) {
          completed = List.copyOf(parts);
        }
        store.completeMultipart(objectKey, uploadId, CompletedMultipartUpload.builder().parts(completed).build());
      }
      done = true;
    } catch (SdkException e) {
      throw new IOException(store.describeFailure("cannot write " + blobKey, e), e);
    } finally {
      closed = true;
      filling = null;
      spare = null;
      uploader.shutdownNow();
      if (!done) {
        abortMultipart();
      }
    }
  }

  /** Stops the upload, also one in progress on another thread, and aborts its multipart upload. */
  @Override
  public void abort() {
    if (aborted) {
      return;
    }
    aborted = true;
    Future<?> running = inFlight;
    // Not interrupted: a part request cut off on the client may still be written by the server after
    // the abort below, and a late part brings the multipart upload back. Waiting for it (at most one
    // part) lets the abort free everything.
    uploader.shutdown();
    if (running != null) {
      try {
        running.get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | CancellationException | TimeoutException e) {
        // Failed or stopped: what matters is the abort below.
      }
    }
    synchronized (this) {
      if (!closed) {
        closed = true;
        filling = null;
        spare = null;
        abortMultipart();
      }
    }
  }

  private void abortMultipart() {
    String id = uploadId;
    if (id == null) {
      return;
    }
    try {
      store.abortMultipart(objectKey, id);
    } catch (RuntimeException e) {
      LOG.warn("Could not abort the multipart upload of {} ({}); the next backup aborts it.", blobKey, e.getMessage());
    }
  }
}
