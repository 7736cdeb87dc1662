package dev.lifeboat.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One embedded PostgreSQL for the jar tests that need one (a source and destination for
 * PostgresJarIT, the JSONB standby for MongoJarIT): started by the first that asks, stopped when
 * the test JVM exits. Each test class uses databases of its own names.
 */
final class SharedPostgres {
  private static EmbeddedPostgres pg;

  private SharedPostgres() {}

  static synchronized EmbeddedPostgres get() {
    if (pg == null) {
      try {
        pg = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("The embedded PostgreSQL did not start", e);
      }
      EmbeddedPostgres started = pg;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException e) {
          // The JVM is exiting; zonky removes its data folder on its own.
        }
      }, "shared-postgres-stop"));
    }
    return pg;
  }

  /** Creates {@code database} on the shared server and fills it with {@code orders} demo orders. */
  static void createDemoDatabase(String database, int orders) throws java.sql.SQLException {
    EmbeddedPostgres server = get();
    try (java.sql.Connection c = server.getPostgresDatabase().getConnection(); java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    DemoData.fill(server.getDatabase("postgres", database), orders);
  }

  /** A Lifeboat location for {@code database} on the shared server. */
  static String uri(String database) {
    return "postgresql://postgres@localhost:" + get().getPort() + "/" + database;
  }
}
