package dev.lifeboat.mongo;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.spi.SecretResolver;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PostgreSQL destination given as {@code postgresql://user:password@host:port/db?params} (or
 * {@code postgres://}, or {@code jdbc:postgresql://}), turned into a PgJDBC URL plus user and
 * password. The password comes from the URI or the {@code PGPASSWORD} secret, the user from the URI,
 * the {@code PGUSER} secret or {@code postgres}. The schema is the URI's {@code currentSchema}
 * parameter, else the {@code mongo.jsonbSchema} setting, else {@code public}.
 */
final class PgDestination {
  private final Location location;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final String database;
  private final String schemaParam;
  private final String maintenanceUrl;

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
    String path = tail.startsWith("/") ? tail.substring(1) : tail;
    int q = path.indexOf('?');
    String db = decode(q < 0 ? path : path.substring(0, q));
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
    return new PgDestination(location, url, maintenance, user, password, db.isEmpty() ? user : db, schema);
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
      st.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
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
    String detail = Location.redact(String.valueOf(e.getMessage()));
    if (password != null && !password.isEmpty()) {
      detail = detail.replace(password, "***");
    }
    if (state.startsWith("28")) {
      return new LifeboatException(ErrorCode.AUTHENTICATION, what + " was refused: " + detail
          + ". Check the user and password (in the URI or the PGPASSWORD secret).", e);
    }
    if (state.startsWith("08")) {
      return new LifeboatException(ErrorCode.CONNECTION, what + " failed: " + detail + ". Check the host, port and network access.", e);
    }
    return new LifeboatException(fallback, what + " failed: " + detail, e);
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
