package dev.lifeboat.postgres;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Redactor;
import dev.lifeboat.spi.SecretResolver;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.postgresql.PGProperty;

/**
 * A PostgreSQL connection URI, parsed once: {@code postgresql://}, {@code postgres://} and
 * {@code jdbc:postgresql://} forms (the JDBC form may carry {@code user} and {@code password} as
 * query parameters; either form may name several {@code host:port} servers, as libpq allows). The
 * database must be named and every port lie in 1-65535; anything else is a {@code CONFIGURATION}
 * error (exit 2). Immutable. {@link #toString()} never shows the password, and shows names in any
 * script as they are ({@code postgresql://h:5432/été}).
 *
 * <p>The user is the URI's, else the {@code PGUSER} secret, else this machine's user name, as
 * libpq chooses. The password is the URI's, else the {@code PGPASSWORD} secret, else the libpq
 * password file ({@link PgPass}); one found in the file is registered with {@link Redactor}.
 *
 * <p>Why not pgjdbc's {@code org.postgresql.Driver.parseURL}: it reads only the
 * {@code jdbc:postgresql:} form, which has no {@code user:password@} part; it decodes {@code +}
 * as a blank (form encoding), where libpq keeps it, so a database {@code a+b} would become
 * {@code a b}; and it answers a bad port with {@code null} and a log line, where Lifeboat must say
 * which part is wrong without echoing a fragment of an unencoded password. pgjdbc is used where it
 * fits: {@link PGProperty} names the connection properties, and the driver reads the plain JDBC URL
 * built from the parsed parts ({@link #jdbcUrl()}). Its {@code .pgpass} reader is not used because it takes the
 * file from this process's environment, not from Lifeboat's secrets, and does not ignore files
 * others may read, as libpq does.
 */
public final class PgLocation {
  /** The URI schemes of PostgreSQL locations (a {@code jdbc:} prefix is dropped before the scheme). */
  public static final Set<String> SCHEMES = Set.of("postgresql", "postgres");

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
  /** libpq parameters whose pgjdbc property has another name. */
  private static final Map<String, PGProperty> JDBC_NAMES = Map.of(
      "application_name", PGProperty.APPLICATION_NAME,
      "connect_timeout", PGProperty.CONNECT_TIMEOUT);
  /** libpq variables a child must not inherit from this process: the URI alone decides. */
  private static final List<String> INHERITED_TO_DROP = List.of(
      "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "PGSERVICE", "PGSERVICEFILE");
  private static final String HEX = "0123456789ABCDEF";
  private static final int DEFAULT_PORT = 5432;

  /**
   * One server of the URI.
   *
   * @param host a host name, an IP address (IPv6 without brackets) or a socket folder
   * @param port its TCP port, 1-65535
   */
  public record Server(String host, int port) {
    /** {@code host:port}, an IPv6 address in brackets. */
    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  private final List<Server> servers;
  private final String database;
  private final String user;
  private final String password;
  private final Map<String, String> params;

  private PgLocation(List<Server> servers, String database, String user, String password, Map<String, String> params) {
    this.servers = List.copyOf(servers);
    this.database = database;
    this.user = user;
    this.password = password;
    this.params = Map.copyOf(params);
  }

  /** Whether {@code location} is a PostgreSQL URI ({@code postgresql://}, {@code postgres://}, either with {@code jdbc:}). */
  public static boolean accepts(Location location) {
    return SCHEMES.contains(location.scheme());
  }

  /**
   * Parses a PostgreSQL URI, taking the password only from the URI itself: for URIs read from a
   * manifest, which never carry one, and for comparing locations.
   */
  public static PgLocation parse(Location location) {
    return parse(location, null);
  }

  /**
   * Parses a PostgreSQL URI and finds the user and password as libpq does: the URI's, else the
   * {@code PGUSER} / {@code PGPASSWORD} secrets, else (for the password) the password file named
   * by the {@code PGPASSFILE} secret, by default {@code ~/.pgpass}.
   *
   * @param secrets where to look up secrets; {@code null} for the URI alone
   */
  public static PgLocation parse(Location location, SecretResolver secrets) {
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
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      params.put(decode(eq >= 0 ? pair.substring(0, eq) : pair), eq >= 0 ? decode(pair.substring(eq + 1)) : "");
    }
    // The JDBC form's query parameters fill in what the authority leaves out; they never stay in params.
    String queryUser = params.remove("user");
    String queryPassword = params.remove("password");
    user = user == null || user.isEmpty() ? queryUser : user;
    password = password == null ? queryPassword : password;
    List<Server> servers = servers(authority, params, location);
    if (params.containsKey("dbname") && path.isEmpty()) {
      path = params.remove("dbname");
    }
    String database = decode(path);
    if (database.isEmpty()) {
      // libpq would fall back to a database named after the user: a restore must never land somewhere unnamed.
      throw new LifeboatException(ErrorCode.CONFIGURATION, "'" + location + "' names no database. Add it to the path,"
          + " e.g. postgresql://user@host:5432/DATABASE.");
    }
    String sslpassword = params.get("sslpassword");
    if (sslpassword != null && !sslpassword.isEmpty()) {
      Redactor.register(sslpassword);
    }
    if (user == null || user.isEmpty()) {
      user = secret(secrets, "PGUSER").orElse(System.getProperty("user.name"));
    }
    PgLocation parsed = new PgLocation(servers, database, user, password == null || password.isEmpty() ? null : password, params);
    return secrets == null ? parsed : parsed.withPasswordFrom(secrets);
  }

  /** The servers of the authority ({@code h1:p1,[::1]:p2}); the {@code host} and {@code port} parameters fill in a blank one. */
  private static List<Server> servers(String authority, Map<String, String> params, Location location) {
    List<Server> out = new ArrayList<>();
    for (String part : splitHosts(authority)) {
      String host = part;
      String portText = null;
      if (part.startsWith("[")) {
        int close = part.indexOf(']');
        // Read leniently, "[::1" or "[::1]x" would connect somewhere the user did not name.
        if (close < 0 || (close + 1 < part.length() && part.charAt(close + 1) != ':')) {
          throw new LifeboatException(ErrorCode.CONFIGURATION, "'" + location + "' has a malformed IPv6 host: write it in"
              + " brackets, then an optional port, e.g. postgresql://user@[::1]:5432/database.");
        }
        host = part.substring(1, close);
        if (close + 1 < part.length()) {
          portText = part.substring(close + 2);
        }
      } else {
        int colon = part.lastIndexOf(':');
        if (colon >= 0) {
          host = part.substring(0, colon);
          portText = part.substring(colon + 1);
        }
      }
      if (host.isEmpty() && params.containsKey("host")) {
        host = params.remove("host");
      }
      int port = DEFAULT_PORT;
      if (portText != null && !portText.isEmpty()) {
        port = port(portText, location, true);
      } else if (params.containsKey("port")) {
        port = port(params.remove("port"), location, false);
      }
      out.add(new Server(host.isEmpty() ? "localhost" : host, port));
    }
    return out;
  }

  /** The comma-separated parts of an authority, commas inside IPv6 brackets aside. */
  private static List<String> splitHosts(String authority) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < authority.length(); i++) {
      char c = authority.charAt(i);
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth = Math.max(0, depth - 1);
      } else if (c == ',' && depth == 0) {
        out.add(authority.substring(start, i));
        start = i + 1;
      }
    }
    out.add(authority.substring(start));
    return out;
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

  private static Optional<String> secret(SecretResolver secrets, String name) {
    return secrets == null ? Optional.empty() : secrets.resolve(name).filter(s -> !s.isEmpty());
  }

  /** This location with the password found as libpq finds it when the URI has none. */
  private PgLocation withPasswordFrom(SecretResolver secrets) {
    if (password != null) {
      return this;
    }
    Optional<String> fromSecret = secret(secrets, "PGPASSWORD");
    if (fromSecret.isPresent()) {
      Redactor.register(fromSecret.get());
      return withPassword(fromSecret.get());
    }
    Path file = secrets.resolve("PGPASSFILE").filter(s -> !s.isBlank()).map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("user.home"), ".pgpass"));
    // libpq looks up a socket connection's entry as localhost.
    String passHost = host().startsWith("/") ? "localhost" : host();
    Optional<String> fromFile = PgPass.read(file).flatMap(p -> p.find(passHost, port(), database, user));
    // Read from a file, not through the secret resolver: nothing else has told the redactor about it.
    fromFile.ifPresent(Redactor::register);
    return fromFile.map(this::withPassword).orElse(this);
  }

  /**
   * Refuses a URI that names several servers, for work that must reach one known server (a dump,
   * a restore, a branch): with several, libpq picks whichever answers first.
   */
  public PgLocation requireOneServer() {
    if (servers.size() > 1) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "'" + redacted() + "' names several hosts; Lifeboat needs one PostgreSQL server. Name the primary only.");
    }
    return this;
  }

  /** The servers, in the URI's order (one for most URIs). */
  public List<Server> servers() {
    return servers;
  }

  /** The first server's host. */
  public String host() {
    return servers.get(0).host();
  }

  /** The first server's port. */
  public int port() {
    return servers.get(0).port();
  }

  /** The database, never empty. */
  public String database() {
    return database;
  }

  /** The role to connect as. */
  public String user() {
    return user;
  }

  /** Whether a password is known (from the URI, a secret or the password file). */
  public boolean hasPassword() {
    return password != null;
  }

  /** Query parameters other than user and password, e.g. {@code sslmode}, {@code currentSchema}. */
  public Map<String, String> params() {
    return params;
  }

  /** The same servers and role, another database. */
  public PgLocation withDatabase(String name) {
    return new PgLocation(servers, name, user, password, params);
  }

  private PgLocation withPassword(String value) {
    return new PgLocation(servers, database, user, value, params);
  }

  /** The JDBC URL, without user, password or parameters (they travel as connection properties). */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + servers.stream().map(Server::toString).collect(Collectors.joining(",")) + "/" + encode(database);
  }

  /** The JDBC connection properties: the URI's parameters under pgjdbc's names, user, password, application name. */
  Properties properties() {
    Properties props = new Properties();
    params.forEach((k, v) -> {
      PGProperty renamed = JDBC_NAMES.get(k);
      props.setProperty(renamed == null ? k : renamed.getName(), v);
    });
    PGProperty.USER.set(props, user);
    if (password != null) {
      PGProperty.PASSWORD.set(props, password);
    }
    props.putIfAbsent(PGProperty.APPLICATION_NAME.getName(), "lifeboat");
    return props;
  }

  /**
   * libpq environment variables for a child process ({@code PGHOST}, {@code PGPORT},
   * {@code PGUSER}, {@code PGDATABASE}, {@code PGPASSWORD}, {@code PGSSLMODE}...), so that no
   * password ever appears on a command line. Several servers become lists, as libpq reads them.
   */
  public Map<String, String> libpqEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PGHOST", servers.stream().map(Server::host).collect(Collectors.joining(",")));
    env.put("PGPORT", servers.stream().map(s -> Integer.toString(s.port())).collect(Collectors.joining(",")));
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

  /** Puts {@link #libpqEnvironment()} into a child's environment, dropping inherited connection variables. */
  void applyTo(Map<String, String> childEnvironment) {
    INHERITED_TO_DROP.forEach(childEnvironment::remove);
    childEnvironment.putAll(libpqEnvironment());
  }

  /** The secret values that must be removed from any text shown to people. */
  private List<String> secrets() {
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

  /** {@code text} without this location's secrets, nor any other secret {@link Redactor} knows. */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets()) {
      out = out.replace(s, Redactor.MASK);
    }
    return Redactor.redact(out);
  }

  /** {@code postgresql://user@host:port/database?params}, without the password: what messages and results show. */
  public String redacted() {
    return uri(false);
  }

  /** The full URI, password included: for handing to a caller who connects. Never log it. */
  public Location toLocation() {
    return Location.parse(uri(true));
  }

  private String uri(boolean withPassword) {
    StringBuilder b = new StringBuilder("postgresql://");
    b.append(encode(user));
    if (withPassword && password != null) {
      b.append(':').append(encode(password));
    }
    b.append('@').append(servers.stream().map(Server::toString).collect(Collectors.joining(",")));
    b.append('/').append(encode(database));
    String query = params.entrySet().stream()
        .filter(e -> withPassword || !e.getKey().equalsIgnoreCase("sslpassword"))
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    if (!query.isEmpty()) {
      b.append('?').append(query);
    }
    return b.toString();
  }

  /** Percent-decoding that keeps {@code +} (libpq does not read it as a blank). */
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
    return o instanceof PgLocation c && servers.equals(c.servers) && database.equals(c.database) && user.equals(c.user)
        && Objects.equals(password, c.password) && params.equals(c.params);
  }

  @Override
  public int hashCode() {
    return Objects.hash(servers, database, user, params);
  }

  /** The URI without the password. */
  @Override
  public String toString() {
    return redacted();
  }
}
