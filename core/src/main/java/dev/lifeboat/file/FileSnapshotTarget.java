package dev.lifeboat.file;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.internal.PrivateFiles;
import dev.lifeboat.io.VerifyingInputStream;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
import java.time.Duration;
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
 * <p>A snapshot is written into {@code .partial-<id>}, flushed to disk with its sealed manifest
 * (see {@link SealedManifest}), and then renamed into place in one atomic step; {@link #list()}
 * only reads folders named like an id. A {@code .partial-} folder records its writer (process id,
 * start time, machine); the next backup into the target removes it once that process is gone, so
 * a backup killed half-way leaves nothing listed and nothing behind for long.
 *
 * <p>A folder named like an id whose manifest is missing, unreadable, changed after it was written
 * or names another id, or whose archive is missing, is listed as damaged rather than hidden.
 * Files and folders are created readable by their owner only ({@code 0600}/{@code 0700} on POSIX
 * file systems): they hold whole databases.
 */
public final class FileSnapshotTarget implements SnapshotTarget {
  private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotTarget.class);
  static final String MANIFEST = "manifest.json";
  static final String PARTIAL_PREFIX = ".partial-";
  static final String DELETING_PREFIX = ".deleting-";
  private static final int BUFFER = 1 << 20;
  /**
   * A partial folder without a readable writer record is being created this instant, or its
   * writer died in that instant; after this long it is the latter.
   */
  private static final Duration UNRECORDED_GRACE = Duration.ofMinutes(1);
  /** A writer on another machine cannot be asked about; its partial is abandoned after this long without a write. */
  private static final Duration FOREIGN_GRACE = Duration.ofDays(1);

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

  /**
   * Refuses, before any dump, a location that is a regular file, a snapshot's own folder, an
   * unfinished snapshot's folder, or a folder this user cannot write or create. A missing folder
   * is fine: the backup creates it.
   */
  @Override
  public void checkWritable() {
    checkRoot(true);
  }

  @Override
  public PendingSnapshot create(String id, String fileName) {
    if (!SnapshotIds.isValid(id)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "'" + id + "' is not a snapshot id; create ids with SnapshotIds.next().");
    }
    if (fileName == null || fileName.equals(MANIFEST) || fileName.contains("/") || fileName.startsWith(".")) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "'" + fileName + "' cannot be an archive file name.");
    }
    checkRoot(true);
    Path partial = root.resolve(PARTIAL_PREFIX + id);
    try {
      PrivateFiles.createDirectories(root);
      removeAbandoned();
      PrivateFiles.createDirectory(partial);
    } catch (FileAlreadyExistsException e) {
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "A snapshot with id " + id + " is already being written in " + root + ".", e);
    } catch (IOException e) {
      throw failure("cannot create a snapshot folder in " + root, e);
    }
    try {
      try (FileChannel record = PrivateFiles.newFileChannel(partial.resolve(PartialWriter.FILE))) {
        record.write(ByteBuffer.wrap(PartialWriter.current().toBytes()));
      }
      return new FilePending(id, partial, partial.resolve(fileName));
    } catch (IOException e) {
      deleteQuietly(partial);
      throw failure("cannot start snapshot " + id, e);
    }
  }

  @Override
  public List<Snapshot> list() {
    checkRoot(false);
    List<Snapshot> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root,
        p -> SnapshotIds.isValid(p.getFileName().toString()) && Files.isDirectory(p))) {
      for (Path dir : dirs) {
        out.add(read(dir));
      }
    } catch (IOException e) {
      throw failure("cannot list " + root, e);
    }
    out.sort(Comparator.comparing(Snapshot::id));
    return List.copyOf(out);
  }

  @Override
  public Optional<Snapshot> get(String id) {
    checkRoot(false);
    if (!SnapshotIds.isValid(id) || !Files.isDirectory(root.resolve(id))) {
      return Optional.empty();
    }
    return Optional.of(read(root.resolve(id)));
  }

  @Override
  public InputStream open(String id) {
    Snapshot snapshot = requireIntact(id);
    Path file = archiveFile(root.resolve(id));
    try {
      InputStream in = Files.newInputStream(file);
      return new VerifyingInputStream(in, snapshot.manifest().size(), snapshot.manifest().sha256(), id);
    } catch (IOException e) {
      throw failure("cannot read snapshot " + id, e);
    }
  }

  @Override
  public Optional<Path> localFile(String id) {
    requireIntact(id);
    return Optional.of(archiveFile(root.resolve(id)));
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

  /**
   * Refuses a root that cannot hold snapshots. {@code forBackup}: a missing root is fine when it
   * can be created; otherwise a missing root is {@code NOT_FOUND}.
   */
  private void checkRoot(boolean forBackup) {
    Path parent = root.getParent();
    String useParent = parent == null ? "" : " Use the folder that holds it: " + parent;
    String name = root.getFileName() == null ? "" : root.getFileName().toString();
    if (SnapshotIds.isValid(name)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Target " + root + " is the folder of snapshot " + name + ", not a folder of snapshots." + useParent);
    }
    if (name.startsWith(PARTIAL_PREFIX) || name.startsWith(DELETING_PREFIX)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Target " + root + " is the folder of an unfinished or half-deleted snapshot, not a folder of snapshots." + useParent);
    }
    if (Files.isDirectory(root)) {
      if (Files.exists(root.resolve(MANIFEST))) {
        throw new LifeboatException(ErrorCode.CONFIGURATION,
            "Target " + root + " holds a manifest.json: it is a snapshot's own folder, not a folder of snapshots." + useParent);
      }
      if (forBackup && !Files.isWritable(root)) {
        throw new LifeboatException(ErrorCode.CONFIGURATION,
            "Target folder " + root + " is not writable by this user. Choose another folder or change its permissions.");
      }
      return;
    }
    if (Files.exists(root)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Target " + root + " is a file, not a folder. A file target is a folder of snapshots, e.g. file:/var/backups/shop.");
    }
    Path existing = parent;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && !Files.isDirectory(existing)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Target folder " + root + " cannot exist: " + existing + " is a file, not a folder.");
    }
    if (!forBackup) {
      throw new LifeboatException(ErrorCode.NOT_FOUND,
          "Target folder " + root + " does not exist. Check the path ('lifeboat backup' into it creates it).");
    }
    if (existing == null || !Files.isWritable(existing)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Target folder " + root + " cannot be created: " + (existing == null ? "no parent folder exists" : existing + " is not writable by this user")
              + ". Create it, or choose another folder.");
    }
  }

  private Snapshot require(String id) {
    return get(id).orElseThrow(() -> new LifeboatException(ErrorCode.NOT_FOUND,
        "No snapshot '" + id + "' in " + location + ". Run 'lifeboat list --target " + location + "' to see the ids."));
  }

  private Snapshot requireIntact(String id) {
    Snapshot snapshot = require(id);
    if (snapshot.isDamaged()) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
          "Snapshot " + id + " in " + location + " is damaged: " + snapshot.damage() + ". It cannot be read.");
    }
    return snapshot;
  }

  /** The snapshot kept in {@code dir} (named like an id): intact, or damaged with the reason. */
  private Snapshot read(Path dir) {
    String id = dir.getFileName().toString();
    String target = location.redacted();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve(MANIFEST));
    } catch (NoSuchFileException e) {
      return Snapshot.damaged(target, id, "its manifest.json is missing");
    } catch (IOException e) {
      return Snapshot.damaged(target, id, "its manifest.json cannot be read (" + reason(e) + ")");
    }
    Manifest manifest;
    try {
      manifest = SealedManifest.read(bytes);
    } catch (SealedManifest.Untrusted e) {
      LOG.debug("Snapshot folder {} is damaged: {}", dir, e.getMessage());
      return Snapshot.damaged(target, id, "its " + e.getMessage());
    }
    if (!manifest.id().equals(id)) {
      // A copied or renamed folder: its content belongs to another snapshot.
      return Snapshot.damaged(target, id, "its manifest.json belongs to snapshot " + manifest.id() + " (a copied or renamed folder)");
    }
    List<Path> archives;
    try {
      archives = archiveFiles(dir);
    } catch (IOException e) {
      return Snapshot.damaged(target, manifest, "its folder cannot be read (" + reason(e) + ")");
    }
    if (archives.isEmpty()) {
      return Snapshot.damaged(target, manifest, "its archive file is missing (only manifest.json is left)");
    }
    if (archives.size() > 1) {
      return Snapshot.damaged(target, manifest, "it holds " + archives.size() + " files besides manifest.json, so which is its archive is unclear");
    }
    return new Snapshot(target, manifest);
  }

  /** The files of a snapshot folder other than its manifest (hidden files such as .DS_Store aside). */
  private static List<Path> archiveFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> {
        String name = p.getFileName().toString();
        return !name.equals(MANIFEST) && !name.startsWith(".");
      }).sorted().toList();
    }
  }

  private Path archiveFile(Path dir) {
    try {
      return archiveFiles(dir).get(0);
    } catch (IOException | IndexOutOfBoundsException e) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
          "Snapshot folder " + dir + " has no archive file any more. It cannot be read.", e);
    }
  }

  /**
   * Removes what interrupted backups and deletes left behind: {@code .deleting-} folders, and
   * {@code .partial-} folders whose writer process is gone. A partial of a running writer (another
   * backup) is left alone.
   */
  private void removeAbandoned() {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root,
        p -> p.getFileName().toString().startsWith(PARTIAL_PREFIX) || p.getFileName().toString().startsWith(DELETING_PREFIX))) {
      for (Path dir : dirs) {
        String why = dir.getFileName().toString().startsWith(DELETING_PREFIX)
            ? "the rest of a deleted snapshot" : abandonment(dir);
        if (why != null) {
          LOG.info("Removing {}: {}", dir, why);
          deleteQuietly(dir);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not remove the remains of interrupted backups in {}: {}", root, e.getMessage());
    }
  }

  /** Why the partial folder {@code dir} is abandoned, or {@code null} while its writer may still run. */
  private static String abandonment(Path dir) {
    Optional<PartialWriter> writer = PartialWriter.readFrom(dir);
    try {
      if (writer.isEmpty()) {
        return olderThan(dir, UNRECORDED_GRACE) ? "an unfinished backup whose writer is unknown, untouched for " + UNRECORDED_GRACE.toSeconds() + " s" : null;
      }
      PartialWriter w = writer.get();
      if (!w.onThisMachine()) {
        return olderThan(dir, FOREIGN_GRACE) ? "an unfinished backup by " + w + ", untouched for a day" : null;
      }
      return w.isAlive() ? null : "an unfinished backup whose writer (" + w + ") is gone";
    } catch (IOException | UncheckedIOException e) {
      // Removed meanwhile by another backup, or unreadable: not ours to judge now.
      return null;
    }
  }

  /** Whether nothing in {@code dir} was written for {@code age}; a long backup keeps writing its archive. */
  private static boolean olderThan(Path dir, Duration age) throws IOException {
    long limit = System.currentTimeMillis() - age.toMillis();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.getLastModifiedTime(p).toMillis() >= limit) {
          return false;
        }
      }
      return true;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException e) {
      // Already gone.
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Could not remove {}: {}", dir, e.getMessage());
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

  private static String reason(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private LifeboatException failure(String what, IOException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String hint = reason.contains("No space left") ? " Free disk space or choose another target." : " Check that the folder exists and is writable.";
    return new LifeboatException(ErrorCode.TARGET_FAILED, "File target " + root + ": " + what + " (" + reason + ")." + hint, e);
  }

  /** A snapshot being written into its {@code .partial-} folder; thread-safe against an abort from another thread. */
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
      this.channel = PrivateFiles.newFileChannel(file);
      this.output = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
    }

    @Override
    public OutputStream output() {
      return output;
    }

    @Override
    public synchronized Snapshot commit(Manifest manifest) {
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
        try (FileChannel mc = PrivateFiles.newFileChannel(partial.resolve(MANIFEST))) {
          mc.write(ByteBuffer.wrap(SealedManifest.write(manifest)));
          mc.force(true);
        }
        // The published folder holds only the archive and its manifest.
        Files.deleteIfExists(partial.resolve(PartialWriter.FILE));
        fsync(partial);
        try {
          Files.move(partial, root.resolve(id), StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          throw new LifeboatException(ErrorCode.TARGET_FAILED,
              "File target " + root + " does not support atomic renames; choose a folder on a local file system.", e);
        }
        committed = true;
        closed = true;
        fsync(root);
        return new Snapshot(location.redacted(), manifest);
      } catch (IOException e) {
        throw failure("cannot complete snapshot " + id, e);
      }
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (!committed) {
        try {
          // Also stops a write in progress on another thread.
          channel.close();
        } catch (IOException ignored) {
          // The folder is removed next, whatever state the channel was in.
        }
        deleteQuietly(partial);
      }
    }
  }
}
