package dev.lifeboat.internal;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.ManifestKeys;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.io.VerifyingInputStream;
import dev.lifeboat.spi.Blob;
import dev.lifeboat.spi.BlobOutput;
import dev.lifeboat.spi.BlobStore;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's commit protocol over any {@link BlobStore}, so that every store (a folder, an object
 * store bucket) keeps snapshots the same way. Snapshot {@code ID} is kept under the keys
 *
 * <pre>
 * ID/writer.json     who is writing it (process, start time, machine); written first, removed last
 * ID/archive.…       the archive's bytes
 * ID/manifest.json   the sealed manifest ({@link SealedManifest}); written last: the commit
 * </pre>
 *
 * <p>Only ids with a manifest are snapshots. One whose manifest is unreadable, unsealed, changed,
 * or names another id, or whose archive is missing, ambiguous or of another size than the
 * manifest says, is listed as damaged with the reason; one that holds an archive but neither a
 * manifest nor a writer record lost its manifest and is listed as damaged too. An id with a writer
 * record and no manifest is being written, or was abandoned: it is never listed, and the next
 * {@link #create} removes it once its writer is gone (same machine and the process is not alive,
 * or another machine and nothing was written for a day). {@link #delete} records itself as the
 * writer first and removes the manifest next, so a delete cut short is never listed as damaged.
 *
 * <p>Nothing here renames: a store that can only put, get, list and delete is enough.
 */
public final class BlobSnapshotTarget implements SnapshotTarget {
  /** Manifests {@link #list} reads at once. */
  private static final int LIST_READERS = 8;
  private static final Logger LOG = LoggerFactory.getLogger(BlobSnapshotTarget.class);
  /** The manifest's name inside a snapshot's folder. */
  public static final String MANIFEST = "manifest.json";
  /** The folder name prefixes of unfinished and half-deleted snapshots in stores written by Lifeboat 0.1 file targets. */
  private static final String LEGACY_PARTIAL = ".partial-";
  private static final String LEGACY_DELETING = ".deleting-";
  /**
   * A snapshot with neither a writer record nor a manifest but with blobs being written is being
   * created this instant, or its writer died in that instant; after this long it is the latter.
   */
  private static final java.time.Duration UNRECORDED_GRACE = java.time.Duration.ofMinutes(1);
  /** A writer on another machine cannot be asked about; its snapshot is abandoned after this long without a write. */
  private static final java.time.Duration FOREIGN_GRACE = java.time.Duration.ofDays(1);

  private final BlobStore store;

  public BlobSnapshotTarget(BlobStore store) {
    this.store = store;
  }

  @Override
  public Location location() {
    return store.location();
  }

  /** The store under this target, where drill records are kept beside the snapshots. */
  BlobStore store() {
    return store;
  }

  /**
   * Refuses, before any dump, a location that is a snapshot's own folder (named like an id, or
   * holding a manifest), an unfinished snapshot's folder, or one the store cannot write.
   */
  @Override
  public void checkWritable() {
    checkLayout(true);
  }

  @Override
  public PendingSnapshot create(String id, String fileName) {
    if (!SnapshotIds.isValid(id)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "'" + id + "' is not a snapshot id; create ids with SnapshotIds.next().");
    }
    if (fileName == null || fileName.equals(MANIFEST) || fileName.equals(WriterRecord.KEY) || fileName.contains("/")
        || fileName.startsWith(".") || fileName.isBlank()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "'" + fileName + "' cannot be an archive file name.");
    }
    checkLayout(true);
    removeAbandoned();
    if (!store.list(id + "/").isEmpty()) {
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "A snapshot with id " + id + " is already being written in " + location() + ".");
    }
    put(id + "/" + WriterRecord.KEY, WriterRecord.current().toBytes());
    try {
      return new BlobPending(id, store.put(id + "/" + fileName));
    } catch (RuntimeException e) {
      deleteAll(id, null);
      throw e;
    }
  }

  @Override
  public List<Snapshot> list() {
    checkLayout(false);
    List<Snapshot> out = new ArrayList<>();
    readAll(byId(store.list(""))).forEach(s -> s.ifPresent(out::add));
    out.sort(Comparator.comparing(Snapshot::id));
    return List.copyOf(out);
  }

  /** Reads manifests newest first and stops at the first id {@link #list()} would show. */
  @Override
  public Optional<Snapshot> latest() {
    checkLayout(false);
    List<Map.Entry<String, List<Blob>>> newestFirst = new ArrayList<>(byId(store.list("")).entrySet());
    Collections.reverse(newestFirst);
    for (Map.Entry<String, List<Blob>> id : newestFirst) {
      Optional<Snapshot> snapshot = read(id.getKey(), id.getValue());
      if (snapshot.isPresent()) {
        return snapshot;
      }
    }
    return Optional.empty();
  }

  /**
   * Reads the snapshots of {@code ids} several at a time: a remote store answers each manifest read
   * after a round trip, and on a local disk parsing and checking the seals keeps a second core busy.
   */
  private List<Optional<Snapshot>> readAll(Map<String, List<Blob>> ids) {
    if (ids.size() < 2) {
      return ids.entrySet().stream().map(e -> read(e.getKey(), e.getValue())).toList();
    }
    ExecutorService readers = Executors.newFixedThreadPool(Math.min(LIST_READERS, ids.size()), r -> {
      Thread t = new Thread(r, "lifeboat-list");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Optional<Snapshot>>> reads = ids.entrySet().stream()
          .map(e -> readers.submit(() -> read(e.getKey(), e.getValue()))).toList();
      List<Optional<Snapshot>> out = new ArrayList<>(reads.size());
      for (Future<Optional<Snapshot>> read : reads) {
        out.add(read.get());
      }
      return out;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "Cannot list " + location() + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatException(ErrorCode.ABORTED, "Listing " + location() + " was interrupted.", e);
    } finally {
      readers.shutdownNow();
    }
  }

  @Override
  public Optional<Snapshot> get(String id) {
    checkLayout(false);
    if (!SnapshotIds.isValid(id)) {
      return Optional.empty();
    }
    List<Blob> blobs = store.list(id + "/");
    return blobs.isEmpty() ? Optional.empty() : read(id, blobs);
  }

  @Override
  public InputStream open(String id) {
    Snapshot snapshot = requireIntact(id);
    return new VerifyingInputStream(store.get(archiveKey(id)), snapshot.manifest().size(), snapshot.manifest().sha256(), id);
  }

  @Override
  public Optional<Path> localFile(String id) {
    requireIntact(id);
    return store.localPath(archiveKey(id));
  }

  @Override
  public void delete(String id) {
    require(id);
    // Recorded as the writer first: a delete cut short after the manifest is gone is an
    // unfinished snapshot that the next backup removes, not a snapshot that lost its manifest.
    put(id + "/" + WriterRecord.KEY, WriterRecord.current().toBytes());
    deleteAll(id, null);
  }

  @Override
  public void close() {
    store.close();
  }

  @Override
  public String toString() {
    return "SnapshotTarget[" + store + "]";
  }

  /**
   * Refuses a location that cannot hold snapshots: one named like a snapshot or an unfinished one,
   * one that holds a manifest itself (a snapshot's own folder), and what the store refuses.
   */
  private void checkLayout(boolean forWriting) {
    String name = lastSegment(location());
    if (SnapshotIds.isValid(name)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Target " + location() + " is the folder of snapshot " + name + ", not a folder of snapshots." + useParent());
    }
    if (name.startsWith(LEGACY_PARTIAL) || name.startsWith(LEGACY_DELETING)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Target " + location() + " is the folder of an unfinished or half-deleted snapshot, not a folder of snapshots." + useParent());
    }
    store.checkUsable(forWriting);
    if (store.list(MANIFEST).stream().anyMatch(b -> b.key().equals(MANIFEST))) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Target " + location() + " holds a manifest.json: it is a snapshot's own folder, not a folder of snapshots." + useParent());
    }
  }

  @Override
  public Optional<String> refusesUnencrypted() {
    return store.refusesUnencrypted();
  }

  /** Advice naming the folder that holds the location; a {@code file:} location's as a plain path. */
  private String useParent() {
    String text = location().redacted();
    if (text.startsWith("file:") && !text.startsWith("file://")) {
      text = text.substring("file:".length());
    }
    String trimmed = text.replaceAll("(/+\\.?)+$", "");
    int slash = trimmed.lastIndexOf('/');
    return slash <= 0 ? "" : " Use the folder that holds it: " + trimmed.substring(0, slash);
  }

  /** The last path segment of a location, without a query. */
  private static String lastSegment(Location location) {
    String text = location.schemeSpecificPart();
    int q = text.indexOf('?');
    text = (q < 0 ? text : text.substring(0, q)).replaceAll("(/+\\.?)+$", "");
    return text.substring(text.lastIndexOf('/') + 1);
  }

  /** The blobs of every snapshot-shaped folder, by id (legacy folders under their own names). */
  private static Map<String, List<Blob>> byId(List<Blob> blobs) {
    Map<String, List<Blob>> out = new TreeMap<>();
    for (Blob b : blobs) {
      int slash = b.key().indexOf('/');
      if (slash > 0) {
        out.computeIfAbsent(b.key().substring(0, slash), k -> new ArrayList<>()).add(b);
      }
    }
    return out;
  }

  /** The names of {@code blobs} inside the folder {@code id}. */
  private static List<String> names(String id, List<Blob> blobs) {
    return blobs.stream().map(b -> b.key().substring(id.length() + 1)).toList();
  }

  /** The candidates for the archive: every blob but the manifest and the writer record, hidden ones aside. */
  private static List<Blob> archives(String id, List<Blob> blobs) {
    return blobs.stream().filter(b -> {
      String name = b.key().substring(id.length() + 1);
      return !name.equals(MANIFEST) && !name.equals(WriterRecord.KEY) && !name.startsWith(".") && !name.contains("/.");
    }).sorted(Comparator.comparing(Blob::key)).toList();
  }

  /** The snapshot kept under {@code id}: intact, damaged with the reason, or empty when it is not committed. */
  private Optional<Snapshot> read(String id, List<Blob> blobs) {
    if (!SnapshotIds.isValid(id)) {
      return Optional.empty();
    }
    String target = location().redacted();
    List<String> names = names(id, blobs);
    List<Blob> archives = archives(id, blobs);
    if (!names.contains(MANIFEST)) {
      if (names.contains(WriterRecord.KEY) || archives.isEmpty()) {
        // Being written, abandoned, or being deleted: not a snapshot.
        return Optional.empty();
      }
      return Optional.of(Snapshot.damaged(target, id, "its manifest.json is missing"));
    }
    byte[] bytes;
    try (InputStream in = store.get(id + "/" + MANIFEST)) {
      bytes = in.readAllBytes();
    } catch (LifeboatException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        return Optional.empty();
      }
      return Optional.of(Snapshot.damaged(target, id, "its manifest.json cannot be read (" + e.getMessage() + ")"));
    } catch (IOException | UncheckedIOException e) {
      return Optional.of(Snapshot.damaged(target, id, "its manifest.json cannot be read (" + reason(e) + ")"));
    }
    Manifest manifest;
    try {
      manifest = SealedManifest.read(bytes);
    } catch (SealedManifest.Untrusted e) {
      LOG.debug("Snapshot {} in {} is damaged: {}", id, target, e.getMessage());
      return Optional.of(Snapshot.damaged(target, id, "its " + e.getMessage()));
    }
    if (!manifest.id().equals(id)) {
      // A copied or renamed folder: its content belongs to another snapshot.
      return Optional.of(Snapshot.damaged(target, id, "its manifest.json belongs to snapshot " + manifest.id() + " (a copied or renamed folder)"));
    }
    if (archives.isEmpty()) {
      return Optional.of(Snapshot.damaged(target, manifest, "its archive file is missing (only manifest.json is left)"));
    }
    if (archives.size() > 1) {
      return Optional.of(Snapshot.damaged(target, manifest,
          "it holds " + archives.size() + " files besides manifest.json, so which is its archive is unclear"));
    }
    long size = archives.get(0).size();
    if (size != manifest.size()) {
      return Optional.of(Snapshot.damaged(target, manifest,
          "its archive file has " + size + " bytes, its manifest records " + manifest.size() + " (truncated or replaced)"));
    }
    return Optional.of(new Snapshot(target, manifest));
  }

  private Snapshot require(String id) {
    return get(id).orElseThrow(() -> new LifeboatException(ErrorCode.NOT_FOUND,
        "No snapshot '" + id + "' in " + location() + ". Run 'lifeboat list --target " + location() + "' to see the ids."));
  }

  private Snapshot requireIntact(String id) {
    Snapshot snapshot = require(id);
    if (snapshot.isDamaged()) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
          "Snapshot " + id + " in " + location() + " is damaged: " + snapshot.damage() + ". It cannot be read.");
    }
    return snapshot;
  }

  private String archiveKey(String id) {
    List<Blob> archives = archives(id, store.list(id + "/"));
    if (archives.size() != 1) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
          "Snapshot " + id + " in " + location() + " has no single archive file any more. It cannot be read.");
    }
    return archives.get(0).key();
  }

  /** Writes {@code bytes} under {@code key}. */
  private void put(String key, byte[] bytes) {
    BlobOutput out = store.put(key);
    try {
      out.write(bytes);
      out.close();
    } catch (IOException e) {
      out.abort();
      throw failure("cannot write " + key, e);
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }

  /**
   * Removes every blob of {@code id}: the manifest first, so the snapshot stops being one at once,
   * and the writer record last. {@code blobs} as listed, or {@code null} to list them now.
   */
  private void deleteAll(String id, List<Blob> blobs) {
    List<Blob> all = new ArrayList<>(blobs == null ? store.list(id + "/") : blobs);
    String manifest = id + "/" + MANIFEST;
    String writer = id + "/" + WriterRecord.KEY;
    all.sort(Comparator.comparing((Blob b) -> !b.key().equals(manifest)).thenComparing(b -> b.key().equals(writer)));
    for (Blob b : all) {
      store.delete(b.key());
    }
  }

  /**
   * Removes what interrupted backups and deletes left behind: ids with a writer record and no
   * manifest whose writer is gone, and the stale writer records of committed snapshots. Anything
   * a running writer (another backup) may still be writing is left alone. Never fails the backup.
   */
  private void removeAbandoned() {
    try {
      byId(store.list("")).forEach(this::removeIfAbandoned);
    } catch (RuntimeException e) {
      LOG.warn("Could not remove the remains of interrupted backups in {}: {}", location(), e.getMessage());
    }
  }

  private void removeIfAbandoned(String id, List<Blob> blobs) {
    try {
      if (id.startsWith(LEGACY_DELETING)) {
        remove(id, blobs, "the rest of a deleted snapshot");
        return;
      }
      if (id.startsWith(LEGACY_PARTIAL)) {
        if (untouchedFor(blobs, FOREIGN_GRACE)) {
          remove(id, blobs, "an unfinished backup of an earlier Lifeboat version, untouched for a day");
        }
        return;
      }
      if (!SnapshotIds.isValid(id)) {
        return;
      }
      List<String> names = names(id, blobs);
      boolean committed = names.contains(MANIFEST);
      if (names.contains(WriterRecord.KEY)) {
        String why = abandonment(id, blobs);
        if (why != null && committed) {
          LOG.info("Removing the writer record of snapshot {} in {}: {}", id, location(), why);
          store.delete(id + "/" + WriterRecord.KEY);
        } else if (why != null) {
          remove(id, blobs, why);
        }
      } else if (!committed && archives(id, blobs).isEmpty() && untouchedFor(blobs, UNRECORDED_GRACE)) {
        remove(id, blobs, "an unfinished backup whose writer is unknown, untouched for " + UNRECORDED_GRACE.toSeconds() + " s");
      }
    } catch (RuntimeException e) {
      // Removed meanwhile by another backup, or unreadable: not ours to judge now.
      LOG.debug("Leaving {} in {} alone: {}", id, location(), e.getMessage());
    }
  }

  private void remove(String id, List<Blob> blobs, String why) {
    LOG.info("Removing {} in {}: {}", id, location(), why);
    deleteAll(id, blobs);
  }

  /** Why the unfinished snapshot {@code id} is abandoned, or {@code null} while its writer may still run. */
  private String abandonment(String id, List<Blob> blobs) {
    Optional<WriterRecord> writer;
    try (InputStream in = store.get(id + "/" + WriterRecord.KEY)) {
      writer = WriterRecord.parse(in.readAllBytes());
    } catch (IOException e) {
      return null;
    }
    if (writer.isEmpty()) {
      return untouchedFor(blobs, UNRECORDED_GRACE)
          ? "an unfinished backup whose writer is unknown, untouched for " + UNRECORDED_GRACE.toSeconds() + " s" : null;
    }
    WriterRecord w = writer.get();
    if (!w.onThisMachine()) {
      return untouchedFor(blobs, FOREIGN_GRACE) ? "an unfinished backup by " + w + ", untouched for a day" : null;
    }
    return w.isAlive() ? null : "an unfinished backup whose writer (" + w + ") is gone";
  }

  /** Whether nothing of {@code blobs} was written for {@code age}; a long backup keeps writing its archive. */
  private static boolean untouchedFor(List<Blob> blobs, java.time.Duration age) {
    long limit = System.currentTimeMillis() - age.toMillis();
    return blobs.stream().allMatch(b -> b.modifiedAt().toEpochMilli() < limit);
  }

  private static String reason(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private LifeboatException failure(String what, IOException e) {
    String reason = reason(e);
    String hint = reason.contains("No space left") ? " Free disk space or choose another target." : "";
    return new LifeboatException(ErrorCode.TARGET_FAILED, "Target " + location() + ": " + what + " (" + reason + ")." + hint, e);
  }

  /** A snapshot being written; thread-safe against an abort from another thread. */
  private final class BlobPending implements PendingSnapshot {
    private final String id;
    private final BlobOutput output;
    private boolean committed;
    private boolean closed;

    BlobPending(String id, BlobOutput output) {
      this.id = id;
      this.output = output;
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
      Manifest recorded = manifest;
      try {
        output.close();
        if (!output.parts().isEmpty()) {
          recorded = manifest.toBuilder().property(ManifestKeys.ARCHIVE_PARTS, String.join(",", output.parts())).build();
        }
        put(id + "/" + MANIFEST, SealedManifest.write(recorded));
      } catch (IOException e) {
        throw failure("cannot complete snapshot " + id, e);
      }
      // The manifest is the commit; what follows is tidying that a later backup also does.
      committed = true;
      closed = true;
      try {
        store.delete(id + "/" + WriterRecord.KEY);
      } catch (RuntimeException e) {
        LOG.warn("Snapshot {} is stored, but its writer record stays until the next backup: {}", id, e.getMessage());
      }
      return new Snapshot(location().redacted(), recorded);
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (!committed) {
        // Also stops a write in progress on another thread.
        output.abort();
        try {
          deleteAll(id, null);
        } catch (RuntimeException e) {
          LOG.warn("Could not remove unfinished snapshot {} from {} ({}); the next backup removes it.", id, location(), e.getMessage());
        }
      }
    }
  }
}
