package dev.lifeboat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests that run against a copy of a real backup instead of seed scripts (lifeboat-junit). In a
 * real project the backup already exists (last night's, anonymised) and the test names only its
 * store, e.g. {@code @Restored(target = "file:/backups/bank")}; the server defaults to
 * {@code -Dlifeboat.test.server=…} or an embedded PostgreSQL. Here {@link #nightlyBackup} makes
 * the backup first and the copies go to the same sample server.
 */
@LifeboatTest
class TransfersAgainstBackupTest {
  @TempDir
  static Path backups;
  private static SampleDatabase bank;

  @BeforeAll
  static void nightlyBackup() {
    bank = SampleDatabase.start("bank", 20);
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      lifeboat.backup(BackupRequest.builder(bank.uri(), "file:" + backups).build());
    }
    System.setProperty("example.backups", "file:" + backups);
    System.setProperty("example.server", bank.uri());
  }

  @AfterAll
  static void stop() {
    bank.close();
  }

  @Test
  void aTransferKeepsTheBanksTotal(
      @Restored(target = "${sys:example.backups}", server = "${sys:example.server}") DataSource db) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      long before = total(s);
      s.execute("UPDATE accounts SET balance_cents = balance_cents - 500 WHERE id = 1");
      s.execute("UPDATE accounts SET balance_cents = balance_cents + 500 WHERE id = 2");
      s.execute("INSERT INTO transfers (from_account, to_account, amount_cents) VALUES (1, 2, 500)");
      assertThat(total(s)).isEqualTo(before);
    }
  }

  @Test
  void everyTestStartsFromTheBackup(
      @Restored(target = "${sys:example.backups}", server = "${sys:example.server}") RestoredDatabase db) throws SQLException {
    // Whatever the other test changed was in its own copy: this one holds the backup as taken.
    assertThat(db.name()).startsWith("lifeboat_t_");
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM transfers")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(60);
    }
  }

  private static long total(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT sum(balance_cents) FROM accounts")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
