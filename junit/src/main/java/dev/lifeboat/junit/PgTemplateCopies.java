package dev.lifeboat.junit;

import dev.lifeboat.Check;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.crypto.PrivateKey;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
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
  private static final String MARKER = "lifeboat-junit template of snapshot ";

  private final CopyNames names;
  private final boolean keep;

  private PgTemplateCopies(PgLocation server, String template, String snapshotId, CopyNames names, boolean keep) {
    this.server = server;
    this.template = template;
    this.snapshotId = snapshotId;
    this.names = names;
    this.keep = keep;
  }

  /**
   * Restores {@code snapshotId} from {@code target} into a new template database on
   * {@code server} and verifies it; on any failure the template is dropped again and the failure
   * thrown. With {@code keep}, the template is named after the snapshot, outlives the run, and a
   * later run reuses it when its marker names the same snapshot and Lifeboat version (runs on one
   * server take turns preparing it, through an advisory lock).
   */
  static PgTemplateCopies prepare(Lifeboat lifeboat, Location target, String snapshotId, Optional<PrivateKey> key, PgLocation server, CopyNames names,
      boolean keep) {
    if (!keep) {
      String template = names.template();
      restore(lifeboat, target, snapshotId, key, server, template, "dropped at the end of the test run");
      return new PgTemplateCopies(server, template, snapshotId, names, false);
    }
    String template = keptName(snapshotId);
    try (Connection c = PgConnections.openMaintenance(server, template)) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.pg_advisory_lock(pg_catalog.hashtext(?))")) {
        ps.setString(1, template);
        ps.execute();
      }
      Optional<String> comment = comment(c, template);
      if (comment.isPresent() && comment.get().startsWith(marker(snapshotId))) {
        LOG.info("Reusing template {} of snapshot {}, kept by an earlier test run", template, snapshotId);
        return new PgTemplateCopies(server, template, snapshotId, names, true);
      }
      if (comment.isPresent() && !comment.get().isEmpty() && !comment.get().startsWith(MARKER)) {
        throw new LifeboatException(ErrorCode.CONFIGURATION, "database '" + template + "' exists on " + server
            + " and was not made by lifeboat-junit; drop or rename it");
      }
      if (comment.isPresent()) {
        // Made by another Lifeboat version, or left unfinished by a run that was killed while restoring.
        drop(server, template, true);
      }
      restore(lifeboat, target, snapshotId, key, server, template, "kept for later test runs");
      return new PgTemplateCopies(server, template, snapshotId, names, true);
    } catch (SQLException e) {
      throw PgErrors.map(e, server.withDatabase(template), "preparing template " + template, ErrorCode.RESTORE_FAILED);
    }
  }

  /** The name of a kept template: the snapshot id in the characters a plain identifier allows. */
  static String keptName(String snapshotId) {
    return CopyNames.TEMPLATE_PREFIX + snapshotId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
  }

  private static String marker(String snapshotId) {
    return MARKER + snapshotId + " (Lifeboat " + Version.current() + ")";
  }

  /** The database's comment (empty when it has none), or nothing when the database does not exist. */
  private static Optional<String> comment(Connection c, String database) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT coalesce(pg_catalog.shobj_description(oid, 'pg_database'), '') FROM pg_catalog.pg_database WHERE datname = ?")) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static void restore(Lifeboat lifeboat, Location target, String snapshotId, Optional<PrivateKey> key, PgLocation server, String template,
      String fate) {
    PgLocation at = server.withDatabase(template);
    Instant started = Instant.now();
    try {
      RestoreRequest.Builder request = RestoreRequest.builder(target, snapshotId, at.toLocation()).verify();
      key.ifPresent(request::privateKey);
      RestoreResult result = lifeboat.restore(request.build());
      Verification verification = result.verified().orElseThrow(() -> new LifeboatException(ErrorCode.VERIFICATION_FAILED,
          "the restore of snapshot " + snapshotId + " was not verified"));
      if (!verification.passed()) {
        throw new LifeboatException(ErrorCode.VERIFICATION_FAILED, "snapshot " + snapshotId + " restored into " + template
            + " does not match its manifest: " + verification.failures().stream().map(PgTemplateCopies::describe)
                .collect(Collectors.joining("; ")));
      }
      seal(at, marker(snapshotId) + "; " + fate);
    } catch (RuntimeException e) {
      dropQuietly(server, template, e);
      throw e;
    }
    LOG.info("Restored snapshot {} into template {} in {} ms", snapshotId, template,
        Duration.between(started, Instant.now()).toMillis());
  }

  private static String describe(Check c) {
    return c.name() + (c.detail() == null ? "" : " (" + c.detail() + ")");
  }

  /**
   * Marks the template with what made it, closes it to new connections and ends the sessions
   * still on it: PostgreSQL copies a template only while nobody is connected to it.
   */
  private static void seal(PgLocation at, String marker) {
    String name = Sql.ident(at.database());
    try (Connection c = PgConnections.openMaintenance(at, at.database()); Statement st = c.createStatement()) {
      st.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false IS_TEMPLATE true");
      terminateSessions(c, at.database());
      // Last: a template whose comment holds the marker is complete, so a later run may reuse it.
      st.execute("COMMENT ON DATABASE " + name + " IS " + Sql.literal(marker));
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
      // PostgreSQL 15 and newer copy through the WAL by default, which writes the whole database a
      // second time; its documentation recommends the file copy for large templates, and snapshots
      // of real databases are large.
      String strategy = c.getMetaData().getDatabaseMajorVersion() >= 15 ? " STRATEGY FILE_COPY" : "";
      for (int attempt = 1; ; attempt++) {
        try {
          st.execute("CREATE DATABASE " + Sql.ident(name) + " TEMPLATE " + Sql.ident(template) + strategy);
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
    if (keep) {
      LOG.info("Kept template {} of snapshot {} for later test runs", template, snapshotId);
      return;
    }
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
