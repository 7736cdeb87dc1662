package dev.lifeboat.pgdump;

import dev.lifeboat.Location;
import dev.lifeboat.postgres.PgDatabases;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.spi.ScratchDatabases;
import java.util.List;

/**
 * Throwaway databases on one PostgreSQL server, for drills: the restorer creates a database named
 * here (from {@code template0}); {@link #drop} removes it with {@code WITH (FORCE)}.
 */
final class PgScratchDatabases implements ScratchDatabases {
  private final PgLocation server;

  PgScratchDatabases(PgLocation server) {
    this.server = server;
  }

  @Override
  public Location locate(String name) {
    return server.withDatabase(name).toLocation();
  }

  @Override
  public List<String> list(String prefix) {
    return PgDatabases.named(server, prefix);
  }

  @Override
  public void drop(String name) {
    PgDatabases.drop(server.withDatabase(name));
  }
}
