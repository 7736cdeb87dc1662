package dev.lifeboat.spi;

import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import java.io.InputStream;
import java.util.Set;

/**
 * Loads one dump format into one kind of destination: {@code pg-custom} into PostgreSQL,
 * {@code mongo-archive} into MongoDB or into PostgreSQL as JSONB.
 */
public interface Restorer {

  /** The formats this restorer reads. */
  Set<String> formats();

  /** Whether it can load into {@code destination}. */
  boolean accepts(Location destination);

  /**
   * Checks that the archive is readable in its format (for {@code pg-custom}: {@code pg_restore
   * --list} succeeds) without touching any destination. Throws {@code CHECKSUM_MISMATCH} when not.
   *
   * @return a short description of what was found, e.g. {@code 42 TOC entries}
   */
  String checkArchive(Archive archive);

  /**
   * Reads the whole archive through its format, as a restore would, without touching any
   * destination: every data block decompressed and read, every block checksum checked. This is
   * what {@code lifeboat verify} without a destination runs; a corrupt block whose manifest
   * checksum was rewritten must fail here with {@code CHECKSUM_MISMATCH}. The default only checks
   * the table of contents ({@link #checkArchive}); restorers whose format has more override it.
   *
   * @return a short description of what was read, e.g. {@code 42 TOC entries, 1.2 GiB of data}
   */
  default String readArchive(Archive archive) {
    return checkArchive(archive);
  }

  /** How {@link #restore} reads the archive, which decides how core checks the stored bytes. */
  enum Reading {
    /** Streams {@link Archive#open()}; core checks the stored bytes in a separate pass first. */
    STREAM,
    /**
     * Reads {@link Archive#open()} once, to its end, and commits nothing before that end (one
     * transaction that a killed loader rolls back). Core skips its separate pass and
     * {@link #checkArchive}: the stream checks size and SHA-256 as it is read and holds back its
     * last bytes until the whole stored archive has matched, so a corrupt archive fails the read
     * (with {@code CHECKSUM_MISMATCH}) while the load still waits for those bytes. The restorer
     * must then stop its loader before it commits, undo what it created, and let that exception
     * through.
     */
    STREAM_COMMITTING_AT_END,
    /**
     * Needs {@link Archive#file} (a tool that seeks): core writes the uncompressed file during its
     * checking read, so the stored bytes are read once.
     */
    SEEKABLE_FILE
  }

  /** How {@link #restore} will read this archive with these options; {@link Reading#STREAM} by default. */
  default Reading reading(Manifest manifest, RestoreOptions options) {
    return Reading.STREAM;
  }

  /**
   * For {@link Reading#SEEKABLE_FILE}: the bytes core writes into the file {@link Archive#file}
   * returns, given the dump's own (checked, decrypted, decompressed) bytes. By default the dump as
   * it is; a restorer may pass them on in an equivalent form its tool reads with less work (pgdump
   * merges each table's rows into larger data chunks). Core's checks are of the stored bytes, so a
   * rewrite here weakens none of them. Called once per restore, before {@link #checkArchive}.
   */
  default InputStream seekableCopy(Manifest manifest, InputStream dump) {
    return dump;
  }

  /**
   * Loads the archive. Before changing anything it must refuse, with {@code PROTECTED_DESTINATION},
   * a destination that is the snapshot's own source unless {@link RestoreJob#options()} confirms it
   * with the destination's name, and, with {@code DESTINATION_NOT_EMPTY}, a destination that holds
   * data unless replacing was asked for.
   */
  RestoreResult restore(RestoreJob job);
}
