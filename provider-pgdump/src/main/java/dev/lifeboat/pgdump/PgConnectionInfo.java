package dev.lifeboat.pgdump;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Redactor;
import dev.lifeboat.spi.SecretResolver;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The parts of a PostgreSQL connection URI: {@code postgresql://}, {@code postgres://} and
 * {@code jdbc:postgresql://} forms (the JDBC form may carry {@code user} and {@code password} as
 * query parameters). The database must be named and the port lie in 1-65535; anything else is a
 * {@code CONFIGURATION} error. Immutable. {@link #toString()} never shows the password, and shows
 * names in any script as they are ({@code postgresql://h:5432/été}).
 *
 * <p>Child processes get the connection through libpq environment variables
 * ({@link #environment()}), so no password ever appears on a command line.
 */
public final class PgConnectionInfo {
  /** Query parameters libpq understands, with the environment variable that carries each. */
  private static final Map<String, String> LIBPQ_ENV = Map.ofEntries(
      Map.entry("sslmode", "PGSSLMODE"),
      Map.entry("sslrootcert", "PGSSLROOTCERT"),
      Map.entry("sslcert", "PGSSLCERT"),
      Map.entry("sslkey", "PGSSLKEY"),
      Map.entry("sslcrl", "PGSSLCRL"),
      Map.entry("sslcompression", "PGSSLCOMPRESSION"),
      Map.entry("requiressl", "PGREQUIRESSL"),
      Map.entry("channel_binding", "PGCHANNELBINDING"),
      Map.entry("gssencmode", "PGGSSENCMODE"),
      Map.entry("application_name", "PGAPPNAME"),
      Map.entry("connect_timeout", "PGCONNECT_TIMEOUT"),
      Map.entry("options", "PGOPTIONS"),
      Map.entry("target_session_attrs", "PGTARGETSESSIONATTRS"),
      Map.entry("krbsrvname", "PGKRBSRVNAME"));
  /** libpq variables a child must not inherit from this process: the URI alone decides. */
  private static final String HEX = "0123456789ABCDEF";
  private static final List<String> INHERITED_TO_DROP = List.of(
      "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "PGSERVICE", "PGSERVICEFILE");

  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final Map<String, String> params;

  private PgConnectionInfo(String host, int port, String database, String user, String password, Map<String, String> params) {
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.params = Map.copyOf(params);
  }

  /** Parses a {@code postgresql://}, {@code postgres://} or {@code jdbc:postgresql://} location. */
  public static PgConnectionInfo parse(Location location) {
    String text = location.withoutJdbcPrefix();
    String lower = text.toLowerCase(Locale.ROOT);
    String body;
    if (lower.startsWith("postgresql://")) {
      body = text.substring("postgresql://".length());
    } else if (lower.startsWith("postgres://")) {
      body = text.substring("postgres://".length());
    } else {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "'" + location
          + "' is not a PostgreSQL URI. Write it as postgresql://user@host:5432/database (or jdbc:postgresql://host:5432/database).");
    }
    int hash = body.indexOf('#');
    if (hash >= 0) {
      body = body.substring(0, hash);
    }
    String query = "";
    int q = body.indexOf('?');
    if (q >= 0) {
      query = body.substring(q + 1);
      body = body.substring(0, q);
    }
    int slash = body.indexOf('/');
    String authority = slash >= 0 ? body.substring(0, slash) : body;
    String path = slash >= 0 ? body.substring(slash + 1) : "";

    String user = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (colon >= 0) {
        user = decode(userInfo.substring(0, colon));
        password = decode(userInfo.substring(colon + 1));
      } else {
        user = decode(userInfo);
      }
    }
    String host = authority;
    int port = 5432;
    String portText = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      host = authority.substring(1, close < 0 ? authority.length() : close);
      if (close >= 0 && close + 1 < authority.length() && authority.charAt(close + 1) == ':') {
        portText = authority.substring(close + 2);
      }
    } else {
      int colon = authority.lastIndexOf(':');
      if (colon >= 0) {
        host = authority.substring(0, colon);
        portText = authority.substring(colon + 1);
      }
    }
    if (host.contains(",")) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "'" + location + "' names several hosts; Lifeboat needs one PostgreSQL server. Name the primary only.");
    }
    if (portText != null && !portText.isEmpty()) {
      port = port(portText, location, true);
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq >= 0 ? pair.substring(0, eq) : pair);
      String value = eq >= 0 ? decode(pair.substring(eq + 1)) : "";
      params.put(key, value);
    }
    // The JDBC form's query parameters fill in what the authority leaves out; they never stay in params.
    String queryUser = params.remove("user");
    String queryPassword = params.remove("password");
    user = user == null ? queryUser : user;
    password = password == null ? queryPassword : password;
    if (params.containsKey("host") && host.isEmpty()) {
      host = params.remove("host");
    }
    if (params.containsKey("port") && portText == null) {
      port = port(params.remove("port"), location, false);
    }
    if (params.containsKey("dbname") && path.isEmpty()) {
      path = params.remove("dbname");
    }
    if (host.isEmpty()) {
      host = "localhost";
    }
    if (user == null || user.isEmpty()) {
      user = System.getProperty("user.name");
    }
    String database = decode(path);
    if (database.isEmpty()) {
      // libpq would fall back to a database named after the user: a restore must never land somewhere unnamed.
      throw new LifeboatException(ErrorCode.CONFIGURATION, "'" + location + "' names no database. Add it to the path,"
          + " e.g. postgresql://user@host:5432/DATABASE.");
    }
    String sslpassword = params.get("sslpassword");
    if (sslpassword != null) {
      Redactor.register(sslpassword);
    }
    return new PgConnectionInfo(host, port, database, user, password == null || password.isEmpty() ? null : password, params);
  }

  /** A TCP port, 1 to 65535. */
  private static int port(String text, Location location, boolean inAuthority) {
    int port;
    try {
      port = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      // What stands in the port's place may be part of a password with an unencoded '/', '?' or '#': not shown.
      throw new LifeboatException(ErrorCode.CONFIGURATION, "'" + location + "' has a port that is not a number."
          + (inAuthority ? " If the password holds '/', '?', '#' or '@', percent-encode them (%2F, %3F, %23, %40)." : ""));
    }
    if (port < 1 || port > 65535) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "'" + location + "' has port " + port
          + ", outside the range 1-65535 of TCP ports. PostgreSQL listens on 5432 unless configured otherwise.");
    }
    return port;
  }

  /**
   * This connection with its password found as libpq finds it: from the URI, else the
   * {@code PGPASSWORD} secret, else the password file ({@code PGPASSFILE} secret, default
   * {@code ~/.pgpass}).
   */
  public PgConnectionInfo resolvePassword(SecretResolver secrets) {
    if (password != null) {
      return this;
    }
    Optional<String> fromSecret = secrets.resolve("PGPASSWORD").filter(s -> !s.isEmpty());
    if (fromSecret.isPresent()) {
      Redactor.register(fromSecret.get());
      return withPassword(fromSecret.get());
    }
    Path file = secrets.resolve("PGPASSFILE").filter(s -> !s.isBlank()).map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("user.home"), ".pgpass"));
    Optional<String> fromFile = PgPass.read(file).flatMap(p -> p.find(passHost(), port, database, user));
    // Read from a file, not through the secret resolver: nothing else has told the redactor about it.
    fromFile.ifPresent(Redactor::register);
    return fromFile.map(this::withPassword).orElse(this);
  }

  /** libpq looks up a socket connection's entry as {@code localhost}. */
  private String passHost() {
    return host.startsWith("/") ? "localhost" : host;
  }

  public String host() { return host; }
  public int port() { return port; }
  public String database() { return database; }
  public String user() { return user; }
  /** Whether a password is known (from the URI or resolved). */
  public boolean hasPassword() { return password != null; }
  /** Query parameters other than user and password, e.g. {@code sslmode}. */
  public Map<String, String> params() { return params; }

  /** The same server and role, another database. */
  public PgConnectionInfo withDatabase(String name) {
    return new PgConnectionInfo(host, port, name, user, password, params);
  }

  PgConnectionInfo withPassword(String value) {
    return new PgConnectionInfo(host, port, database, user, value, params);
  }

  /** The secret values that must be removed from any text shown to people. */
  List<String> secrets() {
    List<String> out = new ArrayList<>();
    if (password != null) {
      out.add(password);
      for (String encoded : List.of(URLEncoder.encode(password, StandardCharsets.UTF_8), encode(password))) {
        if (!out.contains(encoded)) {
          out.add(encoded);
        }
      }
    }
    String sslpassword = params.get("sslpassword");
    if (sslpassword != null && !sslpassword.isEmpty()) {
      out.add(sslpassword);
    }
    return out;
  }

  /** Removes this connection's secrets, and any URI password, from {@code text}. */
  String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets()) {
      out = out.replace(s, Redactor.MASK);
    }
    return Redactor.redact(out);
  }

  /**
   * libpq environment variables for a child process ({@code PGHOST}, {@code PGPORT},
   * {@code PGUSER}, {@code PGDATABASE}, {@code PGPASSWORD}, {@code PGSSLMODE}...).
   */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PGHOST", host);
    env.put("PGPORT", Integer.toString(port));
    env.put("PGUSER", user);
    env.put("PGDATABASE", database);
    if (password != null) {
      env.put("PGPASSWORD", password);
    }
    params.forEach((k, v) -> {
      String var = LIBPQ_ENV.get(k);
      if (var != null) {
        env.put(var, v);
      }
    });
    return env;
  }

  /** Puts {@link #environment()} into a child's environment, dropping inherited connection variables. */
  void applyTo(Map<String, String> childEnvironment) {
    INHERITED_TO_DROP.forEach(childEnvironment::remove);
    childEnvironment.putAll(environment());
  }

  /** A libpq connection string naming only the database, for {@code -d}: no host, user or password. */
  String databaseArgument() {
    return "dbname=" + conninfoValue(database);
  }

  private static String conninfoValue(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** The JDBC URL, without user or password. */
  String jdbcUrl() {
    return "jdbc:postgresql://" + hostAndPort() + "/" + encode(database);
  }

  /** {@code host:port}, an IPv6 address in brackets. */
  private String hostAndPort() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Opens a JDBC connection, turning failures into errors that say what to check. */
  public Connection connect() {
    Properties props = new Properties();
    params.forEach((k, v) -> {
      switch (k) {
        case "application_name" -> props.setProperty("ApplicationName", v);
        case "connect_timeout" -> props.setProperty("connectTimeout", v);
        default -> props.setProperty(k, v);
      }
    });
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.putIfAbsent("ApplicationName", "lifeboat");
    try {
      return DriverManager.getConnection(jdbcUrl(), props);
    } catch (SQLException e) {
      throw connectionFailure(e);
    }
  }

  /** An error for a failed connection attempt, with the secrets removed. */
  LifeboatException connectionFailure(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String reason = Words.clause(redact(e.getMessage()));
    if (state.equals("28P01") || state.equals("28000")) {
      return new LifeboatException(ErrorCode.AUTHENTICATION, "PostgreSQL refused the credentials of role '" + user + "' at "
          + redactedUri() + ": " + reason + ". Check the password (URI, PGPASSWORD or ~/.pgpass).");
    }
    if (password == null && String.valueOf(e.getMessage()).contains("no password was provided")) {
      return new LifeboatException(ErrorCode.AUTHENTICATION, "PostgreSQL at " + redactedUri() + " asks role '" + user
          + "' for a password and none was found. Put it in the URI, the PGPASSWORD secret or the password file (~/.pgpass, or"
          + " the file the PGPASSFILE secret names; it must not be readable by others).");
    }
    if (state.equals("3D000")) {
      return new LifeboatException(ErrorCode.NOT_FOUND, "Database '" + database + "' does not exist at " + redactedUri()
          + ": " + reason + ". Check the database name.");
    }
    return new LifeboatException(ErrorCode.CONNECTION, "Cannot connect to PostgreSQL at " + redactedUri() + ": " + reason
        + ". Check that the server runs and accepts connections from this host.", null);
  }

  /** {@code postgresql://user@host:port/database?params}, without the password. */
  public String redactedUri() {
    return uri(false);
  }

  /** The full URI, password included: for handing to a caller who connects. Never log it. */
  Location toLocation() {
    return Location.parse(uri(true));
  }

  private String uri(boolean withPassword) {
    StringBuilder b = new StringBuilder("postgresql://");
    b.append(encode(user));
    if (withPassword && password != null) {
      b.append(':').append(encode(password));
    }
    b.append('@').append(hostAndPort()).append('/').append(encode(database));
    String query = params.entrySet().stream()
        .filter(e -> withPassword || !e.getKey().equalsIgnoreCase("sslpassword"))
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .reduce((a, c) -> a + "&" + c).orElse("");
    if (!query.isEmpty()) {
      b.append('?').append(query);
    }
    return b.toString();
  }

  /**
   * Whether {@code other} names the same database on the same server. Every name of this machine
   * ({@code localhost}, any loopback address, {@code ::ffff:127.0.0.1}, its host name and its own
   * addresses, a socket folder) counts as one host; other host names compare without case and
   * trailing dot.
   */
  public boolean sameDatabaseAs(PgConnectionInfo other) {
    return port == other.port && database.equals(other.database) && normalHost(host).equals(normalHost(other.host));
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

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /**
   * Percent-encodes what a URI part cannot hold (reserved and special ASCII characters, blanks,
   * control characters) and keeps letters of any script as they are, so that a database named
   * {@code été} shows as {@code /été} in messages. {@link #decode} reads both forms.
   */
  private static String encode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      boolean plain = cp < 128 ? Character.isLetterOrDigit(cp) || "-._~".indexOf(cp) >= 0
          : !Character.isISOControl(cp) && !Character.isWhitespace(cp) && !Character.isSpaceChar(cp)
              && Character.getType(cp) != Character.FORMAT && Character.getType(cp) != Character.UNASSIGNED
              && Character.getType(cp) != Character.PRIVATE_USE && Character.getType(cp) != Character.SURROGATE;
      if (plain) {
        out.appendCodePoint(cp);
      } else {
        for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(HEX.charAt((b >> 4) & 0xF)).append(HEX.charAt(b & 0xF));
        }
      }
    });
    return out.toString();
  }


  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PgConnectionInfo)) {
      return false;
    }
    PgConnectionInfo c = (PgConnectionInfo) o;
    return port == c.port && host.equals(c.host) && database.equals(c.database) && user.equals(c.user)
        && Objects.equals(password, c.password) && params.equals(c.params);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, database, user, params);
  }

  /** The URI without the password. */
  @Override
  public String toString() {
    return redactedUri();
  }
}
