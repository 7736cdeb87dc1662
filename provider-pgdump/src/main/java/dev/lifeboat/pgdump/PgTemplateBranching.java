package dev.lifeboat.pgdump;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Json;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Branch;
import dev.lifeboat.BranchRequest;
import dev.lifeboat.postgres.PgConnections;
import dev.lifeboat.postgres.PgErrors;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.postgres.Sql;
import dev.lifeboat.spi.Branching;
import dev.lifeboat.spi.ProviderContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Branches of a local PostgreSQL server made as template copies: a branch is a database created
 * with {@code CREATE DATABASE name TEMPLATE parent}. The location's database is the default
 * parent and is never deleted. Branch names start with the prefix of the setting
 * {@value #PREFIX_SETTING} (default {@value #DEFAULT_PREFIX}; it is added when missing), and each
 * branch's parent, creation and expiry instants are kept in its database comment.
 *
 * <p>PostgreSQL keeps no history, so branches at a past instant and in-place restores are
 * refused. PostgreSQL copies a template only while nobody else is connected to it; with the
 * setting {@value #TERMINATE_SETTING}{@code =true} other sessions on the template are ended first.
 */
public final class PgTemplateBranching implements Branching {
  private static final Logger LOG = LoggerFactory.getLogger(PgTemplateBranching.class);
  /** The setting holding the prefix of branch database names. */
  public static final String PREFIX_SETTING = "pgdump.branchPrefix";
  /** The default prefix. */
  public static final String DEFAULT_PREFIX = "lifeboat_";
  /** The setting that allows ending other sessions on a template before copying it. */
  public static final String TERMINATE_SETTING = "pgdump.terminateTemplateConnections";
  private static final String COMMENT_MARK = "lifeboat-branch ";

  private final PgLocation connection;
  private final String prefix;
  private final boolean terminate;

  /**
   * Branching on the server of {@code connection} (parsed with its password), whose database is
   * the default parent.
   */
  public PgTemplateBranching(PgLocation connection, ProviderContext context) {
    this.connection = connection;
    this.prefix = context.setting(PREFIX_SETTING).orElse(DEFAULT_PREFIX);
    this.terminate = context.setting(TERMINATE_SETTING).map(v -> v.equalsIgnoreCase("true")).orElse(false);
  }

  @Override
  public Branch create(BranchRequest request) {
    if (request.at() != null) {
      throw new LifeboatException(ErrorCode.UNSUPPORTED, "A local PostgreSQL server has no history to branch from at "
          + request.at() + "; use a Neon location for branches at a past instant, or leave out the instant.");
    }
    String name = request.name().startsWith(prefix) ? request.name() : prefix + request.name();
    String parent = request.parent() == null ? connection.database() : request.parent();
    Instant now = Instant.now();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("parent", parent);
    meta.put("createdAt", now.toString());
    if (request.expiresAt() != null) {
      meta.put("expiresAt", request.expiresAt().toString());
    }
    try (Connection c = maintenance(parent); Statement st = c.createStatement()) {
      if (terminate) {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
          ps.setString(1, parent);
          ps.execute();
        }
      }
      st.execute("CREATE DATABASE " + Sql.ident(name) + " TEMPLATE " + Sql.ident(parent));
      st.execute("COMMENT ON DATABASE " + Sql.ident(name) + " IS " + Sql.literal(COMMENT_MARK + Json.mapper().writeValueAsString(meta)));
      LOG.info("Created branch database {} from {}", name, parent);
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (state.equals("55006")) {
        throw new LifeboatException(ErrorCode.CONFIGURATION, "Database '" + parent + "' is in use by other sessions, and"
            + " PostgreSQL copies a template only when nobody else is connected. Close them, or set " + TERMINATE_SETTING
            + "=true to end them first.");
      }
      if (state.equals("42P04")) {
        throw new LifeboatException(ErrorCode.CONFIGURATION, "A database named '" + name + "' already exists; choose another branch name.");
      }
      if (state.equals("3D000")) {
        throw new LifeboatException(ErrorCode.NOT_FOUND, "The parent database '" + parent + "' does not exist on " + connection + ".");
      }
      throw failure("creating branch " + name, e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return get(name).orElseThrow(() -> new LifeboatException(ErrorCode.TARGET_FAILED, "Branch " + name + " vanished after it was created."));
  }

  @Override
  public List<Branch> list() {
    List<Branch> out = new ArrayList<>();
    String sql = "SELECT d.datname, pg_catalog.shobj_description(d.oid, 'pg_database') FROM pg_catalog.pg_database d"
        + " WHERE d.datname = ? OR left(d.datname, length(?)) = ? ORDER BY d.datname";
    try (Connection c = maintenance(null); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, connection.database());
      ps.setString(2, prefix);
      ps.setString(3, prefix);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(branch(rs.getString(1), rs.getString(2)));
        }
      }
    } catch (SQLException e) {
      throw failure("listing branches", e);
    }
    return out;
  }

  private Branch branch(String name, String comment) {
    Map<String, String> meta = Map.of();
    if (comment != null && comment.startsWith(COMMENT_MARK)) {
      try {
        meta = Json.mapper().readValue(comment.substring(COMMENT_MARK.length()), new TypeReference<Map<String, String>>() {});
      } catch (JsonProcessingException e) {
        meta = Map.of();
      }
    }
    boolean isParent = name.equals(connection.database());
    Instant created = meta.containsKey("createdAt") ? Instant.parse(meta.get("createdAt")) : null;
    Instant expires = meta.containsKey("expiresAt") ? Instant.parse(meta.get("expiresAt")) : null;
    return new Branch(name, name, meta.get("parent"), created, expires, isParent, isParent, Map.of("kind", "template-copy"));
  }

  @Override
  public Optional<Branch> get(String nameOrId) {
    return list().stream().filter(b -> b.name().equals(nameOrId) || b.name().equals(prefix + nameOrId)).findFirst();
  }

  @Override
  public void delete(String nameOrId) {
    Branch branch = get(nameOrId).orElseThrow(() -> new LifeboatException(ErrorCode.NOT_FOUND, "No branch '" + nameOrId
        + "' on " + connection + "; branches are databases named " + prefix + "*."));
    if (branch.isDefault()) {
      throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION, "Database '" + branch.name() + "' is this location's own"
          + " database, not a branch; Lifeboat does not delete it.");
    }
    try (Connection c = maintenance(branch.name()); Statement st = c.createStatement()) {
      boolean force = c.getMetaData().getDatabaseMajorVersion() >= 13;
      st.execute("DROP DATABASE IF EXISTS " + Sql.ident(branch.name()) + (force ? " WITH (FORCE)" : ""));
      LOG.info("Deleted branch database {}", branch.name());
    } catch (SQLException e) {
      throw failure("deleting branch " + branch.name(), e);
    }
  }

  @Override
  public Branch restore(String nameOrId, Instant at, String preserveUnderName, String confirm) {
    throw new LifeboatException(ErrorCode.UNSUPPORTED, "A local PostgreSQL server keeps no history, so branch '" + nameOrId
        + "' cannot be restored in place to " + at + ". Restore a snapshot into it instead (lifeboat restore --replace),"
        + " or use a Neon location for point-in-time branches.");
  }

  @Override
  public Location connect(Branch branch) {
    return connection.withDatabase(branch.name()).toLocation();
  }

  /** A connection to a maintenance database that is neither {@code avoid} nor copied. */
  private Connection maintenance(String avoid) {
    return PgConnections.openMaintenance(connection, avoid);
  }

  private LifeboatException failure(String what, SQLException e) {
    return PgErrors.map(e, connection, what, ErrorCode.TARGET_FAILED);
  }

  @Override
  public String toString() {
    return "PgTemplateBranching[" + connection + "]";
  }
}
