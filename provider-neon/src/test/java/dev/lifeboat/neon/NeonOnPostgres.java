package dev.lifeboat.neon;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Backs every branch of a {@link FakeNeon} with a real database on one embedded PostgreSQL: a new
 * branch is {@code CREATE DATABASE … TEMPLATE <parent's database>}, a delete drops it, an in-place
 * restore renames the old database to the preserved branch's and copies the source. The branches'
 * connection URIs point at those databases, with a password that must never leak.
 */
final class NeonOnPostgres implements AutoCloseable {
  static final String PASSWORD = "s3cret-pw";
  static final Map<String, Long> SEEDED = Map.of("shop.customers", 3L, "shop.orders", 5L);

  final EmbeddedPostgres pg;

  NeonOnPostgres() {
    try {
      pg = EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException("The embedded PostgreSQL did not start", e);
    }
    sql("postgres", "CREATE ROLE neondb_owner LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'",
        "CREATE DATABASE seed");
    sql("seed",
        "CREATE SCHEMA shop",
        "CREATE TABLE shop.customers (id bigint PRIMARY KEY, name text NOT NULL)",
        "CREATE TABLE shop.orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES shop.customers, total numeric(10,2), created_at timestamptz DEFAULT now())",
        "INSERT INTO shop.customers VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Linus')",
        "INSERT INTO shop.orders (id, customer_id, total) VALUES (1, 1, 9.50), (2, 1, 12.00), (3, 2, 3.25), (4, 3, 100.00), (5, 3, 1.00)");
  }

  static String database(String branchId) {
    return "nb_" + branchId.replace('-', '_');
  }

  /** Backs the fake's branches with this server's databases and gives its default branch a fresh copy of the seed. */
  void attach(FakeNeon fake) {
    fake.backedBy(new FakeNeon.Backing() {
      @Override
      public String uri(String branchId, String db, String role, String password) {
        return "postgresql://" + role + ":" + password + "@localhost:" + pg.getPort() + "/" + database(branchId);
      }

      @Override
      public void copied(String branchId, String sourceId) {
        copy(database(sourceId), database(branchId));
      }

      @Override
      public void deleted(String branchId) {
        sql("postgres", "DROP DATABASE IF EXISTS " + database(branchId) + " WITH (FORCE)");
      }

      @Override
      public void preserved(String targetId, String preservedId) {
        sql("postgres", "ALTER DATABASE " + database(targetId) + " RENAME TO " + database(preservedId));
      }
    });
    // Drop what earlier tests left, then seed the default branch.
    for (String db : databases()) {
      if (db.startsWith("nb_")) {
        sql("postgres", "DROP DATABASE " + db + " WITH (FORCE)");
      }
    }
    copy("seed", database("br-main-000001"));
  }

  private void copy(String from, String to) {
    sql("postgres", "DROP DATABASE IF EXISTS " + to + " WITH (FORCE)", "CREATE DATABASE " + to + " TEMPLATE " + from);
  }

  java.util.List<String> databases() {
    java.util.List<String> out = new java.util.ArrayList<>();
    try (Connection c = connect("postgres"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT datname FROM pg_database ORDER BY 1")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  long count(String database, String table) {
    try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  void sql(String database, String... statements) {
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(String.join("; ", statements) + ": " + e.getMessage(), e);
    }
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + pg.getPort() + "/" + database, "postgres", "");
  }

  @Override
  public void close() throws IOException {
    pg.close();
  }
}
