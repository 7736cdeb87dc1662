package dev.lifeboat.pgdump;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.postgres.PgCatalog;
import dev.lifeboat.postgres.PgConnections;
import dev.lifeboat.postgres.PgDatabases;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.postgres.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a restore's destination holds before anything changes: whether the database exists, a
 * few of its user objects (relations, types, functions, schemas, large objects; extension members
 * and system schemas left out) and its schemas.
 *
 * @param exists whether the database exists
 * @param objects up to {@value #SHOWN} of its user objects, e.g. {@code relation public.t}
 * @param schemas its schemas (those of a new database when it does not exist)
 */
record DestinationState(boolean exists, List<String> objects, Set<String> schemas) {
  /** How many user objects are named when refusing a non-empty destination. */
  static final int SHOWN = 5;
  /** The schemas of a database created from {@code template0}. */
  private static final Set<String> NEW_DATABASE_SCHEMAS = Set.of("public", "pg_catalog", "information_schema", "pg_toast");

  /** Connects to the destination; a missing database is not an error here, it is created later. */
  static DestinationState inspect(PgLocation destination) {
    try (Connection c = PgConnections.open(destination)) {
      return new DestinationState(true, PgDatabases.userObjects(c, SHOWN), PgCatalog.schemas(c));
    } catch (LifeboatException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        return new DestinationState(false, List.of(), NEW_DATABASE_SCHEMAS);
      }
      throw e;
    } catch (SQLException e) {
      throw PgRestorer.restoreFailure(destination, "inspecting the destination", e);
    }
  }

  /**
   * The destination's tables, views, materialized views, sequences, foreign tables, types,
   * domains and routines in user schemas (extension members left out) that the archive's table
   * of contents does not create, as {@code kind schema.name}, sorted.
   */
  static List<String> objectsNotIn(Connection c, Toc toc) throws SQLException {
    List<String> out = new ArrayList<>();
    for (PgCatalog.DefinedObject o : PgCatalog.definedObjects(c)) {
      boolean inArchive = o.routine() ? toc.hasRoutine(o.kind(), o.schema(), o.name()) : toc.has(o.kind(), o.schema(), o.name());
      String shown = new Toc.Name(o.kind(), o.schema(), o.name()).toString();
      if (!inArchive && !out.contains(shown)) {
        out.add(shown);
      }
    }
    return out;
  }

  /** Whether the destination already has the object an archive entry would create. */
  static boolean has(Connection c, Toc.Name n) throws SQLException {
    String schema = n.schema();
    switch (n.kind()) {
      case "TYPE", "SHELL TYPE", "DOMAIN":
        return schema != null && exists(c, "SELECT pg_catalog.to_regtype(?) IS NOT NULL", Sql.qualified(schema, n.tag()));
      case "TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE", "SEQUENCE":
        return schema != null && exists(c, "SELECT pg_catalog.to_regclass(?) IS NOT NULL", Sql.qualified(schema, n.tag()));
      case "FUNCTION", "PROCEDURE", "AGGREGATE": {
        int paren = n.tag().indexOf('(');
        if (schema == null || paren < 0) {
          return false;
        }
        String signature = Sql.qualified(schema, n.tag().substring(0, paren)) + n.tag().substring(paren).replace("(*)", "()");
        return exists(c, "SELECT pg_catalog.to_regprocedure(?) IS NOT NULL", signature);
      }
      case "EXTENSION":
        return exists(c, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = ?)", n.tag());
      case "COLLATION":
        return schema != null && exists(c, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_collation k JOIN pg_catalog.pg_namespace n"
            + " ON n.oid = k.collnamespace WHERE n.nspname = ? AND k.collname = ?)", schema, n.tag());
      default:
        return false;
    }
  }

  private static boolean exists(Connection c, String sql, String... values) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        ps.setString(i + 1, values[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    } catch (SQLException e) {
      // A name these lookups cannot parse is a name the destination does not have.
      return false;
    }
  }
}
