package dev.lifeboat.spi;

import dev.lifeboat.Manifest;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A stored snapshot's bytes as a restorer sees them: already checked against the manifest's
 * SHA-256, decompressed on the fly.
 */
public interface Archive {

  /** The snapshot's manifest. */
  Manifest manifest();

  /**
   * A new stream of the dump's bytes, decompressed. Each call reads the store again; the stream
   * still checks the SHA-256 at its end, so a store that changed underneath is caught.
   */
  InputStream open();

  /**
   * The dump as an uncompressed local file, for tools that must seek ({@code pg_restore -j}).
   * When the store keeps it compressed or remote, it is written to {@code scratch} first.
   */
  Path file(Path scratch);

  /** The stored file itself, when it is local and uncompressed. */
  Optional<Path> localFile();
}
