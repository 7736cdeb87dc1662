package dev.lifeboat.examples;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An embedded PostgreSQL holding a small bank: {@code accounts} and {@code transfers} between
 * them (foreign keys both ways). The examples use it when they are run without a database URI.
 */
public final class SampleDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;
  private final String uri;

  private SampleDatabase(EmbeddedPostgres postgres, String uri) {
    this.postgres = postgres;
    this.uri = uri;
  }

  /** Starts an embedded PostgreSQL and creates database {@code name} with {@code accounts} accounts. */
  public static SampleDatabase start(String name, int accounts) {
    EmbeddedPostgres pg;
    try {
      pg = EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start an embedded PostgreSQL: " + e.getMessage(), e);
    }
    SampleDatabase db = new SampleDatabase(pg, "postgresql://postgres@localhost:" + pg.getPort() + "/" + name);
    try {
      try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name);
      }
      fill(db.uri, accounts);
    } catch (SQLException | RuntimeException e) {
      db.close();
      throw new IllegalStateException("Cannot create the sample database: " + e.getMessage(), e);
    }
    return db;
  }

  /** Creates the sample tables and rows in the (empty) database at {@code uri}. */
  public static void fill(String uri, int accounts) throws SQLException {
    try (Connection c = Jdbc.connect(uri); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE accounts (id bigint PRIMARY KEY, owner text NOT NULL,"
          + " balance_cents bigint NOT NULL, opened_at timestamptz NOT NULL DEFAULT now())");
      s.execute("CREATE TABLE transfers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
          + " from_account bigint NOT NULL REFERENCES accounts (id), to_account bigint NOT NULL REFERENCES accounts (id),"
          + " amount_cents bigint NOT NULL CHECK (amount_cents > 0), made_at timestamptz NOT NULL DEFAULT now())");
      s.execute("INSERT INTO accounts (id, owner, balance_cents) SELECT g, 'owner ' || g, 1000 + g * 10"
          + " FROM generate_series(1, " + accounts + ") g");
      s.execute("INSERT INTO transfers (from_account, to_account, amount_cents) SELECT 1 + g % " + accounts + ","
          + " 1 + (g * 7) % " + accounts + ", 1 + g % 50 FROM generate_series(1, " + (accounts * 3) + ") g");
    }
  }

  /** The database's URI, e.g. {@code postgresql://postgres@localhost:54321/shop} (no password: trust). */
  public String uri() {
    return uri;
  }

  /** The URI of another database on the same server. */
  public String uri(String database) {
    return "postgresql://postgres@localhost:" + postgres.getPort() + "/" + database;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
