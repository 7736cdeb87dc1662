package dev.lifeboat.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Creates files and folders that only their owner can read: {@code 0600} files and {@code 0700}
 * folders where the file system has POSIX permissions. Snapshots hold whole databases, so nothing
 * Lifeboat writes is left readable by other users of the machine.
 */
public final class PrivateFiles {
  private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];
  private static final FileAttribute<?>[] FILE = {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
  private static final FileAttribute<?>[] FOLDER = {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))};

  private PrivateFiles() {}

  /** Creates {@code dir} and any missing parents, each private to the user. */
  public static Path createDirectories(Path dir) throws IOException {
    return Files.createDirectories(dir, attributes(dir, FOLDER));
  }

  /** Creates the folder {@code dir}, private to the user; it must not exist. */
  public static Path createDirectory(Path dir) throws IOException {
    return Files.createDirectory(dir, attributes(dir, FOLDER));
  }

  /** Opens a new file (it must not exist) for writing, private to the user. */
  public static FileChannel newFileChannel(Path file) throws IOException {
    Set<OpenOption> options = new HashSet<>(List.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    return FileChannel.open(file, options, attributes(file, FILE));
  }

  /** A stream into a new file (it must not exist), private to the user. */
  public static OutputStream newOutputStream(Path file) throws IOException {
    return Channels.newOutputStream(newFileChannel(file));
  }

  private static FileAttribute<?>[] attributes(Path path, FileAttribute<?>[] posix) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix") ? posix : NONE;
  }
}
