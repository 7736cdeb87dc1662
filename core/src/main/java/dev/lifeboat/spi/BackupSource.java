package dev.lifeboat.spi;

import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.Inventory;
import dev.lifeboat.SourceFingerprint;

/**
 * A live database that can be described and dumped. Created per operation by a
 * {@link LifeboatProvider}; closing it releases connections.
 */
public interface BackupSource extends AutoCloseable {

  /** Kind, server version, database and redacted URI. Connects to the server. */
  SourceFingerprint fingerprint();

  /** Every table or collection with its exact count, as of now (not tied to any dump). */
  Inventory inventory();

  /** The outer compression to use when the caller did not choose one. */
  default Compression defaultCompression() {
    return Compression.NONE;
  }

  /**
   * Starts a dump. The returned {@link Dump}'s stream is read once by the caller; the dump's
   * inventory is taken in the same consistent view as its data.
   *
   * @param options what to include; {@link DumpOptions#compression()} is always set by the caller
   */
  Dump dump(DumpOptions options);

  @Override
  default void close() {}
}
