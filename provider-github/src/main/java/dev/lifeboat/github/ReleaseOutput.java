package dev.lifeboat.github;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.spi.BlobOutput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;

/**
 * A put into a {@link ReleaseBlobStore}: the bytes are spooled to a private scratch file (GitHub
 * needs each upload's length), at most one part of {@code partSize} bytes at a time. A part that
 * is full when more bytes come is uploaded as {@code NAME.part-NNN}; at {@link #close()} the rest
 * is uploaded as {@code NAME} (when it is the only part) or {@code NAME.part-NNN-of-NNN}, and only
 * then is the blob visible. {@link #abort()} cancels an upload in flight and discards the file;
 * parts already uploaded stay hidden until the owner of the key deletes them.
 */
final class ReleaseOutput extends BlobOutput {
  private final ReleaseBlobStore store;
  private final String folder;
  private final String name;
  private final long partSize;
  private final Path scratchDir;
  private final AtomicReference<Call> inFlight = new AtomicReference<>();
  private final MessageDigest sha;
  private Path spool;
  private OutputStream out;
  private long inPart;
  private int partsUploaded;
  /** The asset names of a split archive, in order; empty while it fits one asset. */
  private final java.util.List<String> parts = new java.util.ArrayList<>();
  private Release release;
  private volatile boolean aborted;
  private boolean closed;

  ReleaseOutput(ReleaseBlobStore store, String folder, String name, long partSize, Path scratchDir) {
    this.store = store;
    this.folder = folder;
    this.name = name;
    this.partSize = partSize;
    this.scratchDir = scratchDir;
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    checkOpen();
    while (len > 0) {
      if (inPart == partSize) {
        String part = name + String.format(".part-%03d", partsUploaded + 1);
        uploadPart(part);
        parts.add(part);
      }
      int n = (int) Math.min(len, partSize - inPart);
      spool().write(b, off, n);
      sha.update(b, off, n);
      inPart += n;
      off += n;
      len -= n;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    checkOpen();
    try {
      String asset = partsUploaded == 0 ? name : name + String.format(".part-%03d-of-%03d", partsUploaded + 1, partsUploaded + 1);
      uploadPart(asset);
      if (partsUploaded > 1) {
        parts.add(asset);
      }
      store.afterUpload(release, folder, name);
      closed = true;
    } catch (LifeboatException e) {
      throw new IOException(e.getMessage(), e);
    } finally {
      discardSpool();
    }
  }

  @Override
  public synchronized java.util.List<String> parts() {
    return closed ? java.util.List.copyOf(parts) : java.util.List.of();
  }

  @Override
  public void abort() {
    if (aborted) {
      return;
    }
    aborted = true;
    Call call = inFlight.get();
    if (call != null) {
      call.cancel();
    }
    synchronized (this) {
      if (!closed) {
        discardSpool();
      }
    }
  }

  /** Uploads the spooled part as {@code asset} and starts the next one. */
  private void uploadPart(String asset) throws IOException {
    OutputStream o = spool();
    o.close();
    out = null;
    String digest = HexFormat.of().formatHex(sha.digest());
    try {
      if (release == null) {
        release = store.ensureRelease(folder);
        // A put replaces what the key held.
        store.deleteNamed(release, name);
      }
      checkOpen();
      store.upload(release, asset, spool, inPart, digest, inFlight, () -> aborted);
      checkOpen();
    } catch (GitHubApiException e) {
      if (!ReleaseBlobStore.immutableRefusal(release, folder, name, e)) {
        throw new IOException(e.getMessage(), e);
      }
      // Core records itself as the writer before deleting a snapshot; an immutable release takes
      // no asset, and deleting its manifest removes the whole release at once, so none is needed.
    } catch (LifeboatException e) {
      throw new IOException(e.getMessage(), e);
    } finally {
      Files.deleteIfExists(spool);
      spool = null;
    }
    partsUploaded++;
    inPart = 0;
  }

  private OutputStream spool() throws IOException {
    if (out == null) {
      Files.createDirectories(scratchDir);
      spool = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
          ? Files.createTempFile(scratchDir, "lifeboat-upload-", ".part", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
          : Files.createTempFile(scratchDir, "lifeboat-upload-", ".part");
      out = new BufferedOutputStream(Files.newOutputStream(spool), 1 << 20);
    }
    return out;
  }

  private void discardSpool() {
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException ignored) {
      // The file goes next.
    }
    out = null;
    try {
      if (spool != null) {
        Files.deleteIfExists(spool);
      }
    } catch (IOException ignored) {
      // A scratch file left in the temp folder holds nothing readable by others (0600).
    }
    spool = null;
  }

  private void checkOpen() throws IOException {
    if (aborted) {
      throw new IOException("the write of " + folder + "/" + name + " was aborted");
    }
    if (closed) {
      throw new IOException("the write of " + folder + "/" + name + " is closed");
    }
  }
}
