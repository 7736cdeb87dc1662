package dev.lifeboat.spi;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Snapshot;
import java.util.List;
import java.util.Optional;

/**
 * What every snapshot store can do: list, look up and delete snapshots. Archive stores
 * ({@link SnapshotTarget}) and a platform's own snapshots ({@link NativeSnapshots}) both are one.
 *
 * <p>A catalog never lists a snapshot still being written (or abandoned half-way), and never hides
 * a committed snapshot it can no longer trust: that one is listed as damaged
 * ({@link Snapshot#isDamaged()}) with the reason, so that {@code latest} cannot silently fall back
 * to an older snapshot.
 */
public interface SnapshotCatalog extends AutoCloseable {

  /** This store's location (it may hold secrets: print it with {@code toString()}, which redacts). */
  Location location();

  /**
   * Every committed snapshot, oldest first (ids sort by time), damaged ones included and marked.
   *
   * @throws LifeboatException with {@link ErrorCode#NOT_FOUND} when the store itself does not
   *     exist, or {@link ErrorCode#CONFIGURATION} when its location cannot hold snapshots
   */
  List<Snapshot> list();

  /**
   * The newest committed snapshot, damaged or not: the last of {@link #list()}. Stores override
   * it to read only the newest manifests instead of all of them.
   */
  default Optional<Snapshot> latest() {
    List<Snapshot> all = list();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** The committed snapshot with this id, damaged or not (see {@link #list()}). */
  Optional<Snapshot> get(String id);

  /** Deletes a snapshot, damaged or not. Deleting one that does not exist is a {@code NOT_FOUND} error. */
  void delete(String id);

  @Override
  default void close() {}
}
