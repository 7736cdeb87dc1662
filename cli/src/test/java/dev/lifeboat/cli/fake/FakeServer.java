package dev.lifeboat.cli.fake;

import dev.lifeboat.Location;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory "database server" behind {@code fake://} locations: database name to row count.
 * It stands in for a database only in the CLI's own tests; the CLI never sees this class.
 */
public final class FakeServer {
  private static final Map<String, Long> DATABASES = new ConcurrentHashMap<>();

  private FakeServer() {}

  public static void put(String database, long rows) {
    DATABASES.put(database, rows);
  }

  public static Long rows(String database) {
    return DATABASES.get(database);
  }

  public static void drop(String database) {
    DATABASES.remove(database);
  }

  /** The database of {@code fake://[user[:password]@]host/DB}. */
  static String database(Location location) {
    URI uri = URI.create(location.raw());
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    return path.isEmpty() ? uri.getHost() : path;
  }
}
