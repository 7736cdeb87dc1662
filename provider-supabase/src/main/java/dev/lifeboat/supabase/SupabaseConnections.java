package dev.lifeboat.supabase;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Progress;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.spi.ProviderContext;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds how to reach a project's database, as the Supabase CLI does: {@code SUPABASE_DB_URL} when
 * set (a local stack, a proxy); else the direct host {@code db.REF.supabase.co:5432} as
 * {@code postgres} when it has an IPv4 address that answers; else the session pooler the
 * Management API names, as {@code postgres.REF}. The password is {@code SUPABASE_DB_PASSWORD}
 * (registered as a secret). Which one was used is reported as a {@code notice} and recorded.
 */
final class SupabaseConnections {
  private static final Logger LOG = LoggerFactory.getLogger(SupabaseConnections.class);
  /** The session pooler's port: the transaction port (6543) cannot hold pg_dump's snapshot. */
  static final int SESSION_POOLER_PORT = 5432;

  /**
   * A resolved connection.
   *
   * @param location where to connect, password included (never print it, use {@code toString()})
   * @param uri the same as a location for the PostgreSQL provider, password included
   * @param how which way was chosen, for messages and the manifest, without secrets
   */
  record Resolved(PgLocation location, Location uri, String how) {}

  private final ProviderContext context;
  private final SupabaseSettings settings;
  private final Supplier<SupabaseApi> api;

  SupabaseConnections(ProviderContext context, SupabaseSettings settings, Supplier<SupabaseApi> api) {
    this.context = context;
    this.settings = settings;
    this.api = api;
  }

  Resolved resolve(String ref) {
    Optional<String> override = settings.dbUrl();
    Resolved r;
    if (override.isPresent()) {
      String uri = withPassword(override.get(), settings.dbPassword());
      Location loc = Location.parse(uri);
      if (!PgLocation.accepts(loc)) {
        throw new LifeboatException(ErrorCode.CONFIGURATION, "SUPABASE_DB_URL is not a postgresql:// URI ("
            + loc + "). Set it to the project's connection string, e.g. postgresql://postgres:PASSWORD@host:5432/postgres.");
      }
      PgLocation pg = PgLocation.parse(loc, context.secrets()).requireOneServer();
      r = new Resolved(pg, loc, "SUPABASE_DB_URL (" + pg.host() + ":" + pg.port() + ")");
    } else {
      String password = settings.dbPassword().orElseThrow(() -> new LifeboatException(ErrorCode.CONFIGURATION,
          "No database password for supabase://" + ref + ". Set SUPABASE_DB_PASSWORD to the project's database password"
              + " (Project Settings > Database), or SUPABASE_DB_URL to a full connection string."));
      String direct = "db." + ref + ".supabase.co";
      if (reachableOverIpv4(direct, 5432)) {
        r = resolved("postgres", password, direct, 5432, "postgres", "the direct host " + direct + ":5432");
      } else {
        SupabaseApi.Pooler pooler = sessionPooler(ref);
        r = resolved(pooler.user(), password, pooler.host(), pooler.port(), pooler.database(),
            "the session pooler " + pooler.host() + ":" + pooler.port() + " (" + direct + " has no reachable IPv4 address)");
      }
    }
    LOG.info("supabase://{}: connecting through {}", ref, r.how());
    context.progress().onProgress(new Progress("notice", 0, -1, "supabase://" + ref + ": connecting through " + r.how()));
    return r;
  }

  private SupabaseApi.Pooler sessionPooler(String ref) {
    List<SupabaseApi.Pooler> all = api.get().poolers(ref);
    SupabaseApi.Pooler p = all.stream().filter(x -> x.databaseType().equals("PRIMARY")).findFirst()
        .or(() -> all.stream().findFirst())
        .orElseThrow(() -> new LifeboatException(ErrorCode.CONNECTION, "db." + ref + ".supabase.co has no reachable IPv4"
            + " address and the project has no pooler configured. Enable the IPv4 add-on, or set SUPABASE_DB_URL."));
    int port = p.poolMode().equals("session") && p.port() > 0 ? p.port() : SESSION_POOLER_PORT;
    String user = p.user().isBlank() ? "postgres." + ref : p.user();
    return new SupabaseApi.Pooler(p.databaseType(), p.host(), port, user, p.database().isBlank() ? "postgres" : p.database(), "session");
  }

  private boolean reachableOverIpv4(String host, int port) {
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      return false;
    }
    Optional<InetAddress> v4 = Arrays.stream(all).filter(a -> a instanceof Inet4Address).findFirst();
    if (v4.isEmpty()) {
      return false;
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(v4.get(), port), (int) settings.connectTimeout.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Resolved resolved(String user, String password, String host, int port, String database, String how) {
    Location uri = Location.parse("postgresql://" + enc(user) + ":" + enc(password) + "@" + host + ":" + port + "/" + enc(database)
        + "?sslmode=" + settings.sslMode);
    return new Resolved(PgLocation.parse(uri, context.secrets()).requireOneServer(), uri, how);
  }

  /** {@code uri} with {@code password} added when it carries none. */
  static String withPassword(String uri, Optional<String> password) {
    int scheme = uri.indexOf("://");
    if (scheme < 0 || password.isEmpty()) {
      return uri;
    }
    int start = scheme + 3;
    int slash = uri.indexOf('/', start);
    int at = uri.lastIndexOf('@', slash < 0 ? uri.length() : slash);
    if (at < start) {
      return uri.substring(0, start) + "postgres:" + enc(password.get()) + "@" + uri.substring(start);
    }
    String userInfo = uri.substring(start, at);
    if (userInfo.contains(":")) {
      return uri;
    }
    return uri.substring(0, start) + userInfo + ":" + enc(password.get()) + uri.substring(at);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
