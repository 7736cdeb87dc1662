package dev.lifeboat.mongo;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.util.Locale;
import java.util.Set;

/**
 * The options a {@code mongodb://} URI may carry: those the bundled Java driver honours. The driver
 * only logs a warning for any other option and goes on without it, and Lifeboat keeps driver logs
 * quiet, so a misspelt {@code tsl=true} would silently connect without TLS. An option outside this
 * list is refused instead, before any connection.
 */
final class MongoUriOptions {
  /** The driver's option names (lower case), as its {@code ConnectionString} reads them. */
  private static final Set<String> KNOWN = Set.of(
      "appname", "authmechanism", "authmechanismproperties", "authsource", "compressors", "connecttimeoutms",
      "directconnection", "gssapiservicename", "heartbeatfrequencyms", "journal", "loadbalanced", "localthresholdms",
      "maxconnecting", "maxidletimems", "maxlifetimems", "maxpoolsize", "maxstalenessseconds", "minpoolsize",
      "proxyhost", "proxypassword", "proxyport", "proxyusername", "readconcernlevel", "readpreference",
      "readpreferencetags", "replicaset", "retryreads", "retrywrites", "safe", "serverselectiontimeoutms",
      "servermonitoringmode", "sockettimeoutms", "srvmaxhosts", "srvservicename", "ssl", "sslinvalidhostnameallowed",
      "timeoutms", "tls", "tlsallowinvalidhostnames", "tlsinsecure", "uuidrepresentation", "w", "waitqueuetimeoutms",
      "wtimeoutms", "zlibcompressionlevel");

  /** Options other drivers read from files; the Java driver takes certificates from the JVM instead. */
  private static final Set<String> TLS_FILES = Set.of(
      "tlscafile", "tlscertificatekeyfile", "tlscertificatekeyfilepassword", "tlsallowinvalidcertificates",
      "tlsdisableocspendpointcheck", "tlsdisablecertificaterevocationcheck", "ssl_ca_certs", "sslcertificateauthorityfile",
      "sslpemkeyfile", "sslpemkeypassword");

  private MongoUriOptions() {}

  /**
   * Refuses a URI with an option the driver would ignore. {@code uri} is the URI as given and
   * {@code shown} its redacted form for the message.
   */
  static void check(String uri, String shown) {
    // As the driver reads it: options follow the first '?' after the path's '/', so a '?' in the
    // user information (part of a password) is never taken for one, nor shown.
    int hosts = uri.indexOf("://");
    int slash = hosts < 0 ? -1 : uri.indexOf('/', hosts + 3);
    int q = slash < 0 ? -1 : uri.indexOf('?', slash);
    if (q < 0) {
      return;
    }
    for (String part : uri.substring(q + 1).split("[&;]")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String key = name.toLowerCase(Locale.ROOT);
      if (KNOWN.contains(key)) {
        continue;
      }
      if (TLS_FILES.contains(key)) {
        throw new LifeboatException(ErrorCode.CONFIGURATION, "The MongoDB URI " + shown + " has the option " + name
            + ", which the Java driver does not read: remove it and give certificates to the JVM "
            + "(JAVA_OPTS=\"-Djavax.net.ssl.trustStore=… -Djavax.net.ssl.keyStore=…\").");
      }
      throw new LifeboatException(ErrorCode.CONFIGURATION, "The MongoDB URI " + shown + " has an unknown option '"
          + name + "'. Check its spelling (e.g. tls=true, authSource=admin, replicaSet=rs0) or remove it.");
    }
  }
}
