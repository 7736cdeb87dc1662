package dev.lifeboat.pgdump;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.Formats;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.postgres.ChildProcess;
import dev.lifeboat.postgres.Words;
import dev.lifeboat.spi.Archive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How pg_restore reads an archive: from its standard input (a custom archive, streamed and
 * decompressed on the fly), or from a path (a custom archive file that parallel jobs can seek in,
 * or an unpacked directory-format folder).
 */
final class ArchiveInput {
  private final Archive archive;
  private final Path path;
  private final boolean directory;

  private ArchiveInput(Archive archive, Path path, boolean directory) {
    this.archive = archive;
    this.path = path;
    this.directory = directory;
  }

  /** The input for {@code archive}; files it needs go into {@code scratch}. */
  static ArchiveInput of(Archive archive, Path scratch, boolean seekable) {
    String format = archive.manifest().format();
    if (format.equals(Formats.PG_DIRECTORY)) {
      Path folder = scratch.resolve("dump");
      try (InputStream in = archive.open()) {
        Files.createDirectories(folder);
        if (TarFolders.unpack(in, folder) == 0) {
          throw new IOException("the tar holds no files");
        }
      } catch (IOException e) {
        throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "Snapshot " + archive.manifest().id()
            + " is not a readable pg-directory archive (a tar of pg_dump's folder): " + Words.clause(e.getMessage()) + ".", e);
      }
      return new ArchiveInput(archive, folder, true);
    }
    if (seekable) {
      return new ArchiveInput(archive, archive.file(scratch), false);
    }
    return new ArchiveInput(archive, null, false);
  }

  /** Whether pg_restore reads from its standard input. */
  boolean streamed() {
    return path == null;
  }

  /** The arguments that name the input (none for standard input). */
  List<String> arguments() {
    if (directory) {
      return List.of("--format=directory", path.toString());
    }
    return path == null ? List.of("--format=custom") : List.of("--format=custom", path.toString());
  }

  /**
   * Streams the archive into the child's standard input when it reads from there, with the rows
   * of each table merged into larger chunks ({@link ChunkMergingStream}). A child that stops
   * reading early (pg_restore --list, or a failed restore) closes the pipe; its exit
   * status then tells what happened.
   *
   * @param readToEnd whether to read the rest of the archive when the child stops early, so that
   *     a corrupt archive is reported as such (its checked stream throws at its end) rather than
   *     as the child's failure
   * @return the bytes written (fewer than the archive holds when chunks were merged)
   */
  long feed(ChildProcess child, dev.lifeboat.ProgressListener progress, String phase, boolean readToEnd) {
    if (path != null) {
      closeQuietly(child.stdin());
      return 0;
    }
    long total = 0;
    long nextReport = 64L << 20;
    byte[] buffer = new byte[1 << 16];
    OutputStream out = child.stdin();
    try (InputStream in = new ChunkMergingStream(archive.open())) {
      while (true) {
        int n;
        try {
          n = in.read(buffer);
        } catch (IOException e) {
          child.close();
          throw new LifeboatException(ErrorCode.TARGET_FAILED, "Reading snapshot " + archive.manifest().id() + " failed: "
              + Words.clause(e.getMessage()) + ".", e);
        }
        if (n < 0) {
          break;
        }
        try {
          out.write(buffer, 0, n);
        } catch (IOException e) {
          // The child closed its input: it has read what it needed or it failed; its status says which.
          if (readToEnd) {
            // A loader that died on bad data: the rest of the read says whether the archive is corrupt.
            in.transferTo(OutputStream.nullOutputStream());
          }
          return total;
        }
        total += n;
        if (total >= nextReport) {
          progress.onProgress(new dev.lifeboat.Progress(phase, total, -1, archive.manifest().id()));
          nextReport += 64L << 20;
        }
      }
    } catch (IOException e) {
      // Closing the archive's stream after a complete read.
    } catch (RuntimeException e) {
      child.close();
      throw e;
    } finally {
      closeQuietly(out);
    }
    return total;
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException ignored) {
      // The child reads a file; its standard input does not matter.
    }
  }
}
