package dev.lifeboat.file;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.Json;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.io.VerifyingInputStream;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps snapshots in a local folder, one sub-folder per snapshot:
 *
 * <pre>
 * /backups/20261121T184512.123Z-9f3ac2e1/archive.pg-custom.zst
 * /backups/20261121T184512.123Z-9f3ac2e1/manifest.json
 * </pre>
 *
 * <p>A snapshot is written into {@code .partial-<id>}, flushed to disk with its manifest, and then
 * renamed into place in one atomic step; {@link #list()} only reads folders named like an id that
 * hold a manifest. A process killed half-way leaves a {@code .partial-} folder that is never listed
 * (and is removed by the next backup once it is a day old).
 */
public final class FileSnapshotTarget implements SnapshotTarget {
  private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotTarget.class);
  static final String MANIFEST = "manifest.json";
  static final String PARTIAL_PREFIX = ".partial-";
  static final String DELETING_PREFIX = ".deleting-";
  private static final int BUFFER = 1 << 20;

  private final Location location;
  private final Path root;

  private FileSnapshotTarget(Location location, Path root) {
    this.location = location;
    this.root = root;
  }

  /** A target in {@code root}, created on first store. */
  public static FileSnapshotTarget at(Path root) {
    return new FileSnapshotTarget(Location.of(root), root.toAbsolutePath().normalize());
  }

  /** A target for {@code file:/path}, {@code file:///path} or a plain path. */
  public static FileSnapshotTarget open(Location location) {
    return new FileSnapshotTarget(location, toPath(location));
  }

  static Path toPath(Location location) {
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

  /** The folder that holds the snapshots. */
  public Path root() {
    return root;
  }

  @Override
  public Location location() {
    return location;
  }

  @Override
  public PendingSnapshot create(String id, String fileName) {
    if (!SnapshotIds.isValid(id)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "'" + id + "' is not a snapshot id; create ids with SnapshotIds.next().");
    }
    if (fileName == null || fileName.equals(MANIFEST) || fileName.contains("/") || fileName.startsWith(".")) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "'" + fileName + "' cannot be an archive file name.");
    }
    try {
      Files.createDirectories(root);
      removeStalePartials();
      Path partial = root.resolve(PARTIAL_PREFIX + id);
      Files.createDirectory(partial);
      return new FilePending(id, partial, partial.resolve(fileName));
    } catch (FileAlreadyExistsException e) {
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "A snapshot with id " + id + " is already being written in " + root + ".", e);
    } catch (IOException e) {
      throw failure("cannot create a snapshot folder in " + root, e);
    }
  }

  @Override
  public List<Snapshot> list() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Snapshot> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, p -> SnapshotIds.isValid(p.getFileName().toString()))) {
      for (Path dir : dirs) {
        readManifest(dir).ifPresent(m -> out.add(new Snapshot(location.redacted(), m)));
      }
    } catch (IOException e) {
      throw failure("cannot list " + root, e);
    }
    out.sort(Comparator.comparing(Snapshot::id));
    return List.copyOf(out);
  }

  @Override
  public Optional<Snapshot> get(String id) {
    if (!SnapshotIds.isValid(id)) {
      return Optional.empty();
    }
    return readManifest(root.resolve(id)).map(m -> new Snapshot(location.redacted(), m));
  }

  @Override
  public InputStream open(String id) {
    Snapshot snapshot = require(id);
    Path file = archiveFile(id);
    try {
      InputStream in = Files.newInputStream(file);
      return new VerifyingInputStream(in, snapshot.manifest().size(), snapshot.manifest().sha256(), id);
    } catch (IOException e) {
      throw failure("cannot read snapshot " + id, e);
    }
  }

  @Override
  public Optional<Path> localFile(String id) {
    require(id);
    return Optional.of(archiveFile(id));
  }

  @Override
  public void delete(String id) {
    require(id);
    Path dir = root.resolve(id);
    Path doomed = root.resolve(DELETING_PREFIX + id);
    try {
      // Renaming first makes the snapshot vanish from list() at once, even if removal is cut short.
      Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(doomed);
      fsync(root);
    } catch (IOException e) {
      throw failure("cannot delete snapshot " + id, e);
    }
  }

  @Override
  public String toString() {
    return "FileSnapshotTarget[" + root + "]";
  }

  private Snapshot require(String id) {
    return get(id).orElseThrow(() -> new LifeboatException(ErrorCode.NOT_FOUND,
        "No snapshot '" + id + "' in " + location + ". Run 'lifeboat list --target " + location + "' to see the ids."));
  }

  private Path archiveFile(String id) {
    Path dir = root.resolve(id);
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> !p.getFileName().toString().equals(MANIFEST))
          .findFirst()
          .orElseThrow(() -> new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
              "Snapshot " + id + " has a manifest but no archive file in " + dir + ". It cannot be restored."));
    } catch (IOException e) {
      throw failure("cannot read snapshot folder " + dir, e);
    }
  }

  private Optional<Manifest> readManifest(Path dir) {
    Path file = dir.resolve(MANIFEST);
    try {
      Manifest manifest = Json.mapper().readValue(file.toFile(), Manifest.class);
      if (!manifest.id().equals(dir.getFileName().toString())) {
        // A copied or renamed folder: listing it would show an id that get() and open() cannot find.
        LOG.warn("Ignoring snapshot folder {}: its manifest belongs to snapshot {}", dir, manifest.id());
        return Optional.empty();
      }
      return Optional.of(manifest);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.warn("Ignoring snapshot folder {}: its manifest cannot be read ({})", dir, e.getMessage());
      return Optional.empty();
    }
  }

  private void removeStalePartials() {
    long dayAgo = System.currentTimeMillis() - 24L * 3600 * 1000;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root,
        p -> p.getFileName().toString().startsWith(PARTIAL_PREFIX) || p.getFileName().toString().startsWith(DELETING_PREFIX))) {
      for (Path dir : dirs) {
        if (lastWritten(dir) < dayAgo) {
          LOG.info("Removing the remains of an interrupted backup or delete: {}", dir);
          deleteTree(dir);
        }
      }
    } catch (IOException e) {
      LOG.warn("Could not remove stale partial snapshots in {}: {}", root, e.getMessage());
    }
  }

  /**
   * When anything in a folder was last written. A backup that runs for more than a day keeps
   * writing its archive file while the folder's own time stays put, so the folder alone would
   * make a running backup look abandoned.
   */
  private static long lastWritten(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      long newest = Long.MIN_VALUE;
      for (Path p : (Iterable<Path>) walk::iterator) {
        newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
      }
      return newest;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  static void fsync(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems refuse to fsync a directory; the data files were forced already.
      if (!Files.isDirectory(path)) {
        throw e;
      }
    }
  }

  private LifeboatException failure(String what, IOException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String hint = reason.contains("No space left") ? " Free disk space or choose another target." : " Check that the folder exists and is writable.";
    return new LifeboatException(ErrorCode.TARGET_FAILED, "File target " + root + ": " + what + " (" + reason + ")." + hint, e);
  }

  private final class FilePending implements PendingSnapshot {
    private final String id;
    private final Path partial;
    private final FileChannel channel;
    private final OutputStream output;
    private boolean committed;
    private boolean closed;

    FilePending(String id, Path partial, Path file) throws IOException {
      this.id = id;
      this.partial = partial;
      this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      this.output = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
    }

    @Override
    public OutputStream output() {
      return output;
    }

    @Override
    public Snapshot commit(Manifest manifest) {
      if (closed) {
        throw new IllegalStateException("Snapshot " + id + " was already committed or discarded");
      }
      if (!manifest.id().equals(id)) {
        throw new IllegalArgumentException("Manifest id " + manifest.id() + " is not the pending id " + id);
      }
      try {
        output.flush();
        channel.force(true);
        channel.close();
        Path manifestFile = partial.resolve(MANIFEST);
        try (FileChannel mc = FileChannel.open(manifestFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          mc.write(java.nio.ByteBuffer.wrap(Json.mapper().writeValueAsBytes(manifest)));
          mc.force(true);
        }
        fsync(partial);
        try {
          Files.move(partial, root.resolve(id), StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          throw new LifeboatException(ErrorCode.TARGET_FAILED,
              "File target " + root + " does not support atomic renames; choose a folder on a local file system.", e);
        }
        fsync(root);
        committed = true;
        closed = true;
        return new Snapshot(location.redacted(), manifest);
      } catch (IOException e) {
        throw failure("cannot complete snapshot " + id, e);
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (!committed) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // The folder is removed next, whatever state the channel was in.
        }
        try {
          deleteTree(partial);
        } catch (IOException e) {
          LOG.warn("Could not remove partial snapshot {}: {}", partial, e.getMessage());
        } catch (UncheckedIOException e) {
          LOG.warn("Could not remove partial snapshot {}: {}", partial, e.getMessage());
        }
      }
    }
  }
}
