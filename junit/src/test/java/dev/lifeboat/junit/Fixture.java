package dev.lifeboat.junit;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Snapshot;
import dev.lifeboat.crypto.KeyPairFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The real parts the tests share: one embedded PostgreSQL for the test JVM holding the source
 * database {@code shop} ({@value #ORDERS} orders), and a snapshot store with one backup of it made
 * by {@link Lifeboat#backup}. The sample classes find both through the system properties
 * {@value #TARGET_PROPERTY} and {@value #SERVER_PROPERTY}, which also exercises placeholders.
 */
public final class Fixture {
  public static final int ORDERS = 50;
  public static final String SOURCE = "shop";
  public static final String TARGET_PROPERTY = "lifeboat.sample.target";
  public static final String SERVER_PROPERTY = "lifeboat.sample.server";
  public static final String ENCRYPTED_TARGET_PROPERTY = "lifeboat.sample.encryptedTarget";
  public static final String PRIVATE_KEY_PROPERTY = "lifeboat.sample.privateKey";
  private static EmbeddedPostgres pg;
  private static Path store;
  private static Snapshot snapshot;

  private Fixture() {}

  /** Starts the server, seeds {@code shop}, backs it up once, and sets the samples' properties. */
  public static synchronized Snapshot snapshot() {
    if (snapshot == null) {
      try {
        pg = EmbeddedPostgres.builder().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            pg.close();
          } catch (IOException e) {
            // The JVM is exiting; zonky removes its data folder on its own.
          }
        }, "fixture-postgres-stop"));
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE " + SOURCE);
        }
        try (Connection c = pg.getDatabase("postgres", SOURCE).getConnection(); Statement s = c.createStatement()) {
          s.execute("CREATE TABLE orders (id int PRIMARY KEY, total numeric(10,2) NOT NULL)");
          s.execute("INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, " + ORDERS + ") g");
        }
        store = Files.createTempDirectory("lifeboat-junit-store");
        Path encrypted = Files.createTempDirectory("lifeboat-junit-encrypted");
        KeyPairFiles.Written keys = KeyPairFiles.generate(Files.createTempDirectory("lifeboat-junit-keys").resolve("keys"), null);
        try (Lifeboat lifeboat = Lifeboat.builder().build()) {
          snapshot = lifeboat.backup(BackupRequest.builder(uri(SOURCE), target()).build());
          lifeboat.backup(BackupRequest.builder(uri(SOURCE), "file:" + encrypted)
              .encryptTo(KeyPairFiles.readPublic(keys.publicFile())).build());
        }
        System.setProperty(ENCRYPTED_TARGET_PROPERTY, "file:" + encrypted);
        System.setProperty(PRIVATE_KEY_PROPERTY, keys.privateFile().toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      System.setProperty(TARGET_PROPERTY, target());
      System.setProperty(SERVER_PROPERTY, uri("postgres"));
    }
    return snapshot;
  }

  /** The snapshot store, as a location. */
  public static String target() {
    return "file:" + store;
  }

  /** A location of {@code database} on the fixture's server. */
  public static String uri(String database) {
    return "postgresql://postgres@localhost:" + pg.getPort() + "/" + database;
  }

  public static int port() {
    return pg.getPort();
  }

  /** A connection to {@code database} on the fixture's server. */
  public static Connection connect(String database) throws SQLException {
    return pg.getDatabase("postgres", database).getConnection();
  }

  /** The databases on the fixture's server whose names start with {@code lifeboat_}. */
  public static List<String> lifeboatDatabases() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect("postgres");
        PreparedStatement ps = c.prepareStatement("SELECT datname FROM pg_database WHERE datname LIKE 'lifeboat\\_%' ORDER BY 1");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** The copies on the fixture's server: databases whose names start with {@code lifeboat_t_}. */
  public static List<String> copies() throws SQLException {
    List<String> out = new ArrayList<>(lifeboatDatabases());
    out.removeIf(n -> !n.startsWith("lifeboat_t_"));
    return out;
  }

  /** Drops a template if it exists, as the README tells users to. */
  public static void dropTemplate(String name) throws SQLException {
    try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
      if (lifeboatDatabases().contains(name)) {
        s.execute("ALTER DATABASE " + name + " WITH IS_TEMPLATE false");
        s.execute("DROP DATABASE " + name);
      }
    }
  }

  /** The number of orders in a database reached through {@code c}. */
  public static int orders(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** The name of the database {@code c} is connected to. */
  public static String database(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
