package dev.lifeboat.pgdump;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Streams a {@code pg_dump -Fd} folder as a tar, and unpacks one, refusing paths that leave the folder. */
final class TarFolders {
  private TarFolders() {}

  /** Writes the regular files of {@code folder} (flat, as pg_dump makes it) as a tar into {@code out}. */
  static void write(Path folder, OutputStream out) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    }
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    for (Path f : files) {
      TarArchiveEntry entry = new TarArchiveEntry(f.toFile(), f.getFileName().toString());
      tar.putArchiveEntry(entry);
      Files.copy(f, tar);
      tar.closeArchiveEntry();
    }
    tar.finish();
    tar.flush();
  }

  /** Unpacks a tar into {@code folder} (which must exist); returns the number of files. */
  static int unpack(InputStream in, Path folder) throws IOException {
    int count = 0;
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    Path root = folder.toAbsolutePath().normalize();
    TarArchiveEntry entry;
    while ((entry = tar.getNextEntry()) != null) {
      Path target = root.resolve(entry.getName()).normalize();
      if (!target.startsWith(root) || target.equals(root)) {
        throw new IOException("archive entry '" + entry.getName() + "' points outside the folder");
      }
      if (entry.isDirectory()) {
        Files.createDirectories(target);
        continue;
      }
      if (!entry.isFile()) {
        throw new IOException("archive entry '" + entry.getName() + "' is not a regular file");
      }
      Files.createDirectories(target.getParent());
      Files.copy(tar, target);
      count++;
    }
    return count;
  }

  /** Deletes a folder tree, ignoring what is already gone. */
  static void deleteTree(Path folder) {
    if (folder == null || !Files.exists(folder)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // Left-over scratch files are removed by the next cleanup of the scratch folder.
        }
      });
    } catch (IOException e) {
      // Same as above.
    }
  }
}
