package dev.lifeboat.spi;

import dev.lifeboat.Manifest;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A stored snapshot's bytes as a restorer sees them: read from the store once and checked against
 * the manifest's size and SHA-256 before the restorer gets them, decompressed. Every method reads
 * that checked copy (the store's local file, or a scratch copy for a remote store), never the
 * store again.
 */
public interface Archive {

  /** The snapshot's manifest. */
  Manifest manifest();

  /**
   * A new stream of the dump's bytes, decompressed, from the start. Read from a store's local file,
   * the stream checks the SHA-256 again at its end, so a file that changed underneath is caught.
   */
  InputStream open();

  /**
   * The dump as an uncompressed local file, for tools that must seek ({@code pg_restore -j}).
   * When no uncompressed local file exists ({@link #localFile()}), it is written to {@code scratch} first.
   */
  Path file(Path scratch);

  /** The dump as an uncompressed local file when one exists already (the stored file, or the scratch copy). */
  Optional<Path> localFile();
}
