package dev.lifeboat.spi;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.internal.BlobSnapshotTarget;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A store of archives: each snapshot is the dump's bytes plus its manifest. Core implements it
 * over any {@link BlobStore} ({@link #over(BlobStore)}), with the commit protocol every store
 * shares: the archive first, the sealed manifest last, only snapshots with a manifest listed,
 * abandoned writes removed once their writer is gone. Providers implement {@link BlobStore}, not
 * this interface.
 */
public interface SnapshotTarget extends SnapshotCatalog {

  /** A snapshot target that keeps its snapshots in {@code store}, under core's commit protocol. */
  static SnapshotTarget over(BlobStore store) {
    return new BlobSnapshotTarget(store);
  }

  /**
   * Checks, before a backup starts dumping its source, that this target can take a snapshot, so
   * that a wrong target is refused without work. Creates nothing. Throws {@link LifeboatException}
   * with {@link ErrorCode#CONFIGURATION} when the location cannot hold snapshots (a file target
   * naming a regular file, a snapshot's own folder, a folder this user cannot write). The default
   * checks nothing.
   */
  default void checkWritable() {}

  /**
   * Why this target must not receive a snapshot that is not encrypted (a public repository's
   * releases, which anyone can download), or empty when it may. Core asks before the source is
   * dumped and refuses an unencrypted backup with {@link ErrorCode#CONFIGURATION}; an encrypted
   * one goes ahead. The default refuses nothing.
   */
  default java.util.Optional<String> refusesUnencrypted() {
    return java.util.Optional.empty();
  }

  /**
   * Starts writing a snapshot.
   *
   * @param id a new snapshot id from {@link dev.lifeboat.SnapshotIds}
   * @param fileName a name for the archive's bytes, e.g. {@code archive.pg-custom.zst}
   */
  PendingSnapshot create(String id, String fileName);

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
}
