package dev.lifeboat.internal;

import dev.lifeboat.Compression;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import dev.lifeboat.spi.Archive;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** An {@link Archive} over a snapshot in a target. */
public final class StoredArchive implements Archive {
  private final SnapshotTarget target;
  private final Manifest manifest;

  public StoredArchive(SnapshotTarget target, Manifest manifest) {
    this.target = target;
    this.manifest = manifest;
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  @Override
  public InputStream open() {
    InputStream raw = target.open(manifest.id());
    try {
      return manifest.compression().decompress(raw);
    } catch (IOException e) {
      closeQuietly(raw);
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
          "Snapshot " + manifest.id() + " cannot be decompressed as " + manifest.compression() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Path> localFile() {
    if (manifest.compression() != Compression.NONE) {
      return Optional.empty();
    }
    return target.localFile(manifest.id());
  }

  @Override
  public Path file(Path scratch) {
    Optional<Path> local = localFile();
    if (local.isPresent()) {
      return local.get();
    }
    Path file = scratch.resolve(manifest.id() + "." + manifest.format());
    try {
      // It holds the whole database: created afresh, readable only by this user.
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "Cannot replace " + file + ": " + e.getMessage(), e);
    }
    try (InputStream in = open(); OutputStream out = PrivateFiles.newOutputStream(file)) {
      in.transferTo(out);
      return file;
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.TARGET_FAILED,
          "Cannot unpack snapshot " + manifest.id() + " into " + scratch + ": " + e.getMessage()
              + ". Free disk space there or set the scratch folder (setting lifeboat.scratchDir).", e);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // Already failing; the first error is the one to report.
    }
  }
}
