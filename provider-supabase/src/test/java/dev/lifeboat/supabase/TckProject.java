package dev.lifeboat.supabase;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lifeboat.Location;
import dev.lifeboat.postgres.PgCatalog;
import dev.lifeboat.postgres.Sql;
import dev.lifeboat.spi.SecretResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the TCK contract classes share: one embedded PostgreSQL shaped like a Supabase project,
 * reached the way a real project is when its direct host has no IPv4 address — through the
 * session pooler the (stubbed) Management API names — and a second ref whose pooler is a closed
 * port. Fresh destinations are databases on a second, plain cluster.
 */
final class TckProject {
  static final String REF = "tckprojectrefabcdefg";
  static final String UNREACHABLE_REF = "tckunreachableabcdef";
  static final String PASSWORD = "tck-Supabase-Pw-91";
  static final String TOKEN = "sbp_fedcba9876543210fedcba9876543210fedcba98";
  private static EmbeddedPostgres project;
  private static EmbeddedPostgres plain;
  private static WireMockServer api;
  private static final AtomicInteger DESTINATIONS = new AtomicInteger();

  private TckProject() {}

  static synchronized void start() {
    if (project != null) {
      return;
    }
    try {
      project = EmbeddedPostgres.builder().start();
      plain = EmbeddedPostgres.builder().start();
      String sql;
      try (InputStream in = TckProject.class.getResourceAsStream("/supabase-project.sql")) {
        sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      try (Connection c = project.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
        st.execute(sql);
        st.execute("CREATE ROLE \"postgres." + REF + "\" LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
      }
      int closed;
      try (ServerSocket s = new ServerSocket(0)) {
        closed = s.getLocalPort();
      }
      api = new WireMockServer(options().dynamicPort());
      api.start();
      api.stubFor(get(urlPathEqualTo("/v1/projects/" + REF + "/config/database/pooler")).willReturn(okJson(pooler(REF, project.getPort()))));
      api.stubFor(get(urlPathEqualTo("/v1/projects/" + UNREACHABLE_REF + "/config/database/pooler"))
          .willReturn(okJson(pooler(UNREACHABLE_REF, closed))));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        api.stop();
        try {
          project.close();
          plain.close();
        } catch (IOException ignored) {
          // The JVM is exiting.
        }
      }));
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("The TCK's Supabase-shaped servers did not start", e);
    }
  }

  private static String pooler(String ref, int port) {
    String conn = "postgresql://postgres." + ref + ":[YOUR-PASSWORD]@localhost:" + port + "/postgres";
    return "[{\"identifier\":\"" + ref + "\",\"database_type\":\"PRIMARY\",\"is_using_scram_auth\":true,\"db_user\":\"postgres." + ref
        + "\",\"db_host\":\"localhost\",\"db_port\":" + port + ",\"db_name\":\"postgres\",\"connection_string\":\"" + conn
        + "\",\"connectionString\":\"" + conn + "\",\"default_pool_size\":null,\"max_client_conn\":null,\"pool_mode\":\"session\"}]";
  }

  static Location source() {
    start();
    return Location.parse("supabase://" + REF);
  }

  static Map<String, String> settings() {
    return Map.of("supabase.sslMode", "disable", "supabase.connectTimeout", "200ms");
  }

  static SecretResolver secrets() {
    start();
    Map<String, String> s = Map.of("SUPABASE_ACCESS_TOKEN", TOKEN, "SUPABASE_API_URL", api.baseUrl(), "SUPABASE_DB_PASSWORD", PASSWORD);
    return name -> Optional.ofNullable(s.get(name));
  }

  static Location freshDestination(String prefix) {
    start();
    return Location.parse("postgresql://postgres@localhost:" + plain.getPort() + "/" + prefix + "_" + DESTINATIONS.incrementAndGet());
  }

  static Location nonEmptyDestination() {
    start();
    if (!exists("tck_busy")) {
      exec(plain, "postgres", "CREATE DATABASE tck_busy");
      exec(plain, "tck_busy", "CREATE TABLE kept (x int); INSERT INTO kept VALUES (1)");
    }
    return Location.parse("postgresql://postgres@localhost:" + plain.getPort() + "/tck_busy");
  }

  /** Exact counts of every table of a destination (or of the project itself), empty when the database does not exist. */
  static Map<String, Long> countRecords(Location destination) {
    start();
    EmbeddedPostgres server = destination.scheme().equals("supabase") ? project : plain;
    String db = destination.scheme().equals("supabase") ? "postgres" : destination.raw().substring(destination.raw().lastIndexOf('/') + 1);
    Map<String, Long> out = new TreeMap<>();
    if (server == plain && !exists(db)) {
      return out;
    }
    try (Connection c = server.getDatabase("postgres", db).getConnection(); Statement st = c.createStatement()) {
      for (PgCatalog.Relation r : PgCatalog.relations(c)) {
        if (r.counted()) {
          try (ResultSet rs = st.executeQuery("SELECT count(*) FROM ONLY " + r.sql())) {
            rs.next();
            out.put(r.qualifiedName(), rs.getLong(1));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  static void exec(Location destination, String sql) {
    String db = destination.raw().substring(destination.raw().lastIndexOf('/') + 1);
    exec(plain, db, sql);
  }

  private static boolean exists(String db) {
    try (Connection c = plain.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname = " + Sql.literal(db))) {
      rs.next();
      return rs.getLong(1) == 1;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void exec(EmbeddedPostgres server, String db, String sql) {
    try (Connection c = server.getDatabase("postgres", db).getConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException(e.getMessage() + " in: " + sql, e));
    }
  }
}
