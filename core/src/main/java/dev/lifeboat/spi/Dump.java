package dev.lifeboat.spi;

import dev.lifeboat.Inventory;
import dev.lifeboat.SourceFingerprint;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;

/**
 * A running export of a source. The caller reads {@link #stream()} to its end, then calls
 * {@link #finish()}, which reports whether the export succeeded; {@link #close()} aborts a dump
 * that has not finished (killing a child process, closing cursors).
 */
public interface Dump extends AutoCloseable {

  /** The format of the bytes: {@code pg-custom}, {@code pg-directory}, {@code mongo-archive}. */
  String format();

  /** The dump's bytes, read once. Not compressed by Lifeboat; the caller compresses. */
  InputStream stream();

  /** What the dump was taken from. */
  SourceFingerprint source();

  /** The instant the dump's data reflects. */
  Instant consistentAt();

  /**
   * Waits for the export to end after the stream was read to its end, and throws a
   * {@link dev.lifeboat.LifeboatException} with {@code SOURCE_FAILED} (and the tool's error text,
   * secrets removed) when it failed.
   */
  void finish();

  /**
   * The exact counts of what the dump holds, taken in the same consistent view. Only valid after
   * {@link #finish()}: some sources count what they actually wrote.
   */
  Inventory inventory();

  /** Facts for the manifest: dump tool and version, options used. */
  Map<String, String> properties();

  /**
   * Aborts the dump if it is still running and releases its resources. It may be called from
   * another thread while the stream is read, to abort a backup
   * ({@link dev.lifeboat.Lifeboat#abortBackups}); reading then fails or ends early.
   */
  @Override
  void close();
}
