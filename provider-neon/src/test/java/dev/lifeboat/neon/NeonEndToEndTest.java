package dev.lifeboat.neon;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Check;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.Json;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotKind;
import dev.lifeboat.Verification;
import dev.lifeboat.VerifyRequest;
import dev.lifeboat.Branch;
import dev.lifeboat.BranchRequest;
import dev.lifeboat.spi.Branching;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real data path: branches of the fake Neon project are databases on an embedded PostgreSQL,
 * and the Lifeboat facade drives the Neon, pgdump and file providers found on the class path.
 */
class NeonEndToEndTest extends NeonApiTest {
  private static final String P = "/api/v2/projects/" + PROJECT;
  private static NeonOnPostgres db;

  @TempDir Path tmp;

  @BeforeAll
  static void startPostgres() {
    db = new NeonOnPostgres();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    db.close();
  }

  @BeforeEach
  void backBranchesWithDatabases() {
    db.attach(fake);
  }

  private Lifeboat lifeboat() {
    return Lifeboat.builder().settings(settings()).secrets(secrets()).build();
  }

  /** A JDBC connection from a postgresql:// URI with user and password in it. */
  private static Connection jdbc(Location uri) throws java.sql.SQLException {
    java.net.URI u = uri.uri().orElseThrow();
    String[] user = u.getUserInfo().split(":", 2);
    return DriverManager.getConnection("jdbc:postgresql://" + u.getHost() + ":" + u.getPort() + u.getPath(), user[0], user[1]);
  }

  private static Map<String, Long> counts(Snapshot s) {
    return s.manifest().inventory().items().stream().filter(InventoryItem::counted)
        .collect(Collectors.toMap(InventoryItem::qualifiedName, InventoryItem::count));
  }

  @Test
  void backupBranchConnectVerifyDeleteThroughTheRealDataPath() throws Exception {
    Location file = Location.of(tmp.resolve("backups"));
    Location main = Location.parse("neon://" + PROJECT + "/main");
    Location project = Location.parse("neon://" + PROJECT);
    try (Lifeboat lifeboat = lifeboat()) {
      // 1. A logical backup of the branch into a file target: a real pg_dump of its direct host, no extra branch.
      Snapshot dump = lifeboat.backup(BackupRequest.builder(main, file).label("kind", "off-platform").build());
      assertThat(dump.manifest().kind()).isEqualTo(SnapshotKind.ARCHIVE);
      assertThat(dump.manifest().format()).isEqualTo("pg-custom");
      assertThat(dump.manifest().source().kind()).isEqualTo("neon");
      assertThat(dump.manifest().source().uri()).startsWith("neon://" + PROJECT + "/main");
      assertThat(dump.manifest().properties()).containsEntry("neon.branchId", "br-main-000001");
      assertThat(counts(dump)).containsExactlyInAnyOrderEntriesOf(NeonOnPostgres.SEEDED);
      assertThat(Json.write(dump.manifest()) + dump).doesNotContain(NeonOnPostgres.PASSWORD).doesNotContain(API_KEY);
      try (var files = Files.walk(tmp.resolve("backups"))) {
        for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".json"))::iterator) {
          assertThat(Files.readString(f)).doesNotContain(NeonOnPostgres.PASSWORD);
        }
      }
      assertThat(fake.names()).containsExactly("main");
      server.verify(0, postRequestedFor(urlPathEqualTo(P + "/branches")));

      // 2. A native snapshot: a backup branch of main, made by Neon (here: a template copy), no dump.
      Snapshot branch = lifeboat.backup(BackupRequest.builder(main, project).label("reason", "pre-migration").build());
      assertThat(branch.manifest().kind()).isEqualTo(SnapshotKind.BRANCH);
      assertThat(branch.id()).startsWith("backup-");
      assertThat(lifeboat.list(project)).extracting(Snapshot::id).containsExactly(branch.id());

      // 3. The source moves on; the snapshot keeps the old state.
      db.sql(NeonOnPostgres.database("br-main-000001"), "DELETE FROM shop.orders WHERE id > 2");

      // 4. Restore the branch snapshot into a new branch and verify it: exists, ready, from the snapshot, connectable.
      Location restored = Location.parse("neon://" + PROJECT + "/restore-check");
      RestoreResult r = lifeboat.restore(RestoreRequest.builder(project, branch.id(), restored).verify().build());
      assertThat(r.verified()).hasValueSatisfying(v -> {
        assertThat(v.passed()).as(v.toString()).isTrue();
        assertThat(v.checks()).extracting(Check::name).contains("branch exists", "branch restored from snapshot", "accepts connections");
      });
      String restoredId = fake.byName("restore-check").path("id").asText();
      assertThat(db.count(NeonOnPostgres.database(restoredId), "shop.orders")).isEqualTo(5);
      assertThat(db.count(NeonOnPostgres.database("br-main-000001"), "shop.orders")).isEqualTo(2);

      // 5. Restore the logical dump into a throwaway branch, verify counts with the PostgreSQL verifier, delete it.
      try (Branching branching = lifeboat.branching("neon://" + PROJECT)) {
        Branch drill = branching.create(new BranchRequest("drill", "main", null, null));
        try {
          Location uri = branching.connect(drill);
          assertThat(uri.toString()).doesNotContain(NeonOnPostgres.PASSWORD);
          try (Connection c = jdbc(uri); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA shop CASCADE");
          }
          RestoreResult logical = lifeboat.restore(RestoreRequest.builder(file, dump.id(), Location.parse("neon://" + PROJECT + "/drill"))
              .verify().build());
          assertThat(logical.verified()).hasValueSatisfying(v -> assertThat(v.passed()).as(v.toString()).isTrue());
          assertThat(logical.destination()).isEqualTo("neon://" + PROJECT + "/drill");
          assertThat(db.count(NeonOnPostgres.database(drill.id()), "shop.orders")).isEqualTo(5);
          try (Connection c = jdbc(uri); Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT sum(total) FROM shop.orders")) {
            rs.next();
            assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("125.75");
          }
        } finally {
          branching.delete("drill");
        }
        assertThat(branching.get("drill")).isEmpty();
        assertThat(db.databases()).doesNotContain(NeonOnPostgres.database(drill.id()));
      }

      // 6. Delete the backup branch once its restore-check child is gone.
      try (Branching branching = lifeboat.branching("neon://" + PROJECT)) {
        branching.delete("restore-check");
      }
      lifeboat.delete("neon://" + PROJECT, branch.id());
      assertThat(lifeboat.list(project)).isEmpty();
      assertThat(fake.names()).containsExactly("main");
    }
  }

  @Test
  void aLogicalRestoreIntoTheDefaultBranchNeedsItsNameAsConfirmation() {
    Location file = Location.of(tmp.resolve("backups"));
    Location main = Location.parse("neon://" + PROJECT + "/main");
    try (Lifeboat lifeboat = lifeboat()) {
      Snapshot dump = lifeboat.backup(BackupRequest.builder(main, file).build());
      assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder(file, dump.id(), main)
          .options(RestoreOptions.builder().replace(true).build()).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION);
            assertThat(e.getMessage()).contains("--confirm main");
          });
      db.sql(NeonOnPostgres.database("br-main-000001"), "DELETE FROM shop.orders");
      RestoreResult r = lifeboat.restore(RestoreRequest.builder(file, dump.id(), main)
          .options(RestoreOptions.builder().replace(true).confirm("main").build()).verify().build());
      assertThat(r.verified()).hasValueSatisfying(v -> assertThat(v.passed()).as(v.toString()).isTrue());
      assertThat(db.count(NeonOnPostgres.database("br-main-000001"), "shop.orders")).isEqualTo(5);
    }
  }

  /** A branch that is neither the default nor protected, holding the seed data. */
  private static Location seededBranch(String name) {
    String id = "br-" + name + "-000001";
    fake.branch(id, name, "br-main-000001", fake.now);
    fake.addEndpoint(id);
    db.sql("postgres", "CREATE DATABASE " + NeonOnPostgres.database(id) + " TEMPLATE seed");
    return Location.parse("neon://" + PROJECT + "/" + name);
  }

  @Test
  void aDumpRestoredOntoItsOwnBranchNeedsTheBranchsNameHoweverTheBranchIsSpelled() {
    Location file = Location.of(tmp.resolve("backups"));
    Location feature = seededBranch("feature");
    try (Lifeboat lifeboat = lifeboat()) {
      Snapshot dump = lifeboat.backup(BackupRequest.builder(feature, file).build());
      assertThat(dump.manifest().source().uri()).isEqualTo("neon://" + PROJECT + "/feature?database=neondb");
      assertThat(dump.manifest().properties()).containsEntry("neon.projectId", PROJECT)
          .containsEntry("neon.branchId", "br-feature-000001").containsEntry("neon.branch", "feature");
      String database = NeonOnPostgres.database("br-feature-000001");
      for (String spelled : java.util.List.of("feature", "br-feature-000001")) {
        for (String confirm : java.util.List.of("", database)) {
          RestoreOptions.Builder options = RestoreOptions.builder().replace(true);
          if (!confirm.isEmpty()) {
            options.confirm(confirm);
          }
          assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder(file, dump.id(), Location.parse("neon://" + PROJECT + "/" + spelled))
              .options(options.build()).build()))
              .as("restoring onto %s confirmed with '%s'", spelled, confirm)
              .isInstanceOfSatisfying(LifeboatException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION);
                assertThat(e.getMessage()).contains("--confirm feature");
              });
        }
      }
      db.sql(database, "DELETE FROM shop.orders");
      RestoreResult r = lifeboat.restore(RestoreRequest.builder(file, dump.id(), Location.parse("neon://" + PROJECT + "/br-feature-000001"))
          .options(RestoreOptions.builder().replace(true).confirm("feature").build()).build());
      assertThat(r.details()).containsEntry("neon.projectId", PROJECT).containsEntry("neon.branchId", "br-feature-000001");
      assertThat(db.count(database, "shop.orders")).isEqualTo(5);
    }
  }

  @Test
  void aDumpCannotGoIntoAProjectOnlyIntoOneOfItsBranches() {
    Location file = Location.of(tmp.resolve("backups"));
    try (Lifeboat lifeboat = lifeboat()) {
      Snapshot dump = lifeboat.backup(BackupRequest.builder(Location.parse("neon://" + PROJECT + "/main"), file).build());
      assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder(file, dump.id(), Location.parse("neon://" + PROJECT)).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
            assertThat(e.getMessage()).contains("needs a branch: neon://" + PROJECT + "/BRANCH");
          });
    }
  }

  @Test
  void aBranchSnapshotVerifiedAgainstABranchNotMadeFromItFailsAndTheExpectationsRunOnThatBranch() {
    Location main = Location.parse("neon://" + PROJECT + "/main");
    Location project = Location.parse("neon://" + PROJECT);
    Location other = seededBranch("other");
    try (Lifeboat lifeboat = lifeboat()) {
      Snapshot branch = lifeboat.backup(BackupRequest.builder(main, project).build());
      Verification v = lifeboat.verify(VerifyRequest.builder(project, branch.id()).destination(other)
          .expect(Expectation.queryIsTrue("five orders", "SELECT count(*) = 5 FROM shop.orders"))
          .expect(Expectation.queryIsTrue("no orders", "SELECT count(*) = 0 FROM shop.orders"))
          .build());
      assertThat(v.passed()).isFalse();
      assertThat(v.subject()).isEqualTo("neon://" + PROJECT + "/other");
      Map<String, Check.Status> statuses = v.checks().stream().collect(Collectors.toMap(Check::name, Check::status));
      assertThat(statuses).containsEntry("branch exists", Check.Status.PASSED)
          .containsEntry("branch restored from snapshot", Check.Status.FAILED)
          .containsEntry("accepts connections", Check.Status.PASSED)
          .containsEntry("query five orders", Check.Status.PASSED)
          .containsEntry("query no orders", Check.Status.FAILED);
    }
  }

  @Test
  void inPlaceRestoreOfABranchSnapshotKeepsThePreviousStateUnderAName() {
    Location main = Location.parse("neon://" + PROJECT + "/main");
    Location project = Location.parse("neon://" + PROJECT);
    try (Lifeboat lifeboat = lifeboat()) {
      Snapshot branch = lifeboat.backup(BackupRequest.builder(main, project).build());
      db.sql(NeonOnPostgres.database("br-main-000001"), "DELETE FROM shop.orders WHERE id > 1");
      RestoreResult r = lifeboat.restore(RestoreRequest.builder(project, branch.id(), main)
          .options(RestoreOptions.builder().confirm("main").extra("preserveUnderName", "main-before-undo").build()).build());
      assertThat(r.details()).containsEntry("preservedAs", "main-before-undo");
      assertThat(db.count(NeonOnPostgres.database("br-main-000001"), "shop.orders")).isEqualTo(5);
      String kept = fake.byName("main-before-undo").path("id").asText();
      assertThat(db.count(NeonOnPostgres.database(kept), "shop.orders")).isEqualTo(1);
    }
  }
}
