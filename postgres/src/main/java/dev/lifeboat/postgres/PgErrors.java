package dev.lifeboat.postgres;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.sql.SQLException;

/**
 * The one place that turns a PostgreSQL failure into a {@link LifeboatException}: the SQLState
 * decides the {@link ErrorCode}, the message names the server (never the password) and says what
 * to check, and the server's own text is redacted and kept on one line.
 *
 * <ul>
 *   <li>{@code 28…} (invalid authorization, wrong password) and a server asking for a password
 *       none was found for: {@code AUTHENTICATION};
 *   <li>{@code 3D000} (no such database): {@code NOT_FOUND};
 *   <li>{@code 08…} (connection exception), {@code 57P…} (server shutting down, session ended),
 *       {@code 53…} (server out of resources): {@code CONNECTION};
 *   <li>{@code 42501} (insufficient privilege): {@code CONFIGURATION}, naming the role;
 *   <li>anything else: the caller's fallback code (e.g. {@code RESTORE_FAILED}).
 * </ul>
 */
public final class PgErrors {
  private PgErrors() {}

  /**
   * The error for {@code e}, which happened at {@code at} while doing {@code what}.
   *
   * @param what what was being done, e.g. {@code reading the inventory}; {@code null} while connecting
   * @param fallback the code when the SQLState says nothing about connection, credentials or privileges
   */
  public static LifeboatException map(SQLException e, PgLocation at, String what, ErrorCode fallback) {
    String state = state(e);
    String reason = reason(e, at);
    if (state.startsWith("28")) {
      return new LifeboatException(ErrorCode.AUTHENTICATION, "PostgreSQL refused the credentials of role '" + at.user() + "' at "
          + at + ": " + reason + ". Check the password (URI, PGPASSWORD or ~/.pgpass).", e);
    }
    if (!at.hasPassword() && String.valueOf(e.getMessage()).contains("no password was provided")) {
      return new LifeboatException(ErrorCode.AUTHENTICATION, "PostgreSQL at " + at + " asks role '" + at.user()
          + "' for a password and none was found. Put it in the URI, the PGPASSWORD secret or the password file (~/.pgpass, or"
          + " the file the PGPASSFILE secret names; it must not be readable by others).", e);
    }
    if (state.equals("3D000")) {
      return new LifeboatException(ErrorCode.NOT_FOUND, "Database '" + at.database() + "' does not exist at " + at
          + ": " + reason + ". Check the database name.", e);
    }
    if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")) {
      String failed = what == null ? "Cannot connect to PostgreSQL at " + at
          : "The connection to PostgreSQL at " + at + " failed while " + what;
      return new LifeboatException(ErrorCode.CONNECTION, failed + ": " + reason
          + ". Check that the server runs and accepts connections from this host.", e);
    }
    if (state.equals("42501")) {
      return new LifeboatException(ErrorCode.CONFIGURATION, "Role '" + at.user() + "' lacks a privilege"
          + (what == null ? "" : " for " + what) + " at " + at + ": " + reason
          + ". Grant the role what it needs, or use a role that owns the objects.", e);
    }
    return new LifeboatException(fallback, "PostgreSQL at " + at + " failed"
        + (what == null ? "" : " while " + what) + ": " + reason + ".", e);
  }

  /**
   * Whether {@code e} says the session cannot go on (the server is unreachable, went away, refused
   * the login or has no such database) rather than anything about the statement: such a failure
   * ends the whole operation, it is never a failed check.
   */
  public static boolean isOutage(SQLException e) {
    String state = state(e);
    return state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.startsWith("28")
        || state.equals("3D000");
  }

  /** Throws {@link #map} of {@code e} when it is an {@linkplain #isOutage outage}; returns otherwise. */
  public static void throwIfOutage(SQLException e, PgLocation at, String what) {
    if (isOutage(e)) {
      throw map(e, at, what, ErrorCode.CONNECTION);
    }
  }

  /**
   * The server's or driver's message on one line, without {@code at}'s secrets (nor any other the
   * process knows) and without its closing full stop: for building a sentence around it.
   */
  public static String reason(SQLException e, PgLocation at) {
    return Words.clause(at.redact(String.valueOf(e.getMessage()).replaceAll("\\s+", " ")));
  }

  private static String state(SQLException e) {
    return e.getSQLState() == null ? "" : e.getSQLState();
  }
}
