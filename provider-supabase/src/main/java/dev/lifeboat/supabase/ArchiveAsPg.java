package dev.lifeboat.supabase;

import dev.lifeboat.Formats;
import dev.lifeboat.Manifest;
import dev.lifeboat.spi.Archive;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A Supabase archive as the PostgreSQL provider reads it: the same checked bytes, the manifest's
 * format named {@code pg-custom} (which is what pg_dump wrote).
 */
final class ArchiveAsPg implements Archive {
  private final Archive archive;
  private final Manifest manifest;

  ArchiveAsPg(Archive archive) {
    this.archive = archive;
    this.manifest = asPg(archive.manifest());
  }

  static Manifest asPg(Manifest m) {
    return m.format().equals(Formats.SUPABASE_PG_CUSTOM) ? m.toBuilder().format(Formats.PG_CUSTOM).build() : m;
  }

  @Override public Manifest manifest() { return manifest; }
  @Override public InputStream open() { return archive.open(); }
  @Override public Path file(Path scratch) { return archive.file(scratch); }
  @Override public Optional<Path> localFile() { return archive.localFile(); }
}
