package dev.lifeboat.neon;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.spi.SecretResolver;
import dev.lifeboat.tck.BackupSourceContract;
import dev.lifeboat.tck.BranchingContract;
import dev.lifeboat.tck.RestoreVerifierContract;
import dev.lifeboat.tck.RestorerContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The TCK's contracts for the Neon provider: {@code neon://P/main} as a backup source,
 * {@code neon://P/BRANCH} as a restore and verification destination, and {@code neon://P} as a
 * branching platform. The Neon API is the
 * {@link FakeNeon} behind WireMock; each branch is a database on one embedded PostgreSQL. Every
 * exchange with WireMock is checked against Neon's OpenAPI document after the contracts ran.
 *
 * <p>{@code neon://P} as a branching platform runs the {@code BranchingContract}. The
 * archive-oriented {@code SnapshotTargetContract} does not apply to {@code neon://P}: see
 * {@link NeonBranchTargetContractTest}.
 */
class NeonContractsTest {
  static final String PROJECT = NeonApiTest.PROJECT;
  static WireMockServer server;
  static FakeNeon fake;
  static NeonOnPostgres db;
  static final AtomicInteger fresh = new AtomicInteger();

  @BeforeAll
  static void start() {
    db = new NeonOnPostgres();
    fake = new FakeNeon(PROJECT);
    server = new WireMockServer(options().dynamicPort().extensions(fake));
    server.start();
    server.stubFor(any(urlPathMatching("/api/v2/.*")).atPriority(10).willReturn(aResponse().withTransformers(FakeNeon.NAME)));
    fake.reset();
    fake.operationPolls = 0;
    db.attach(fake);
    // A branch whose compute is unreachable: its URI points at a closed port.
    fake.branch("br-unreachable-000001", "unreachable", "br-main-000001", fake.now);
    fake.addEndpoint("br-unreachable-000001");
    FakeNeon.ConnectionUris real = fake.uris;
    fake.uris = (branchId, database, role) -> branchId.equals("br-unreachable-000001")
        ? "postgresql://" + role + ":" + NeonOnPostgres.PASSWORD + "@localhost:1/" + database
        : real.uri(branchId, database, role);
    // A branch that holds data and is neither the source nor the default.
    fake.branch("br-busy-000001", "busy", "br-main-000001", fake.now);
    fake.addEndpoint("br-busy-000001");
    db.sql("postgres", "CREATE DATABASE " + NeonOnPostgres.database("br-busy-000001") + " TEMPLATE seed");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      assertThat(NeonSpecCheck.problems(server)).as("requests and answers that do not conform to neon-api-v2.json").isEmpty();
    } finally {
      server.stop();
      db.close();
    }
  }

  static Map<String, String> neonSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("neon.apiUrl", server.baseUrl() + FakeNeon.BASE);
    s.put("neon.operationPollInterval", "10ms");
    s.put("neon.retry.initialBackoff", "5ms");
    return s;
  }

  static SecretResolver neonSecrets() {
    return name -> name.equals("NEON_API_KEY") ? Optional.of(NeonApiTest.API_KEY) : Optional.empty();
  }

  /** A new branch with a compute and an empty database. */
  static Location freshBranch() {
    String id = String.format("br-fresh-%06d", fresh.incrementAndGet());
    fake.branch(id, "fresh-" + fresh.get(), "br-main-000001", fake.now);
    fake.addEndpoint(id);
    db.sql("postgres", "CREATE DATABASE " + NeonOnPostgres.database(id));
    return Location.parse("neon://" + PROJECT + "/fresh-" + fresh.get());
  }

  static String physical(Location neon) {
    NeonLocation l = NeonLocation.parse(neon);
    return NeonOnPostgres.database(fake.byName(l.branch()).path("id").asText());
  }

  /** Row counts of every user table of the branch's database, read over JDBC. */
  static Map<String, Long> count(Location neon) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (!db.databases().contains(physical(neon))) {
      return out;
    }
    try (Connection c = db.connect(physical(neon)); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT schemaname, relname FROM pg_stat_user_tables ORDER BY 1, 2")) {
      java.util.List<String> tables = new java.util.ArrayList<>();
      while (rs.next()) {
        tables.add(rs.getString(1) + "." + rs.getString(2));
      }
      for (String t : tables) {
        out.put(t, db.count(physical(neon), t));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  static Location main() {
    return Location.parse("neon://" + PROJECT + "/main");
  }

  @Nested
  class Source extends BackupSourceContract {
    @Override protected Location sourceLocation() { return main(); }
    @Override protected Map<String, Long> expectedCounts() { return NeonOnPostgres.SEEDED; }
    @Override protected String expectedKind() { return "neon"; }
    @Override protected Location unreachableSource() { return Location.parse("neon://" + PROJECT + "/unreachable"); }
    @Override protected Map<String, String> settings() { return neonSettings(); }
    @Override protected SecretResolver secrets() { return neonSecrets(); }
  }

  @Nested
  class Restore extends RestorerContract {
    @Override protected Location sourceLocation() { return main(); }
    @Override protected Location freshDestination() { return freshBranch(); }
    @Override protected Location nonEmptyDestination() { return Location.parse("neon://" + PROJECT + "/busy"); }
    @Override protected Map<String, Long> countRecords(Location destination) { return count(destination); }
    @Override protected Map<String, String> settings() { return neonSettings(); }
    @Override protected SecretResolver secrets() { return neonSecrets(); }

    /** A Neon branch is confirmed by its branch name, not by the database name behind it. */
    @Override protected String confirmationFor(Location source, Manifest manifest) {
      return NeonLocation.parse(source).branch();
    }
  }

  @Nested
  class Verify extends RestoreVerifierContract {
    @Override protected Location sourceLocation() { return main(); }
    @Override protected Location freshDestination() { return freshBranch(); }
    @Override protected Map<String, String> settings() { return neonSettings(); }
    @Override protected SecretResolver secrets() { return neonSecrets(); }

    @Override protected void removeOneRecord(Location destination, InventoryItem item) {
      db.sql(physical(destination), "DELETE FROM " + item.qualifiedName() + " WHERE ctid = (SELECT ctid FROM " + item.qualifiedName() + " LIMIT 1)");
    }

    /** Customers are referenced by orders; an order can go on its own. */
    @Override protected InventoryItem itemToTamperWith(Manifest manifest) {
      return manifest.inventory().find("shop.orders").orElseThrow();
    }
  }

  @Nested
  class Branches extends BranchingContract {
    @Override protected String platformLocation() { return "neon://" + PROJECT; }
    @Override protected String protectedBranch() { return "main"; }
    @Override protected Map<String, String> settings() { return neonSettings(); }
    @Override protected SecretResolver secrets() { return neonSecrets(); }

    /** The branch's URI reaches its own database, a copy of the default branch's. */
    @Override protected void assertConnectable(Location connection) throws SQLException {
      java.net.URI uri = connection.uri().orElseThrow();
      String[] user = uri.getUserInfo().split(":", 2);
      try (Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
          user[0], user[1])) {
        assertThat(c.getCatalog()).isNotEqualTo(NeonOnPostgres.database("br-main-000001"));
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM shop.customers")) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(NeonOnPostgres.SEEDED.get("shop.customers"));
        }
      }
    }
  }
}
