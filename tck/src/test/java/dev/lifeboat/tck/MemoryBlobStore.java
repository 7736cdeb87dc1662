package dev.lifeboat.tck;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.spi.Blob;
import dev.lifeboat.spi.BlobOutput;
import dev.lifeboat.spi.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A blob store in memory that can only put, get, list and delete whole objects, as an object
 * store can: there is no rename and no partial object ever becomes visible. Core's commit
 * protocol must work over it as over a folder.
 */
final class MemoryBlobStore implements BlobStore {
  private record Stored(byte[] bytes, Instant at) {}

  private final Location location;
  private final Map<String, Stored> blobs = new ConcurrentHashMap<>();

  MemoryBlobStore(Location location) {
    this.location = location;
  }

  @Override
  public Location location() {
    return location;
  }

  @Override
  public void checkUsable(boolean forWriting) {
    // Memory is always there.
  }

  @Override
  public BlobOutput put(String key) {
    return new BlobOutput() {
      private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      private volatile boolean aborted;
      private boolean closed;

      @Override
      public synchronized void write(int b) throws IOException {
        check();
        buffer.write(b);
      }

      @Override
      public synchronized void write(byte[] b, int off, int len) throws IOException {
        check();
        buffer.write(b, off, len);
      }

      private void check() throws IOException {
        if (aborted || closed) {
          throw new IOException("the upload of " + key + " was " + (aborted ? "aborted" : "completed"));
        }
      }

      @Override
      public synchronized void close() throws IOException {
        if (closed) {
          return;
        }
        check();
        closed = true;
        blobs.put(key, new Stored(buffer.toByteArray(), Instant.now()));
      }

      @Override
      public void abort() {
        aborted = true;
      }
    };
  }

  @Override
  public InputStream get(String key) {
    Stored s = blobs.get(key);
    if (s == null) {
      throw new LifeboatException(ErrorCode.NOT_FOUND, "No object " + key + " in " + location + ".");
    }
    return new ByteArrayInputStream(s.bytes());
  }

  @Override
  public List<Blob> list(String prefix) {
    return blobs.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
        .map(e -> new Blob(e.getKey(), e.getValue().bytes().length, e.getValue().at())).toList();
  }

  @Override
  public void delete(String key) {
    blobs.remove(key);
  }

  /** Replaces the bytes of {@code key} as a tampering hand would. */
  void replace(String key, byte[] bytes) {
    blobs.put(key, new Stored(bytes, Instant.now()));
  }

  /** The bytes of {@code key}. */
  byte[] bytes(String key) {
    return blobs.get(key).bytes().clone();
  }

  /** Every key. */
  List<String> keys() {
    return List.copyOf(blobs.keySet());
  }
}
