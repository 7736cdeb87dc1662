package dev.lifeboat.postgres;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole databases: whether one exists, creating a restore's destination when it is missing and
 * dropping it again when the restore fails, what a database already holds, and whether two
 * locations name the same database.
 */
public final class PgDatabases {
  private static final Logger LOG = LoggerFactory.getLogger(PgDatabases.class);

  private PgDatabases() {}

  /** Whether {@code at}'s database exists; a server that cannot be reached or refuses the login throws. */
  public static boolean exists(PgLocation at) {
    try (Connection c = PgConnections.open(at)) {
      return true;
    } catch (LifeboatException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        return false;
      }
      throw e;
    } catch (SQLException e) {
      // Only closing failed: the database is there.
      return true;
    }
  }

  /**
   * Creates {@code at}'s database from {@code template0} (empty, so that a restore fills it
   * exactly) unless it exists. A role that may not create databases gets {@code RESTORE_FAILED}
   * saying so: restores are what create databases.
   *
   * @return whether this call created it; only then may {@link #dropIfCreated} drop it
   */
  public static boolean createIfMissing(PgLocation at) {
    return !exists(at) && createMissing(at);
  }

  /**
   * {@link #createIfMissing} for a caller that has just found the database missing (a connection
   * less): creates it, or returns false when another session created it meanwhile.
   *
   * @return whether this call created it; only then may {@link #dropIfCreated} drop it
   */
  public static boolean createMissing(PgLocation at) {
    String name = Sql.ident(at.database());
    try (Connection c = PgConnections.openMaintenance(at, at.database()); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name + " TEMPLATE template0");
      LOG.info("Created database {}", at);
      return true;
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (state.equals("42P04")) {
        // Created by someone else since exists() looked: not ours to drop.
        return false;
      }
      if (state.equals("42501")) {
        throw new LifeboatException(ErrorCode.RESTORE_FAILED, "Database '" + at.database() + "' does not exist and role '"
            + at.user() + "' may not create databases. Create it first (CREATE DATABASE " + name + ") or grant the role CREATEDB.", e);
      }
      throw PgErrors.map(e, at, "creating database " + name, ErrorCode.RESTORE_FAILED);
    }
  }

  /**
   * Drops {@code at}'s database after a failed restore when {@code created} (this process created
   * it for the restore), so that the failure leaves nothing behind; other sessions on it are ended
   * (PostgreSQL 13 and newer). A database that existed before is never dropped. A drop that fails
   * is logged with the statement to run by hand and added to {@code failure} as suppressed.
   */
  public static void dropIfCreated(PgLocation at, boolean created, Throwable failure) {
    if (!created) {
      return;
    }
    String name = Sql.ident(at.database());
    try (Connection c = PgConnections.openMaintenance(at, at.database()); Statement st = c.createStatement()) {
      boolean force = c.getMetaData().getDatabaseMajorVersion() >= 13;
      st.execute("DROP DATABASE IF EXISTS " + name + (force ? " WITH (FORCE)" : ""));
      LOG.info("Dropped database {} again: the restore into it failed", at);
    } catch (SQLException | RuntimeException e) {
      String reason = e instanceof SQLException sql ? PgErrors.reason(sql, at) : Words.clause(at.redact(e.getMessage()));
      LOG.warn("The restore failed and the database {} it created could not be dropped: {}. Drop it by hand: DROP DATABASE {};",
          at, reason, name);
      failure.addSuppressed(new LifeboatException(ErrorCode.RESTORE_FAILED, "Database '" + at.database()
          + "' was created for this restore and could not be dropped again; drop it by hand (DROP DATABASE " + name + "): "
          + reason + "."));
    }
  }

  /**
   * Drops {@code at}'s database if it exists, ending other sessions on it (PostgreSQL 13 and
   * newer), for throwaway databases the caller named and owns (drills).
   */
  public static void drop(PgLocation at) {
    String name = Sql.ident(at.database());
    try (Connection c = PgConnections.openMaintenance(at, at.database()); Statement st = c.createStatement()) {
      boolean force = c.getMetaData().getDatabaseMajorVersion() >= 13;
      st.execute("DROP DATABASE IF EXISTS " + name + (force ? " WITH (FORCE)" : ""));
    } catch (SQLException e) {
      throw PgErrors.map(e, at, "dropping database " + name, ErrorCode.RESTORE_FAILED);
    }
  }

  /** The names of the databases on {@code at}'s server that start with {@code prefix}. */
  public static List<String> named(PgLocation at, String prefix) {
    try (Connection c = PgConnections.openMaintenance(at, at.database());
        PreparedStatement ps = c.prepareStatement("SELECT datname FROM pg_catalog.pg_database WHERE left(datname, ?) = ? ORDER BY 1")) {
      ps.setInt(1, prefix.length());
      ps.setString(2, prefix);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw PgErrors.map(e, at, "listing databases", ErrorCode.CONNECTION);
    }
  }

  /**
   * Up to {@code limit} user objects of the connected database, as {@code relation public.t},
   * {@code type s.t}, {@code function s.f}, {@code schema s} or {@code large object 1234}
   * (extension members and system schemas left out; the {@code public} schema itself does not
   * count). Empty for a database as {@code template0} makes it.
   */
  public static List<String> userObjects(Connection c, int limit) throws SQLException {
    String sql = "SELECT what FROM ("
        + " SELECT 'relation ' || n.nspname || '.' || c.relname AS what FROM pg_catalog.pg_class c"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','v','m','S','f','c') AND "
        + PgCatalog.USER_SCHEMA_FILTER + PgCatalog.notExtensionMember("pg_catalog.pg_class", "c.oid")
        + " UNION ALL SELECT 'type ' || n.nspname || '.' || t.typname FROM pg_catalog.pg_type t"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype IN ('b','d','e','r','m')"
        + " AND t.typcategory <> 'A' AND t.typrelid = 0 AND " + PgCatalog.USER_SCHEMA_FILTER
        + PgCatalog.notExtensionMember("pg_catalog.pg_type", "t.oid")
        + " UNION ALL SELECT 'function ' || n.nspname || '.' || p.proname FROM pg_catalog.pg_proc p"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE " + PgCatalog.USER_SCHEMA_FILTER
        + PgCatalog.notExtensionMember("pg_catalog.pg_proc", "p.oid")
        + " UNION ALL SELECT 'schema ' || n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname <> 'public' AND "
        + PgCatalog.USER_SCHEMA_FILTER + PgCatalog.notExtensionMember("pg_catalog.pg_namespace", "n.oid")
        + " UNION ALL SELECT 'large object ' || m.oid FROM pg_catalog.pg_largeobject_metadata m"
        + ") o LIMIT " + Math.max(0, limit);
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /**
   * Whether {@code a} and {@code b} name the same database on the same server: the same database
   * name and, for some server of each, the same port and host. Every name of this machine
   * ({@code localhost}, any loopback address, {@code ::ffff:127.0.0.1}, its host name and its own
   * addresses, a socket folder) counts as one host; other host names compare without case and
   * trailing dot. Used to refuse restoring over a snapshot's own source.
   */
  public static boolean sameDatabase(PgLocation a, PgLocation b) {
    if (!a.database().equals(b.database())) {
      return false;
    }
    for (PgLocation.Server x : a.servers()) {
      for (PgLocation.Server y : b.servers()) {
        if (x.port() == y.port() && normalHost(x.host()).equals(normalHost(y.host()))) {
          return true;
        }
      }
    }
    return false;
  }

  private static String normalHost(String h) {
    String l = h.toLowerCase(Locale.ROOT);
    if (l.endsWith(".")) {
      l = l.substring(0, l.length() - 1);
    }
    return l.startsWith("/") || l.equals("localhost") || isThisMachine(l) ? "localhost" : l;
  }

  /** Whether every address {@code host} resolves to belongs to this machine. */
  private static boolean isThisMachine(String host) {
    try {
      InetAddress[] addresses = InetAddress.getAllByName(host);
      for (InetAddress a : addresses) {
        if (!a.isLoopbackAddress() && !a.isAnyLocalAddress() && NetworkInterface.getByInetAddress(a) == null) {
          return false;
        }
      }
      return addresses.length > 0;
    } catch (UnknownHostException | SocketException | SecurityException e) {
      return false;
    }
  }
}
