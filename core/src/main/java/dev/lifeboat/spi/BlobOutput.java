package dev.lifeboat.spi;

import java.io.OutputStream;

/**
 * The bytes of one {@link BlobStore#put(String)}. They become visible under the key only when
 * {@link #close()} returns; {@link #abort()} discards them instead.
 */
public abstract class BlobOutput extends OutputStream {

  /** For stores' implementations. */
  protected BlobOutput() {}

  /**
   * Discards what was written; the key stays as it was. It may be called from another thread,
   * also while a write is in progress: that write and every later one fail, and a later
   * {@link #close()} publishes nothing. Calling it after {@link #close()} returned does nothing.
   */
  public abstract void abort();

  /**
   * The names under which the store keeps these bytes when it had to split them (an asset size
   * limit), in order, once {@link #close()} returned; empty when they are kept whole under their key.
   * Core records them in the snapshot's manifest ({@link dev.lifeboat.ManifestKeys#ARCHIVE_PARTS}).
   */
  public java.util.List<String> parts() {
    return java.util.List.of();
  }
}
