package dev.lifeboat.mongo;

import dev.lifeboat.Progress;
import dev.lifeboat.ProgressListener;
import dev.lifeboat.mongo.archive.ArchiveHeader;
import dev.lifeboat.mongo.archive.CollectionMetadata;
import dev.lifeboat.mongo.archive.MongoArchiveWriter;
import dev.lifeboat.mongo.archive.Namespace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The archive as an {@link InputStream}: the reading thread is the archive's single writer. It
 * takes whole-document chunks that the collection readers put on a bounded queue, frames them with
 * a {@link MongoArchiveWriter} into a small staging buffer and hands the bytes out. Memory is
 * bounded by the queue's capacity times the chunk size, whatever the collections' sizes.
 */
final class ArchiveStream extends InputStream {

  /** What a collection reader hands the writer. */
  sealed interface Message permits Chunk, End, Failure {}

  /** Whole documents of one namespace, {@code bytes[0..length)}. */
  record Chunk(Namespace namespace, byte[] bytes, int length, int documents) implements Message {}

  /** The namespace's last document was handed over. */
  record End(Namespace namespace) implements Message {}

  /** A reader failed; the dump fails. */
  record Failure(Throwable cause) implements Message {}

  private final BlockingQueue<Message> queue;
  private final MongoArchiveWriter writer;
  private final Staging staging = new Staging();
  private final ProgressListener progress;
  private final BooleanSupplier aborted;
  private boolean ended;
  private long documents;
  private volatile Throwable failure;

  ArchiveStream(BlockingQueue<Message> queue, ArchiveHeader header, List<CollectionMetadata> entries,
      ProgressListener progress, BooleanSupplier aborted) {
    this.queue = queue;
    this.progress = progress;
    this.aborted = aborted;
    this.writer = new MongoArchiveWriter(staging);
    writer.writePrelude(header, entries);
  }

  /** Documents written per data namespace; valid once the stream reached its end. */
  MongoArchiveWriter writer() {
    return writer;
  }

  /** The reader failure that ended the stream, or {@code null}. */
  Throwable failure() {
    return failure;
  }

  /** Whether every namespace reached EOF and the last byte was handed out. */
  boolean complete() {
    return ended && writer.finished();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!staging.hasRemaining()) {
      if (ended) {
        return -1;
      }
      staging.reset();
      fill();
    }
    return staging.read(b, off, len);
  }

  /** Frames the next message, or marks the end when every namespace reached EOF. */
  private void fill() throws IOException {
    if (writer.allEnded()) {
      writer.finish();
      ended = true;
      return;
    }
    Message m = take();
    try {
      if (m instanceof Chunk c) {
        writer.writeDocuments(c.namespace(), c.bytes(), 0, c.length());
        documents += c.documents();
      } else if (m instanceof End e) {
        writer.endNamespace(e.namespace());
        progress.onProgress(new Progress("dump", writer.bytes(e.namespace()), documents, e.namespace().toString()));
      } else if (m instanceof Failure f) {
        failure = f.cause();
        throw new IOException("Reading the source failed: " + f.cause().getMessage(), f.cause());
      }
    } catch (RuntimeException e) {
      failure = e;
      throw new IOException("Writing the archive failed: " + e.getMessage(), e);
    }
  }

  private Message take() throws IOException {
    try {
      while (true) {
        Message m = queue.poll(200, TimeUnit.MILLISECONDS);
        if (m != null) {
          return m;
        }
        if (aborted.getAsBoolean()) {
          throw new IOException("The dump was aborted.");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while waiting for the source's documents.", e);
    }
  }

  /**
   * The bytes framed from one message: small writes (headers, terminators) are copied into a
   * buffer, large ones (runs of documents) are kept by reference. That is safe because every chunk
   * array is handed over once and never written again.
   */
  private static final class Staging extends OutputStream {
    private static final int BY_REFERENCE = 8192;
    private final java.util.ArrayList<byte[]> arrays = new java.util.ArrayList<>();
    private final java.util.ArrayList<int[]> ranges = new java.util.ArrayList<>();
    private byte[] small = new byte[1 << 12];
    private int smallStart;
    private int smallCount;
    private int segment;
    private int position;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (len >= BY_REFERENCE) {
        sealSmall();
        arrays.add(b);
        ranges.add(new int[] {off, off + len});
        return;
      }
      if (smallCount + len > small.length) {
        sealSmall();
        small = new byte[Math.max(small.length, len)];
        smallStart = 0;
        smallCount = 0;
      }
      System.arraycopy(b, off, small, smallCount, len);
      smallCount += len;
    }

    private void sealSmall() {
      if (smallCount > smallStart) {
        arrays.add(small);
        ranges.add(new int[] {smallStart, smallCount});
        smallStart = smallCount;
      }
    }

    boolean hasRemaining() {
      sealSmall();
      return segment < arrays.size();
    }

    int read(byte[] b, int off, int len) {
      byte[] src = arrays.get(segment);
      int[] range = ranges.get(segment);
      int start = range[0] + position;
      int n = Math.min(len, range[1] - start);
      System.arraycopy(src, start, b, off, n);
      position += n;
      if (range[0] + position >= range[1]) {
        segment++;
        position = 0;
      }
      return n;
    }

    /** Forgets what was read (all of it), so the small buffer can be reused. */
    void reset() {
      arrays.clear();
      ranges.clear();
      segment = 0;
      position = 0;
      smallStart = 0;
      smallCount = 0;
    }
  }
}
