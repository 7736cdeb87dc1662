package dev.lifeboat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.Lifeboat;
import dev.lifeboat.Location;
import dev.lifeboat.Snapshot;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safety snapshot migration against an embedded PostgreSQL. */
class SafetySnapshotMigrationTest {
  static SampleDatabase db;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    db = SampleDatabase.start("bank", 100);
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @Test
  void failedMigrationIsUndoneByTheAutomaticRestore() throws SQLException {
    String target = Location.of(dir).raw();
    long balanceBefore = queryLong(db.uri(), "SELECT sum(balance_cents) FROM accounts");
    long transfersBefore = queryLong(db.uri(), "SELECT count(*) FROM transfers");

    SafetySnapshotMigration.Outcome outcome;
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      outcome = new SafetySnapshotMigration(lifeboat, db.uri(), target).run("V2__cents_to_millis",
          SafetySnapshotMigration.FAILING_MIGRATION);
      List<Snapshot> snapshots = lifeboat.list(target);
      assertThat(snapshots).hasSize(1);
      assertThat(snapshots.get(0).id()).isEqualTo(outcome.snapshotId());
      assertThat(snapshots.get(0).manifest().labels())
          .containsEntry("reason", "pre-migration").containsEntry("migration", "V2__cents_to_millis");
    }

    assertThat(outcome.migrated()).isFalse();
    assertThat(outcome.failure()).startsWith("statement 3 of 3 failed: ").contains("balance_below_limit");
    assertThat(outcome.restoredAndVerified()).as(String.valueOf(outcome.restore())).isTrue();
    assertThat(outcome.restore().verification().checks()).anySatisfy(c -> assertThat(c.name()).contains("accounts"));
    // The first two statements had committed: the restore must have removed both.
    assertThat(queryLong(db.uri(), "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'currency'"))
        .isZero();
    assertThat(queryLong(db.uri(), "SELECT sum(balance_cents) FROM accounts")).isEqualTo(balanceBefore);
    assertThat(queryLong(db.uri(), "SELECT count(*) FROM transfers")).isEqualTo(transfersBefore);
  }

  @Test
  void successfulMigrationKeepsItsChangesAndItsSafetySnapshot() throws SQLException {
    try (Connection c = Jdbc.connect(db.uri("postgres")); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE bank_ok");
    }
    String database = db.uri("bank_ok");
    SampleDatabase.fill(database, 100);
    long balanceBefore = queryLong(database, "SELECT sum(balance_cents) FROM accounts");
    String target = Location.of(dir).raw();
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      SafetySnapshotMigration.Outcome outcome = new SafetySnapshotMigration(lifeboat, database, target)
          .run("V2__first_two_steps", SafetySnapshotMigration.FAILING_MIGRATION.subList(0, 2));
      assertThat(outcome.migrated()).isTrue();
      assertThat(outcome.failure()).isNull();
      assertThat(outcome.restored()).isEmpty();
      assertThat(lifeboat.snapshot(target, outcome.snapshotId()).manifest().inventory().find("public.accounts").orElseThrow().count())
          .isEqualTo(100);
    }
    assertThat(queryLong(database, "SELECT sum(balance_cents) FROM accounts")).isEqualTo(balanceBefore * 10);
    assertThat(queryLong(database, "SELECT count(*) FROM accounts WHERE currency = 'EUR'")).isEqualTo(100);
  }

  private static long queryLong(String uri, String sql) throws SQLException {
    try (Connection c = Jdbc.connect(uri); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
