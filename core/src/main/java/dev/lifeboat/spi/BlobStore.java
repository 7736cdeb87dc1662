package dev.lifeboat.spi;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Flat key/value storage with no rename: a local folder, an object store bucket, release assets.
 * This is all a storage provider implements; core keeps snapshots in it with one commit protocol
 * ({@link SnapshotTarget#over(BlobStore)}). Keys are {@code /}-separated relative paths.
 */
public interface BlobStore extends AutoCloseable {

  /** This store's location (it may hold secrets: print it with {@code toString()}, which redacts). */
  Location location();

  /**
   * Checks that the location can be a store, creating nothing. Throws {@link LifeboatException}
   * with {@link ErrorCode#CONFIGURATION} when it cannot (a regular file, a folder that cannot be
   * created or written when {@code forWriting}), and with {@link ErrorCode#NOT_FOUND} when it does
   * not exist and is only read.
   */
  void checkUsable(boolean forWriting);

  /**
   * Starts writing {@code key}. What is written becomes visible under the key only when the
   * output's {@code close()} returns (a file store writes a temporary file and renames it; an
   * object store completes a multipart upload); a failed, aborted or abandoned write never leaves
   * {@code key} readable. An existing blob under the key is replaced.
   */
  BlobOutput put(String key);

  /** Reads {@code key}; a {@link LifeboatException} with {@link ErrorCode#NOT_FOUND} when it is absent. */
  InputStream get(String key);

  /**
   * Every blob whose key starts with {@code prefix}, in no particular order. A store may also
   * list the remains of writes that never completed (a file store's temporary files, named
   * {@code .NAME.partial-…}), so that whoever owns the prefix can see when they were last written
   * and remove them; they never carry the key that was being written.
   */
  List<Blob> list(String prefix);

  /** Deletes {@code key}; no error when it is absent. */
  void delete(String key);

  /** The file that holds {@code key}, when the store is a local disk; restorers that seek use it. */
  default Optional<Path> localPath(String key) {
    return Optional.empty();
  }

  /**
   * Why this store must not receive a snapshot that is not encrypted before it reaches the store
   * (a public repository's releases, which anyone can download), or empty when it may. Core
   * refuses such a backup with {@link ErrorCode#CONFIGURATION} before the source is dumped. A store
   * may ask its service (and cache the answer); the default refuses nothing.
   */
  default Optional<String> refusesUnencrypted() {
    return Optional.empty();
  }

  @Override
  default void close() {}
}
