package dev.lifeboat.junit;

import dev.lifeboat.Check;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Verification;
import dev.lifeboat.Version;
import dev.lifeboat.postgres.PgConnections;
import dev.lifeboat.postgres.PgErrors;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.postgres.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies made on one PostgreSQL server from a template database: the snapshot is restored once
 * (through {@link Lifeboat#restore}, verified against its manifest) into {@code lifeboat_tpl_…},
 * which is then closed to connections and marked a template; every copy is
 * {@code CREATE DATABASE lifeboat_t_… TEMPLATE lifeboat_tpl_…}, a file-level copy that costs
 * about as much as writing the files once, far less than a restore. Copies are dropped
 * {@code WITH (FORCE)}, so a connection a test forgot to close does not keep one alive.
 */
final class PgTemplateCopies implements CopySource {
  private static final Logger LOG = LoggerFactory.getLogger(PgTemplateCopies.class);
  /** How often a copy is tried while PostgreSQL reports the template in use (a session still leaving). */
  private static final int COPY_ATTEMPTS = 5;

  private final PgLocation server;
  private final String template;
  private final String snapshotId;
  private final CopyNames names;

  private PgTemplateCopies(PgLocation server, String template, String snapshotId, CopyNames names) {
    this.server = server;
    this.template = template;
    this.snapshotId = snapshotId;
    this.names = names;
  }

  /**
   * Restores {@code snapshotId} from {@code target} into a new template database on
   * {@code server} and verifies it; on any failure the template is dropped again and the failure
   * thrown.
   */
  static PgTemplateCopies prepare(Lifeboat lifeboat, Location target, String snapshotId, PgLocation server, CopyNames names) {
    String template = names.template();
    PgLocation at = server.withDatabase(template);
    Instant started = Instant.now();
    try {
      RestoreResult result = lifeboat.restore(RestoreRequest.builder(target, snapshotId, at.toLocation()).verify().build());
      Verification verification = result.verified().orElseThrow(() -> new LifeboatException(ErrorCode.VERIFICATION_FAILED,
          "the restore of snapshot " + snapshotId + " was not verified"));
      if (!verification.passed()) {
        throw new LifeboatException(ErrorCode.VERIFICATION_FAILED, "snapshot " + snapshotId + " restored into " + template
            + " does not match its manifest: " + verification.failures().stream().map(PgTemplateCopies::describe)
                .collect(Collectors.joining("; ")));
      }
      seal(at, snapshotId);
    } catch (RuntimeException e) {
      dropQuietly(server, template, e);
      throw e;
    }
    LOG.info("Restored snapshot {} into template {} in {} ms", snapshotId, template,
        Duration.between(started, Instant.now()).toMillis());
    return new PgTemplateCopies(server, template, snapshotId, names);
  }

  private static String describe(Check c) {
    return c.name() + (c.detail() == null ? "" : " (" + c.detail() + ")");
  }

  /**
   * Marks the template with what made it, closes it to new connections and ends the sessions
   * still on it: PostgreSQL copies a template only while nobody is connected to it.
   */
  private static void seal(PgLocation at, String snapshotId) {
    String name = Sql.ident(at.database());
    try (Connection c = PgConnections.openMaintenance(at, at.database()); Statement st = c.createStatement()) {
      st.execute("COMMENT ON DATABASE " + name + " IS " + Sql.literal("lifeboat-junit template of snapshot " + snapshotId
          + " (Lifeboat " + Version.current() + "); dropped at the end of the test run"));
      st.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false IS_TEMPLATE true");
      terminateSessions(c, at.database());
    } catch (SQLException e) {
      throw PgErrors.map(e, at, "preparing template " + name, ErrorCode.RESTORE_FAILED);
    }
  }

  private static void terminateSessions(Connection c, String database) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
      ps.setString(1, database);
      ps.execute();
    }
  }

  @Override
  public String snapshotId() {
    return snapshotId;
  }

  @Override
  public RestoredDatabase copy() {
    String name = names.copy();
    PgLocation at = server.withDatabase(name);
    try (Connection c = PgConnections.openMaintenance(server, template); Statement st = c.createStatement()) {
      for (int attempt = 1; ; attempt++) {
        try {
          st.execute("CREATE DATABASE " + Sql.ident(name) + " TEMPLATE " + Sql.ident(template));
          break;
        } catch (SQLException e) {
          if (!"55006".equals(e.getSQLState()) || attempt == COPY_ATTEMPTS) {
            throw e;
          }
          // Someone is on the template although it takes no new connections: end them and retry.
          terminateSessions(c, template);
          sleep(50L * attempt);
        }
      }
    } catch (SQLException e) {
      throw PgErrors.map(e, at, "copying template " + template, ErrorCode.RESTORE_FAILED);
    }
    return new PgCopy(at, snapshotId);
  }

  @Override
  public void drop(RestoredDatabase copy) {
    drop(server, copy.name(), false);
  }

  @Override
  public void close() {
    drop(server, template, true);
  }

  /** Drops one of this run's (or a killed run's) databases; a template is unmarked first, as PostgreSQL requires. */
  static void drop(PgLocation server, String database, boolean isTemplate) {
    String name = Sql.ident(database);
    try (Connection c = PgConnections.openMaintenance(server, database); Statement st = c.createStatement()) {
      boolean force = c.getMetaData().getDatabaseMajorVersion() >= 13;
      if (isTemplate) {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_database WHERE datname = ?")) {
          ps.setString(1, database);
          if (!ps.executeQuery().next()) {
            return;
          }
        }
        st.execute("ALTER DATABASE " + name + " WITH IS_TEMPLATE false");
      }
      st.execute("DROP DATABASE IF EXISTS " + name + (force ? " WITH (FORCE)" : ""));
      LOG.debug("Dropped {}", database);
    } catch (SQLException e) {
      throw PgErrors.map(e, server.withDatabase(database), "dropping database " + name, ErrorCode.TARGET_FAILED);
    }
  }

  private static void dropQuietly(PgLocation server, String database, RuntimeException failure) {
    try {
      drop(server, database, true);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
