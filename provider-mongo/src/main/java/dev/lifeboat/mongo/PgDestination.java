package dev.lifeboat.mongo;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Redactor;
import dev.lifeboat.spi.SecretResolver;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL destination given as {@code postgresql://user:password@host:port/db?params} (or
 * {@code postgres://}, or {@code jdbc:postgresql://}), turned into a PgJDBC URL plus user and
 * password. The password comes from the URI or the {@code PGPASSWORD} secret, the user from the URI,
 * the {@code PGUSER} secret or {@code postgres}. The schema is the URI's {@code currentSchema}
 * parameter, else the {@code mongo.jsonbSchema} setting, else {@code public}.
 */
final class PgDestination {
  private static final Logger LOG = LoggerFactory.getLogger(PgDestination.class);
  private final Location location;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final String database;
  private final String schemaParam;
  private final String maintenanceUrl;
  private boolean createdDatabase;

  private PgDestination(Location location, String jdbcUrl, String maintenanceUrl, String user, String password, String database,
      String schemaParam) {
    this.location = location;
    this.jdbcUrl = jdbcUrl;
    this.maintenanceUrl = maintenanceUrl;
    this.user = user;
    this.password = password;
    this.database = database;
    this.schemaParam = schemaParam;
  }

  static boolean accepts(Location location) {
    return location.scheme().equals("postgresql") || location.scheme().equals("postgres");
  }

  static PgDestination parse(Location location, SecretResolver secrets) {
    if (!accepts(location)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Not a PostgreSQL URI: " + location + ". Use postgresql://user@host:5432/db.");
    }
    String text = location.withoutJdbcPrefix();
    int sep = text.indexOf("://");
    if (sep < 0) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "The PostgreSQL URI " + location + " is malformed. Use postgresql://user@host:5432/db.");
    }
    String rest = text.substring(sep + 3);
    int authorityEnd = indexOfAny(rest, "/?");
    String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
    String tail = authorityEnd < 0 ? "" : rest.substring(authorityEnd);
    String user = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    if (authority.isEmpty()) {
      authority = "localhost";
    }
    checkPorts(location, authority);
    String path = tail.startsWith("/") ? tail.substring(1) : tail;
    int q = path.indexOf('?');
    String db = decode(q < 0 ? path : path.substring(0, q));
    if (db.isBlank()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "The PostgreSQL URI " + location
          + " names no database. Add it as the path, before any options: postgresql://user@host:5432/standby.");
    }
    String query = tail.contains("?") ? tail.substring(tail.indexOf('?') + 1) : "";
    String schema = null;
    for (String p : query.split("&")) {
      if (p.startsWith("currentSchema=")) {
        schema = decode(p.substring("currentSchema=".length())).split(",")[0].trim();
      }
    }
    if (user == null || user.isEmpty()) {
      user = secrets.resolve("PGUSER").orElse("postgres");
    }
    if (password == null) {
      password = secrets.resolve("PGPASSWORD").orElse(null);
    }
    String params = query.isEmpty() ? "" : "?" + query;
    String url = "jdbc:postgresql://" + authority + "/" + (q < 0 ? path : path.substring(0, q)) + params;
    String maintenance = "jdbc:postgresql://" + authority + "/postgres" + params;
    return new PgDestination(location, url, maintenance, user, password, db, schema);
  }

  /** Each host's port, when given, must be a number from 1 to 65535 (PgJDBC would fail later, less clearly). */
  private static void checkPorts(Location location, String authority) {
    for (String host : authority.split(",")) {
      int colon = host.startsWith("[") ? host.indexOf("]:") + 1 : host.lastIndexOf(':');
      if (colon <= 0) {
        continue;
      }
      String port = host.substring(colon + 1);
      int n = -1;
      if (port.matches("[0-9]{1,5}")) {
        n = Integer.parseInt(port);
      }
      if (n < 1 || n > 65535) {
        throw new LifeboatException(ErrorCode.CONFIGURATION, "The PostgreSQL URI " + location + " has port '" + port
            + "'; a port is a number from 1 to 65535 (PostgreSQL's default is 5432).");
      }
    }
  }

  /** The schema for the standby's tables. */
  String schema(MongoSettings settings) {
    return schemaParam != null && !schemaParam.isEmpty() ? schemaParam : settings.string(MongoSettings.JSONB_SCHEMA, "public");
  }

  String database() {
    return database;
  }

  /**
   * Connects, first creating the database when it does not exist (as restoring into PostgreSQL
   * does elsewhere in Lifeboat); a role that may not create databases gets an error saying so.
   */
  Connection connectCreatingDatabase() {
    try {
      return open(jdbcUrl);
    } catch (SQLException e) {
      if (!"3D000".equals(e.getSQLState())) {
        throw error(e, "Connecting to " + location, ErrorCode.CONNECTION);
      }
    }
    try (Connection c = open(maintenanceUrl); java.sql.Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + TableNames.quote(database));
      createdDatabase = true;
    } catch (SQLException e) {
      if ("42501".equals(e.getSQLState())) {
        throw new LifeboatException(ErrorCode.RESTORE_FAILED, "Database '" + database + "' does not exist and role '" + user
            + "' may not create databases. Create it first or grant the role CREATEDB.", e);
      }
      if (!"42P04".equals(e.getSQLState())) {
        throw error(e, "Creating database " + database + " on " + location, ErrorCode.RESTORE_FAILED);
      }
    }
    return connect();
  }

  /**
   * Drops the database {@link #connectCreatingDatabase()} created, after a restore into it failed,
   * so that a failed restore leaves nothing behind; every connection to it must be closed. A
   * failure to drop is added to {@code failure} and logged, naming what to drop by hand.
   */
  void dropCreatedDatabase(Throwable failure) {
    if (!createdDatabase) {
      return;
    }
    try (Connection c = open(maintenanceUrl); java.sql.Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + TableNames.quote(database));
      createdDatabase = false;
      LOG.info("Dropped database {} on {}, which the failed restore had created", database, this);
    } catch (SQLException e) {
      dropFailed(failure, error(e, "Dropping database " + database + " (created by the failed restore) on " + this,
          ErrorCode.RESTORE_FAILED));
    } catch (LifeboatException e) {
      dropFailed(failure, e);
    }
  }

  private void dropFailed(Throwable failure, LifeboatException dropFailure) {
    failure.addSuppressed(dropFailure);
    LOG.warn("{} Drop it by hand: DROP DATABASE {};", dropFailure.getMessage(), TableNames.quote(database));
  }

  /** Connects; failures become CONNECTION or AUTHENTICATION errors without secrets. */
  Connection connect() {
    try {
      return open(jdbcUrl);
    } catch (SQLException e) {
      throw error(e, "Connecting to " + location, ErrorCode.CONNECTION);
    }
  }

  private Connection open(String url) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("ApplicationName", "lifeboat");
    Connection c = new org.postgresql.Driver().connect(url, props);
    if (c == null) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "PgJDBC does not accept the URI " + location + ".");
    }
    return c;
  }

  /** Maps a SQL failure to a Lifeboat error. */
  LifeboatException error(SQLException e, String what, ErrorCode fallback) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String detail = Redactor.redact(String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim());
    if (password != null && !password.isEmpty()) {
      detail = detail.replace(password, Redactor.MASK);
    }
    if (state.startsWith("28")) {
      return new LifeboatException(ErrorCode.AUTHENTICATION, what + " was refused: " + detail
          + ". Check the user and password (in the URI or the PGPASSWORD secret).", e);
    }
    if (state.equals("42501")) {
      return new LifeboatException(ErrorCode.AUTHENTICATION, what + " was refused: " + detail
          + ". Grant the role '" + user + "' the privileges it needs, or use another role.", e);
    }
    if (state.equals("3D000")) {
      return new LifeboatException(ErrorCode.CONNECTION, what + " failed: " + detail
          + ". Check the database name in the URI, or restore the snapshot into it first.", e);
    }
    if (isOutage(e)) {
      return new LifeboatException(ErrorCode.CONNECTION, what + " failed: " + detail + ". Check the host, port and network access.", e);
    }
    return new LifeboatException(fallback, what + " failed: " + detail, e);
  }

  /**
   * Whether a SQL failure says the server is unreachable, went away or refused the session
   * (connection exceptions, shutdowns, exhausted resources, refused logins) rather than anything
   * about the statement.
   */
  static boolean isOutage(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    return state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.startsWith("28")
        || state.equals("3D000");
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return location.redacted();
  }
}
