package dev.lifeboat.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.connection.ClusterDescription;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.spi.SecretResolver;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonInt32;

/**
 * A {@code mongodb://} or {@code mongodb+srv://} location with its database. Credentials come from
 * the URI or, when it has none, from the secrets {@code MONGODB_USERNAME} and
 * {@code MONGODB_PASSWORD}. {@link #toString()} is the redacted URI.
 */
final class MongoUri {
  /** Secret holding the user name when the URI has none. */
  static final String USERNAME_SECRET = "MONGODB_USERNAME";
  /** Secret holding the password when the URI has none. */
  static final String PASSWORD_SECRET = "MONGODB_PASSWORD";

  private static final java.util.regex.Pattern USER_WITHOUT_PASSWORD =
      java.util.regex.Pattern.compile("^(mongodb(?:\\+srv)?://)([^:@/?#]+)@(.*)$", java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.DOTALL);

  private final Location location;
  private final ConnectionString connection;
  private final String database;
  /** A user named in the URI without a password (the driver refuses those; the password is a secret). */
  private final String userWithoutPassword;

  private MongoUri(Location location, ConnectionString connection, String database, String userWithoutPassword) {
    this.location = location;
    this.connection = connection;
    this.database = database;
    this.userWithoutPassword = userWithoutPassword;
  }

  /** Parses a location; a URI without a database is a configuration error saying how to add one. */
  static MongoUri parse(Location location) {
    String scheme = location.scheme();
    if (!scheme.equals("mongodb") && !scheme.equals("mongodb+srv")) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Not a MongoDB URI: " + location + ". Use mongodb://host/db or mongodb+srv://cluster.example.net/db.");
    }
    ConnectionString cs;
    String text = location.raw();
    String user = null;
    java.util.regex.Matcher m = USER_WITHOUT_PASSWORD.matcher(text);
    if (m.matches()) {
      user = java.net.URLDecoder.decode(m.group(2), java.nio.charset.StandardCharsets.UTF_8);
      text = m.group(1) + m.group(3);
    }
    MongoUriOptions.check(text, location.redacted());
    try {
      cs = new ConnectionString(text);
    } catch (IllegalArgumentException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "The MongoDB URI " + location + " is malformed: " + MongoErrors.text(e)
              + ". Use mongodb://[user@]host[:port]/db[?options].");
    }
    String db = cs.getDatabase();
    if (db == null || db.isBlank()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "The MongoDB URI " + location + " names no database. Add it as the path, before any options: "
              + "mongodb://host:27017/mydb or mongodb+srv://cluster.example.net/mydb?retryWrites=true.");
    }
    if (cs.getCollection() != null) {
      // The driver reads "db.coll" as a database and a collection; Lifeboat would act on the whole database.
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "The MongoDB URI " + location + " names collection " + cs.getCollection() + " of database " + db
              + ", but a location is a whole database. Name the database alone (mongodb://host/" + db
              + ") and pick collections with --table " + cs.getCollection() + ".");
    }
    return new MongoUri(location, cs, db, user);
  }

  /** The database named in the path. */
  String database() {
    return database;
  }

  /** The location as given. */
  Location location() {
    return location;
  }

  /** Whether this is a {@code mongodb+srv://} URI. */
  boolean srv() {
    return Boolean.TRUE.equals(connection.isSrvProtocol());
  }

  /**
   * The hosts, lower case with the default port made explicit, sorted: two URIs that name the same
   * deployment in another order or with and without {@code :27017} compare equal.
   */
  List<String> normalizedHosts() {
    return connection.getHosts().stream().map(h -> {
      String host = h.toLowerCase(Locale.ROOT);
      if (srv()) {
        return "srv:" + host;
      }
      boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.contains(":");
      return hasPort ? host : host + ":27017";
    }).sorted().toList();
  }

  /**
   * Whether {@code other} may be the same deployment and database, erring on the side of "yes":
   * the same database name (MongoDB refuses names that differ only in case on one deployment) and
   * either a host in common (a seed list may name any members of a replica set, in any order, with
   * or without the default port; every loopback spelling is one host), or, for a
   * {@code mongodb+srv://} name against a host list, a host inside the SRV name's parent domain,
   * where the SRV specification requires the deployment's hosts to be.
   */
  boolean sameDatabaseAs(MongoUri other) {
    if (!database.equalsIgnoreCase(other.database)) {
      return false;
    }
    if (srv() && other.srv()) {
      return normalizedHosts().equals(other.normalizedHosts());
    }
    if (srv() || other.srv()) {
      MongoUri byName = srv() ? this : other;
      MongoUri byHosts = srv() ? other : this;
      String name = hostName(byName.connection.getHosts().get(0));
      int dot = name.indexOf('.');
      String domain = dot < 0 ? name : name.substring(dot);
      return byHosts.connection.getHosts().stream().map(MongoUri::hostName).anyMatch(h -> h.endsWith(domain));
    }
    List<String> mine = endpoints();
    return other.endpoints().stream().anyMatch(mine::contains);
  }

  /** Each host as {@code name:port}, lower case, without a trailing dot, loopback spellings as one. */
  private List<String> endpoints() {
    return connection.getHosts().stream().map(h -> {
      String host = h.toLowerCase(Locale.ROOT);
      String port = "27017";
      int colon = host.startsWith("[") ? host.indexOf("]:") + 1 : (host.indexOf(':') == host.lastIndexOf(':') ? host.indexOf(':') : -1);
      if (colon > 0) {
        port = host.substring(colon + 1);
        host = host.substring(0, colon);
      }
      return hostName(host) + ":" + port;
    }).toList();
  }

  /** A host name without port, brackets or trailing dot, lower case; any loopback address is {@code localhost}. */
  private static String hostName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      h = h.substring(1, h.indexOf(']'));
    } else if (h.indexOf(':') > 0 && h.indexOf(':') == h.lastIndexOf(':')) {
      h = h.substring(0, h.indexOf(':'));
    }
    while (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
      return "localhost";
    }
    return h;
  }

  /**
   * Opens a client and pings the database, so that an unreachable deployment fails here, after at
   * most the server-selection timeout, with one line naming the host and why
   * ({@link MongoErrors#unreachable}); credentials come from the URI or the secrets, so a refused
   * login fails here too (as the driver's {@code MongoSecurityException}).
   */
  MongoClient connect(SecretResolver secrets, long serverSelectionTimeoutMs) {
    long timeout = serverSelectionTimeoutMs(serverSelectionTimeoutMs);
    MongoClient client = MongoClients.create(settings(secrets, serverSelectionTimeoutMs));
    try {
      client.getDatabase(database).runCommand(new BsonDocument("ping", new BsonInt32(1)));
      return client;
    } catch (MongoTimeoutException e) {
      ClusterDescription seen = client.getClusterDescription();
      client.close();
      throw MongoErrors.unreachable(this, seen, timeout, e);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** The wait for a server: the URI's {@code serverSelectionTimeoutMS} when given, else the setting. */
  long serverSelectionTimeoutMs(long setting) {
    Integer fromUri = connection.getServerSelectionTimeout();
    return fromUri != null && fromUri > 0 ? fromUri : setting;
  }

  /** The host names as given (the SRV name for {@code mongodb+srv://}), for messages. */
  List<String> hosts() {
    return connection.getHosts();
  }

  /** The client settings: the URI's, with credentials from the secrets when the URI has none. */
  MongoClientSettings settings(SecretResolver secrets, long serverSelectionTimeoutMs) {
    long timeout = serverSelectionTimeoutMs(serverSelectionTimeoutMs);
    MongoClientSettings.Builder b = MongoClientSettings.builder().applyConnectionString(connection)
        .applyToClusterSettings(c -> c.serverSelectionTimeout(timeout, TimeUnit.MILLISECONDS));
    MongoCredential credential = connection.getCredential();
    if (userWithoutPassword != null) {
      char[] pw = secrets.resolve(PASSWORD_SECRET).map(String::toCharArray).orElseThrow(() -> new LifeboatException(
          ErrorCode.CONFIGURATION, "The MongoDB URI " + this + " names user " + userWithoutPassword
              + " but no password. Put it in the URI or in the MONGODB_PASSWORD secret."));
      b.credential(MongoCredential.createCredential(userWithoutPassword, authSourceOption().orElse(database), pw));
    } else if (credential == null) {
      Optional<String> user = secrets.resolve(USERNAME_SECRET);
      if (user.isPresent()) {
        // As in the connection-string specification: authSource, else the URI's database.
        String source = authSourceOption().orElse(database);
        char[] pw = secrets.resolve(PASSWORD_SECRET).map(String::toCharArray).orElse(new char[0]);
        b.credential(MongoCredential.createCredential(user.get(), source, pw));
      }
    } else if (credential.getPassword() == null && credential.getUserName() != null) {
      Optional<String> pw = secrets.resolve(PASSWORD_SECRET);
      if (pw.isPresent()) {
        b.credential(withPassword(credential, pw.get().toCharArray()));
      }
    }
    return b.build();
  }

  private static MongoCredential withPassword(MongoCredential c, char[] pw) {
    com.mongodb.AuthenticationMechanism m = c.getAuthenticationMechanism();
    if (m == null) {
      return MongoCredential.createCredential(c.getUserName(), c.getSource(), pw);
    }
    return switch (m) {
      case SCRAM_SHA_1 -> MongoCredential.createScramSha1Credential(c.getUserName(), c.getSource(), pw);
      case SCRAM_SHA_256 -> MongoCredential.createScramSha256Credential(c.getUserName(), c.getSource(), pw);
      case PLAIN -> MongoCredential.createPlainCredential(c.getUserName(), c.getSource(), pw);
      default -> c;
    };
  }

  private Optional<String> authSourceOption() {
    String raw = location.raw();
    int q = raw.indexOf('?');
    if (q < 0) {
      return Optional.empty();
    }
    for (String part : raw.substring(q + 1).split("[&;]")) {
      if (part.regionMatches(true, 0, "authSource=", 0, 11)) {
        return Optional.of(java.net.URLDecoder.decode(part.substring(11), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  /** The redacted URI. */
  @Override
  public String toString() {
    return location.redacted();
  }
}
