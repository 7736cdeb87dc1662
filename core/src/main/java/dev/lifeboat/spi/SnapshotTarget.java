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
 * snapshots natively. Every target must keep half-written snapshots out of {@link #list()}.
 */
public interface SnapshotTarget extends AutoCloseable {

  /** This target's location (it may hold secrets: print it with {@code toString()}, which redacts). */
  Location location();

  /**
   * Starts writing a snapshot.
   *
   * @param id a new snapshot id from {@link dev.lifeboat.SnapshotIds}
   * @param fileName a suggested name for the archive's bytes, e.g. {@code archive.pg-custom.zst}
   */
  PendingSnapshot create(String id, String fileName);

  /** Every committed snapshot, oldest first (ids sort by time). */
  List<Snapshot> list();

  /** The committed snapshot with this id. */
  Optional<Snapshot> get(String id);

  /**
   * Reads a snapshot's stored bytes (still compressed). The stream checks the bytes against the
   * manifest's size and SHA-256 and throws {@link LifeboatException} with
   * {@link ErrorCode#CHECKSUM_MISMATCH} when it reaches the end (or passes the size) and they differ.
   */
  InputStream open(String id);

  /** The stored file, when the target keeps snapshots on a local disk; restorers that need to seek use it. */
  default Optional<Path> localFile(String id) {
    return Optional.empty();
  }

  /** Deletes a snapshot. Deleting one that does not exist is a {@code NOT_FOUND} error. */
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
