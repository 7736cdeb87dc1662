package dev.lifeboat.postgres;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Opens JDBC connections to a {@link PgLocation}; a failure to connect is mapped by {@link PgErrors}. */
public final class PgConnections {
  private PgConnections() {}

  /**
   * A connection to {@code at}'s database. A wrong password is {@code AUTHENTICATION}, a missing
   * database {@code NOT_FOUND}, a server that cannot be reached {@code CONNECTION}.
   */
  public static Connection open(PgLocation at) {
    try {
      return DriverManager.getConnection(at.jdbcUrl(), at.properties());
    } catch (SQLException e) {
      throw PgErrors.map(e, at, null, ErrorCode.CONNECTION);
    }
  }

  /**
   * A session for checking a database: every transaction in it is read-only, so nothing run in it
   * (a user's SQL expectation included) can change the data. A missing database is
   * {@code CONNECTION} here, not {@code NOT_FOUND}: there is nothing to check, and a check that
   * could not run is a failed operation (exit 1), never a usage error or a failed check.
   */
  public static Connection openReadOnly(PgLocation at) {
    Connection c;
    try {
      c = open(at);
    } catch (LifeboatException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        throw new LifeboatException(ErrorCode.CONNECTION, "Database '" + at.database() + "' does not exist at " + at
            + ", so there is nothing to verify. Check the name, or restore the snapshot into it first.", e);
      }
      throw e;
    }
    try (Statement st = c.createStatement()) {
      st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw PgErrors.map(e, at, "starting a read-only session", ErrorCode.CONNECTION);
    }
  }

  /**
   * A connection to a maintenance database of {@code at}'s server, for creating, copying and
   * dropping databases: {@code postgres}, or {@code template1} when {@code avoid} is
   * {@code postgres} (PostgreSQL refuses to copy or drop a database someone is connected to).
   */
  public static Connection openMaintenance(PgLocation at, String avoid) {
    return open(at.withDatabase("postgres".equals(avoid) ? "template1" : "postgres"));
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // Abandoned after another failure, which is the one reported.
    }
  }
}
