package dev.lifeboat.junit;

/**
 * What the extension needs from a way of making copies: prepared once (the snapshot restored
 * somewhere copies can be made from), then a fresh copy per scope, each dropped when its scope
 * ends. The extension knows only this interface, so other strategies (a Neon branch per scope, a
 * scratch MongoDB database) can stand beside {@link PgTemplateCopies} without changing it.
 * Implementations are shared by parallel tests and must be safe for concurrent use.
 */
interface CopySource extends AutoCloseable {
  /** The id of the snapshot the copies hold. */
  String snapshotId();

  /** A new copy that no other test has seen; never an existing database. */
  RestoredDatabase copy();

  /** Drops a copy made by {@link #copy()}; a copy already gone is fine. */
  void drop(RestoredDatabase copy);

  /** Drops what preparing made, at the end of the test run. */
  @Override
  void close();
}
