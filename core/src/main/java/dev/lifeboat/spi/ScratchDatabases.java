package dev.lifeboat.spi;

import dev.lifeboat.Location;
import java.util.List;

/**
 * Throwaway databases on one server, for restore drills: the drill names a database, restores
 * into {@link #locate(String)} (restorers create a missing database), and drops it again. Names
 * are chosen by core and start with {@code lifeboat_drill_}; nothing here drops a database whose
 * name core did not give.
 */
public interface ScratchDatabases {

  /** The server's location with the database replaced by {@code name}; credentials kept. */
  Location locate(String name);

  /** The names of the server's databases that start with {@code prefix}. */
  List<String> list(String prefix);

  /** Drops the database {@code name} if it exists, ending other sessions on it. */
  void drop(String name);
}
