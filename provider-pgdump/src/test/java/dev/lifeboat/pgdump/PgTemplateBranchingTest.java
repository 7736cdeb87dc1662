package dev.lifeboat.pgdump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Branch;
import dev.lifeboat.BranchRequest;
import dev.lifeboat.postgres.PgConnections;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.spi.Branching;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Branches as template copies on a local server: create, list, connect, delete, and what is refused. */
class PgTemplateBranchingTest {
  static TestPg pg;
  static Lifeboat lifeboat;

  @BeforeAll
  static void start() {
    pg = TestPg.start();
    pg.createDatabase("app");
    pg.exec("app", "CREATE TABLE \"Kunden\" (id int PRIMARY KEY, name text); INSERT INTO \"Kunden\" SELECT g, 'k' || g FROM generate_series(1, 12) g");
    lifeboat = TestPg.lifeboat(Map.of());
  }

  @AfterAll
  static void stop() {
    lifeboat.close();
    pg.close();
  }

  @Test
  void createListConnectDelete() throws Exception {
    Instant expires = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    try (Branching b = lifeboat.branching(pg.uri("app"))) {
      Branch branch = b.create(new BranchRequest("feature 1 ü", null, null, expires));
      assertThat(branch.name()).isEqualTo("lifeboat_feature 1 ü");
      assertThat(branch.parentId()).isEqualTo("app");
      assertThat(branch.expiresAt()).isEqualTo(expires);
      assertThat(branch.createdAt()).isNotNull();
      assertThat(branch.isDefault()).isFalse();

      Location url = b.connect(branch);
      PgLocation info = PgLocation.parse(url);
      assertThat(info.database()).isEqualTo("lifeboat_feature 1 ü");
      try (Connection c = PgConnections.open(info); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM \"Kunden\"")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(12);
      }

      Branch nested = b.create(new BranchRequest("lifeboat_nested", branch.name(), null, null));
      assertThat(nested.parentId()).isEqualTo("lifeboat_feature 1 ü");

      assertThat(b.list()).extracting(Branch::name).containsExactly("app", "lifeboat_feature 1 ü", "lifeboat_nested");
      assertThat(b.list().get(0).isDefault()).isTrue();
      assertThat(b.get("feature 1 ü")).map(Branch::name).hasValue("lifeboat_feature 1 ü");

      // A session on the branch does not stop its deletion.
      try (Connection open = PgConnections.open(info)) {
        b.delete("lifeboat_feature 1 ü");
        assertThat(open.isValid(2)).isFalse();
      }
      b.delete("nested");
      assertThat(b.list()).extracting(Branch::name).containsExactly("app");
      assertThat(pg.databaseExists("lifeboat_feature 1 ü")).isFalse();
    }
  }

  @Test
  void aTemplateInUseIsRefusedUnlessAskedToEndItsSessions() throws Exception {
    try (Connection busy = DriverManager.getConnection(pg.pg.getJdbcUrl("postgres", "app"))) {
      try (Branching b = lifeboat.branching(pg.uri("app"))) {
        assertThatThrownBy(() -> b.create(BranchRequest.named("blocked")))
            .isInstanceOfSatisfying(LifeboatException.class, e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
              assertThat(e.getMessage()).contains("in use").contains("pgdump.terminateTemplateConnections=true");
            });
      }
      try (Lifeboat forcing = TestPg.lifeboat(Map.of("pgdump.terminateTemplateConnections", "true"));
          Branching b = forcing.branching(pg.uri("app"))) {
        Branch made = b.create(BranchRequest.named("forced"));
        assertThat(busy.isValid(2)).isFalse();
        b.delete(made.name());
      }
    }
  }

  @Test
  void historyInPlaceRestoreAndTheParentAreRefused() {
    try (Branching b = lifeboat.branching(pg.uri("app"))) {
      assertThatThrownBy(() -> b.create(new BranchRequest("past", null, Instant.now().minusSeconds(60), null)))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
            assertThat(e.getMessage()).contains("no history").contains("Neon");
          });
      assertThatThrownBy(() -> b.restore("app", Instant.now(), "app_old", "app"))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED));
      assertThatThrownBy(() -> b.delete("app"))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION));
      assertThatThrownBy(() -> b.delete("postgres"))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
      assertThat(pg.databaseExists("app")).isTrue();
    }
  }
}
