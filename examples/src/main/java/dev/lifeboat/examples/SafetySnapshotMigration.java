package dev.lifeboat.examples;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Expectation;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Location;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A safety snapshot before a migration: back the database up, run the migration, and when it fails
 * restore the snapshot onto the same database automatically (replacing its contents, confirmed with
 * the database's own name, because it is the snapshot's source) and verify the result.
 *
 * <pre>{@code
 * SafetySnapshotMigration guard = new SafetySnapshotMigration(lifeboat, "postgresql://app@db/shop", "file:/backups");
 * SafetySnapshotMigration.Outcome outcome = guard.run("V42__split_names", List.of("ALTER TABLE ...", "UPDATE ..."));
 * if (!outcome.migrated()) { alert(outcome.failure()); } // the database is back as it was before V42
 * }</pre>
 *
 * <p>Statements run one by one with auto-commit, as migration tools do for steps that cannot run in
 * a transaction; a failure half-way therefore leaves a partial change that only the snapshot undoes.
 */
public final class SafetySnapshotMigration {
  private static final Logger LOG = LoggerFactory.getLogger(SafetySnapshotMigration.class);

  private final Lifeboat lifeboat;
  private final String database;
  private final String target;

  /**
   * @param lifeboat the application's Lifeboat instance
   * @param database the database to migrate, e.g. {@code postgresql://app@db/shop}
   * @param target where the safety snapshot is kept
   */
  public SafetySnapshotMigration(Lifeboat lifeboat, String database, String target) {
    this.lifeboat = Objects.requireNonNull(lifeboat, "lifeboat");
    this.database = Objects.requireNonNull(database, "database");
    this.target = Objects.requireNonNull(target, "target");
  }

  /**
   * What happened.
   *
   * @param migration the migration's name
   * @param snapshotId the safety snapshot taken before it
   * @param migrated whether every statement succeeded
   * @param failure the failing statement and the database's error, when it failed
   * @param restore the automatic restore (with its verification), when it failed
   */
  public record Outcome(String migration, String snapshotId, boolean migrated, String failure, RestoreResult restore) {
    /** Whether the database was restored after a failure and verified against the snapshot. */
    public boolean restoredAndVerified() {
      return restore != null && restore.verified().map(v -> v.passed()).orElse(false);
    }

    /** The automatic restore, when the migration failed. */
    public Optional<RestoreResult> restored() {
      return Optional.ofNullable(restore);
    }
  }

  /** Takes the safety snapshot, runs {@code statements}, and restores the snapshot if one fails. */
  public Outcome run(String migration, List<String> statements) {
    Snapshot safety = lifeboat.backup(BackupRequest.builder(database, target)
        .label("reason", "pre-migration").label("migration", migration).build());
    LOG.info("Safety snapshot {} taken before migration {}", safety.id(), migration);
    String failure = migrate(statements);
    if (failure == null) {
      return new Outcome(migration, safety.id(), true, null, null);
    }
    LOG.warn("Migration {} failed ({}); restoring snapshot {}", migration, failure, safety.id());
    RestoreResult restored = lifeboat.restore(RestoreRequest.builder(target, safety.id(), database)
        .options(RestoreOptions.builder().replace(true).confirm(Jdbc.databaseName(database)).build())
        .verify(Expectation.noOrphanedForeignKeys())
        .build());
    return new Outcome(migration, safety.id(), false, failure, restored);
  }

  /** Runs the statements; returns null when all succeeded, or what failed. The connection is closed either way. */
  private String migrate(List<String> statements) {
    try (Connection c = Jdbc.connect(database); Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      for (int i = 0; i < statements.size(); i++) {
        try {
          s.execute(statements.get(i));
        } catch (SQLException e) {
          return "statement " + (i + 1) + " of " + statements.size() + " failed: " + Location.redact(e.getMessage());
        }
      }
      return null;
    } catch (SQLException e) {
      return "cannot connect: " + Location.redact(e.getMessage());
    }
  }

  /**
   * {@code SafetySnapshotMigration [DATABASE_URI [TARGET]]}: runs a migration that fails half-way
   * (it adds a column and rescales balances, then adds a constraint the data violates) and shows the
   * automatic restore. Without a URI it uses an embedded sample database. Exits 0 when the database
   * was restored and verified.
   */
  public static void main(String[] args) {
    String target = args.length > 1 ? args[1] : Location.of(Path.of("safety-snapshots")).raw();
    SampleDatabase sample = args.length > 0 ? null : SampleDatabase.start("bank", 500);
    String database = args.length > 0 ? args[0] : sample.uri();
    int status;
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      Outcome outcome = new SafetySnapshotMigration(lifeboat, database, target).run("V2__cents_to_millis", FAILING_MIGRATION);
      System.out.println("Safety snapshot: " + outcome.snapshotId());
      System.out.println(outcome.migrated() ? "Migration succeeded." : "Migration failed: " + outcome.failure());
      outcome.restored().ifPresent(System.out::println);
      status = outcome.migrated() || outcome.restoredAndVerified() ? 0 : 1;
    } finally {
      if (sample != null) {
        sample.close();
      }
    }
    System.exit(status);
  }

  /** A migration whose third statement fails after the first two changed the sample database. */
  public static final List<String> FAILING_MIGRATION = List.of(
      "ALTER TABLE accounts ADD COLUMN currency text NOT NULL DEFAULT 'EUR'",
      "UPDATE accounts SET balance_cents = balance_cents * 10",
      "ALTER TABLE accounts ADD CONSTRAINT balance_below_limit CHECK (balance_cents < 10000)");
}
