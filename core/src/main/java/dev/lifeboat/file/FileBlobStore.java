package dev.lifeboat.file;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.internal.PrivateFiles;
import dev.lifeboat.spi.Blob;
import dev.lifeboat.spi.BlobOutput;
import dev.lifeboat.spi.BlobStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A local folder as a {@link BlobStore}: key {@code a/b} is the file {@code ROOT/a/b}. A put writes
 * {@code .b.partial-RANDOM} beside it, forces it to disk and renames it into place in one atomic
 * step; folders are created {@code 0700} and files {@code 0600} on POSIX file systems, since
 * snapshots hold whole databases. A delete removes folders it leaves empty (the root aside).
 *
 * <p>Core keeps snapshots in it as {@code ROOT/ID/archive.…} and {@code ROOT/ID/manifest.json}
 * ({@link dev.lifeboat.spi.SnapshotTarget#over}).
 */
public final class FileBlobStore implements BlobStore {
  private static final int BUFFER = 1 << 20;
  private static final String PARTIAL = ".partial-";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Location location;
  private final Path root;

  private FileBlobStore(Location location, Path root) {
    this.location = location;
    this.root = root;
  }

  /** A store in {@code root}, created on the first put. */
  public static FileBlobStore at(Path root) {
    return new FileBlobStore(Location.of(root), root.toAbsolutePath().normalize());
  }

  /** A store for {@code file:/path}, {@code file:///path} or a plain path. */
  public static FileBlobStore open(Location location) {
    return new FileBlobStore(location, toPath(location));
  }

  private static Path toPath(Location location) {
    String raw = location.raw();
    try {
      if (raw.startsWith("file://")) {
        return Paths.get(URI.create(raw)).toAbsolutePath().normalize();
      }
      String path = raw.startsWith("file:") ? raw.substring(5) : raw;
      if (path.isEmpty()) {
        throw new LifeboatException(ErrorCode.CONFIGURATION, "The file target '" + raw + "' names no folder. Use file:/path/to/backups.");
      }
      return Paths.get(path).toAbsolutePath().normalize();
    } catch (IllegalArgumentException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "'" + location + "' is not a usable folder location (" + e.getMessage() + "). Use file:/path/to/backups.", e);
    }
  }

  /** The folder that holds the blobs. */
  public Path root() {
    return root;
  }

  @Override
  public Location location() {
    return location;
  }

  /**
   * Refuses a root that is a regular file or lies below one; when reading, a missing root is
   * {@code NOT_FOUND}; when writing, a folder this user cannot write or create.
   */
  @Override
  public void checkUsable(boolean forWriting) {
    if (Files.isDirectory(root)) {
      if (forWriting && !Files.isWritable(root)) {
        throw new LifeboatException(ErrorCode.CONFIGURATION,
            "Target folder " + root + " is not writable by this user. Choose another folder or change its permissions.");
      }
      // Snapshot folders are private to the user who wrote them (0700): another user gets a
      // configuration error in words, not a failed listing that repeats the path.
      if (!Files.isReadable(root) || !Files.isExecutable(root)) {
        throw new LifeboatException(ErrorCode.CONFIGURATION, "Target folder " + root + " is not readable by this user."
            + " Run Lifeboat as the user that wrote the snapshots, or change the folder's permissions.");
      }
      return;
    }
    if (Files.exists(root)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Target " + root + " is a file, not a folder. A file target is a folder of snapshots, e.g. file:/var/backups/shop.");
    }
    Path existing = root.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && !Files.isDirectory(existing)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Target folder " + root + " cannot exist: " + existing + " is a file, not a folder.");
    }
    if (!forWriting) {
      throw new LifeboatException(ErrorCode.NOT_FOUND,
          "Target folder " + root + " does not exist. Check the path ('lifeboat backup' into it creates it).");
    }
    if (existing == null || !Files.isWritable(existing)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Target folder " + root + " cannot be created: " + (existing == null ? "no parent folder exists" : existing + " is not writable by this user")
              + ". Create it, or choose another folder.");
    }
  }

  @Override
  public BlobOutput put(String key) {
    Path file = resolve(key);
    Path temp = file.resolveSibling("." + file.getFileName() + PARTIAL + HexFormat.of().formatHex(randomBytes()));
    try {
      PrivateFiles.createDirectories(file.getParent());
      return new FileOutput(file, temp, PrivateFiles.newFileChannel(temp));
    } catch (IOException e) {
      throw failure("cannot write " + key, e);
    }
  }

  @Override
  public InputStream get(String key) {
    Path file = resolve(key);
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new LifeboatException(ErrorCode.NOT_FOUND, "No " + key + " in " + root + ".", e);
    } catch (IOException e) {
      throw failure("cannot read " + key, e);
    }
  }

  @Override
  public List<Blob> list(String prefix) {
    int slash = prefix.lastIndexOf('/');
    Path base = slash < 0 ? root : resolve(prefix.substring(0, slash));
    String start = prefix.substring(slash + 1);
    List<Blob> out = new ArrayList<>();
    if (!Files.isDirectory(base)) {
      return out;
    }
    try (Stream<Path> children = Files.list(base)) {
      for (Path child : (Iterable<Path>) children.filter(p -> p.getFileName().toString().startsWith(start))::iterator) {
        addFiles(child, out);
      }
    } catch (NoSuchFileException e) {
      return out;
    } catch (IOException | UncheckedIOException e) {
      throw failure("cannot list " + base, e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
    }
    return out;
  }

  private void addFiles(Path start, List<Blob> out) throws IOException {
    try (Stream<Path> walk = Files.walk(start)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
          continue;
        }
        if (a.isRegularFile()) {
          out.add(new Blob(keyOf(p), a.size(), a.lastModifiedTime().toInstant()));
        }
      }
    } catch (NoSuchFileException e) {
      // Removed while listing.
    }
  }

  @Override
  public void delete(String key) {
    Path file = resolve(key);
    try {
      Files.deleteIfExists(file);
      removeEmptyFolders(file.getParent());
    } catch (IOException e) {
      throw failure("cannot delete " + key, e);
    }
  }

  @Override
  public Optional<Path> localPath(String key) {
    Path file = resolve(key);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  @Override
  public String toString() {
    return "FileBlobStore[" + root + "]";
  }

  /** The file of {@code key}; a key that would leave the root is refused. */
  private Path resolve(String key) {
    if (key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
      throw new IllegalArgumentException("Not a blob key: '" + key + "'");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("\\")) {
        throw new IllegalArgumentException("Not a blob key: '" + key + "'");
      }
    }
    return root.resolve(key);
  }

  private String keyOf(Path file) {
    return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  /** Removes {@code dir} and its parents while they are empty, up to (not including) the root. */
  private void removeEmptyFolders(Path dir) throws IOException {
    Path d = dir;
    while (d != null && d.startsWith(root) && !d.equals(root)) {
      try {
        Files.deleteIfExists(d);
      } catch (DirectoryNotEmptyException e) {
        break;
      }
      d = d.getParent();
    }
    fsync(d == null ? root : d);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return b;
  }

  static void fsync(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (NoSuchFileException e) {
      // Gone meanwhile: nothing to make durable.
    } catch (IOException e) {
      // Some file systems refuse to fsync a directory; the data files were forced already.
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  private LifeboatException failure(String what, IOException e) {
    // An AccessDeniedException's message is only the path, which the line names already.
    String reason = e instanceof AccessDeniedException ? "permission denied"
        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String hint = reason.contains("No space left") ? " Free disk space or choose another target." : " Check that the folder exists and is writable.";
    return new LifeboatException(ErrorCode.TARGET_FAILED, "File target " + root + ": " + what + " (" + reason + ")." + hint, e);
  }

  /** A put in progress: a private temporary file, renamed into place on close; thread-safe against an abort. */
  private final class FileOutput extends BlobOutput {
    private final Path file;
    private final Path temp;
    private final FileChannel channel;
    private final OutputStream out;
    private volatile boolean aborted;
    private boolean closed;

    FileOutput(Path file, Path temp, FileChannel channel) {
      this.file = file;
      this.temp = temp;
      this.channel = channel;
      this.out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
    }

    @Override
    public void write(int b) throws IOException {
      checkOpen();
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      checkOpen();
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      checkOpen();
      out.flush();
    }

    private void checkOpen() throws IOException {
      if (aborted) {
        throw new IOException("the write of " + keyOf(file) + " was aborted");
      }
    }

    @Override
    public synchronized void close() throws IOException {
      if (closed) {
        return;
      }
      checkOpen();
      try {
        out.flush();
        channel.force(true);
        channel.close();
        if (aborted) {
          throw new IOException("the write of " + keyOf(file) + " was aborted");
        }
        try {
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          throw new LifeboatException(ErrorCode.TARGET_FAILED,
              "File target " + root + " does not support atomic renames; choose a folder on a local file system.", e);
        }
        closed = true;
        fsync(file.getParent());
      } finally {
        if (!closed) {
          discard();
        }
      }
    }

    @Override
    public void abort() {
      if (aborted) {
        return;
      }
      aborted = true;
      synchronized (this) {
        if (!closed) {
          discard();
        }
      }
    }

    private void discard() {
      try {
        // Also stops a write in progress on another thread.
        channel.close();
      } catch (IOException ignored) {
        // The file is removed next, whatever state the channel was in.
      }
      try {
        Files.deleteIfExists(temp);
        removeEmptyFolders(temp.getParent());
      } catch (IOException ignored) {
        // A leftover temporary file is listed and removed with its snapshot later.
      }
    }
  }
}
