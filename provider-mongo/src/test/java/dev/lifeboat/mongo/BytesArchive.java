package dev.lifeboat.mongo;

import dev.lifeboat.Manifest;
import dev.lifeboat.spi.Archive;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/** An archive held in memory, for handing hand-made archives straight to a restorer. */
public record BytesArchive(Manifest manifest, byte[] bytes) implements Archive {
  @Override
  public InputStream open() {
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public Path file(Path scratch) {
    throw new IllegalStateException("not needed by the Mongo restorers");
  }

  @Override
  public Optional<Path> localFile() {
    return Optional.empty();
  }
}
