package dev.lifeboat.spi;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.Location;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keeps snapshots. Archive targets store bytes plus a manifest; branch targets (Neon) also take
 * snapshots natively. Every target must keep half-written snapshots out of {@link #list()}, and
 * must never hide a committed snapshot it can no longer trust: that one is listed as damaged
 * ({@link Snapshot#isDamaged()}), so that {@code latest} cannot silently fall back to an older one.
 */
public interface SnapshotTarget extends AutoCloseable {

  /** This target's location (it may hold secrets: print it with {@code toString()}, which redacts). */
  Location location();

  /**
   * Checks, before a backup starts dumping its source, that this target can take a snapshot, so
   * that a wrong target is refused without work. Creates nothing. Throws {@link LifeboatException}
   * with {@link ErrorCode#CONFIGURATION} when the location cannot hold snapshots (a file target
   * naming a regular file, a snapshot's own folder, a folder this user cannot write). The default
   * checks nothing.
   */
  default void checkWritable() {}

  /**
   * Starts writing a snapshot.
   *
   * @param id a new snapshot id from {@link dev.lifeboat.SnapshotIds}
   * @param fileName a suggested name for the archive's bytes, e.g. {@code archive.pg-custom.zst}
   */
  PendingSnapshot create(String id, String fileName);

  /**
   * Every committed snapshot, oldest first (ids sort by time). Snapshots still being written (or
   * abandoned half-way) are never listed. A committed snapshot whose stored form cannot be trusted
   * (an unreadable manifest, a manifest that was changed after it was written or that names
   * another id, a missing archive) is listed too, as damaged with the reason
   * ({@link Snapshot#damage()}); it is never left out.
   *
   * @throws LifeboatException with {@link ErrorCode#NOT_FOUND} when the target itself does not
   *     exist, or {@link ErrorCode#CONFIGURATION} when its location cannot hold snapshots
   */
  List<Snapshot> list();

  /** The committed snapshot with this id, damaged or not (see {@link #list()}). */
  Optional<Snapshot> get(String id);

  /**
   * Reads a snapshot's stored bytes (still compressed). The stream checks the bytes against the
   * manifest's size and SHA-256 and throws {@link LifeboatException} with
   * {@link ErrorCode#CHECKSUM_MISMATCH} when it reaches the end (or passes the size) and they differ.
   * A damaged snapshot is refused at once with {@link ErrorCode#CHECKSUM_MISMATCH} and its reason.
   */
  InputStream open(String id);

  /**
   * The stored file, when the target keeps snapshots on a local disk; restorers that need to seek
   * use it. Refuses a damaged snapshot as {@link #open(String)} does.
   */
  default Optional<Path> localFile(String id) {
    return Optional.empty();
  }

  /** Deletes a snapshot, damaged or not. Deleting one that does not exist is a {@code NOT_FOUND} error. */
  void delete(String id);

  /** Whether this target can snapshot {@code source} natively, without a dump (a Neon branch). */
  default boolean snapshotsNatively(Location source) {
    return false;
  }

  /**
   * Takes a native snapshot of {@code source}.
   *
   * @param id the new snapshot's id
   * @param at the past instant to snapshot, or {@code null} for now
   * @param labels the user's labels
   */
  default Snapshot snapshotNatively(Location source, String id, Instant at, java.util.Map<String, String> labels) {
    throw new LifeboatException(ErrorCode.UNSUPPORTED,
        "Target " + location() + " cannot take native snapshots; back up with a dump instead.");
  }

  /** Restores a native ({@code BRANCH}) snapshot into {@code destination}. */
  default RestoreResult restoreNatively(Snapshot snapshot, Location destination, RestoreOptions options) {
    throw new LifeboatException(ErrorCode.UNSUPPORTED,
        "Target " + location() + " holds no native snapshots to restore.");
  }

  @Override
  default void close() {}
}
