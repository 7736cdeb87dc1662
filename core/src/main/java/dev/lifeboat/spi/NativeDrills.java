package dev.lifeboat.spi;

import dev.lifeboat.DrillRecord;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Snapshot;
import java.time.Instant;
import java.util.List;

/**
 * Restore drills of a platform's own snapshots, made by the platform: the throwaway copy is a
 * platform object (a Neon branch of the backup branch) created without copying data, so a drill
 * costs seconds whatever the size. Core names the copies ({@code lifeboat_drill_<utc>_<random>}),
 * times them, verifies them with the {@link RestoreVerifier} of {@link DrillCopy#verifierFormat()},
 * always deletes them, and sweeps copies of killed drills by name. The platform also keeps the
 * drill records, so that health and retention see the newest proven snapshot.
 */
public interface NativeDrills {

  /**
   * What the copy of {@code snapshot} must hold: a manifest whose inventory lists the snapshot's
   * tables with exact counts, read without changing the snapshot. Called before anything is created.
   */
  Manifest reference(Snapshot snapshot);

  /**
   * A manifest for {@code source} as it was at {@code at}, for a point-in-time drill.
   *
   * @throws dev.lifeboat.LifeboatException {@code OUT_OF_RETENTION_WINDOW} when {@code at} is
   *     outside the platform's history window, {@code CONFIGURATION} when {@code source} names no branch
   */
  Manifest pointInTime(Location source, Instant at);

  /**
   * Creates the throwaway copy {@code name} of what {@code drilled} describes (a snapshot or a
   * point in time), which the platform deletes by itself at {@code expiresAt} should every other
   * cleanup fail.
   *
   * @param reference what {@link #reference} read, or {@code null} for a point-in-time drill (the
   *     copy is then read in full as its own reference)
   */
  DrillCopy create(Manifest drilled, Manifest reference, String name, Instant expiresAt);

  /** Deletes the copy {@code name} if it exists. */
  void delete(String name);

  /** The names of the copies that start with {@code prefix}. */
  List<String> list(String prefix);

  /** Keeps a finished drill's record; a platform that cannot should throw, core logs it. */
  void record(DrillRecord record);

  /** Every drill record kept, in no particular order. */
  List<DrillRecord> records();

  /**
   * A throwaway copy made for a drill.
   *
   * @param name the name core gave it
   * @param location where to connect to it (credentials included: never print it unredacted)
   * @param reference the manifest to verify the copy against
   * @param verifierFormat the format whose {@link RestoreVerifier} checks such a database
   */
  record DrillCopy(String name, Location location, Manifest reference, String verifierFormat) {}
}
