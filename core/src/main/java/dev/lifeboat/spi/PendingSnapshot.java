package dev.lifeboat.spi;

import dev.lifeboat.Manifest;
import dev.lifeboat.Snapshot;
import java.io.OutputStream;

/**
 * A snapshot being written. Nothing of it is visible to {@link SnapshotTarget#list()} until
 * {@link #commit(Manifest)} returns; {@link #close()} without a commit discards it.
 *
 * <p>{@link #close()} may be called from another thread while the bytes are written or the
 * snapshot is committed, to abort a backup ({@link dev.lifeboat.Lifeboat#abortBackups}): it waits
 * for a commit in progress, and otherwise discards the snapshot at once, so that later writes and
 * the commit fail.
 */
public interface PendingSnapshot extends AutoCloseable {

  /** Where the archive's bytes go. The caller does not close it; {@link #commit} does. */
  OutputStream output();

  /** Makes the bytes durable, writes the manifest and publishes the snapshot atomically. */
  Snapshot commit(Manifest manifest);

  /** Discards the snapshot unless it was committed. */
  @Override
  void close();
}
