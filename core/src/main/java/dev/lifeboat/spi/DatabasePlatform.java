package dev.lifeboat.spi;

import dev.lifeboat.Location;

/**
 * A platform that serves a database family under its own locations (a Neon branch, a Supabase
 * project) and can say which direct database is behind one. Core resolves a platform location
 * once per operation and then backs up, restores and verifies the direct database with the
 * family's own provider: no provider builds made-up locations or copies options for another.
 */
@FunctionalInterface
public interface DatabasePlatform {

  /**
   * The database behind {@code location}. It may call the platform's API (and wait for a compute
   * to start); it fails with {@code NOT_FOUND} when the location names nothing.
   */
  ResolvedDatabase resolve(Location location);
}
