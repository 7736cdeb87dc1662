package dev.lifeboat.spi;

import dev.lifeboat.Location;
import dev.lifeboat.RestoreResult;
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
   * Loads the archive. Before changing anything it must refuse, with {@code PROTECTED_DESTINATION},
   * a destination that is the snapshot's own source unless {@link RestoreJob#options()} confirms it
   * with the destination's name, and, with {@code DESTINATION_NOT_EMPTY}, a destination that holds
   * data unless replacing was asked for.
   */
  RestoreResult restore(RestoreJob job);
}
