package dev.lifeboat.pgdump;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
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
  private static final String NOT_EXTENSION_MEMBER = " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d"
      + " WHERE d.classid = '%s'::pg_catalog.regclass AND d.objid = %s AND d.deptype = 'e')";

  /** Connects to the destination; a missing database is not an error here, it is created later. */
  static DestinationState inspect(PgConnectionInfo destination) {
    try (Connection c = destination.connect()) {
      return new DestinationState(true, userObjects(c), schemas(c));
    } catch (LifeboatException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        return new DestinationState(false, List.of(), NEW_DATABASE_SCHEMAS);
      }
      throw e;
    } catch (SQLException e) {
      throw PgRestorer.restoreFailure(destination, "inspecting the destination", e);
    }
  }

  private static String notExtensionMember(String catalog, String oid) {
    return String.format(NOT_EXTENSION_MEMBER, catalog, oid);
  }

  private static List<String> userObjects(Connection c) throws SQLException {
    String sql = "SELECT what FROM ("
        + " SELECT 'relation ' || n.nspname || '.' || c.relname AS what FROM pg_catalog.pg_class c"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','v','m','S','f','c') AND "
        + PgCatalog.USER_SCHEMA_FILTER + notExtensionMember("pg_catalog.pg_class", "c.oid")
        + " UNION ALL SELECT 'type ' || n.nspname || '.' || t.typname FROM pg_catalog.pg_type t"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype IN ('b','d','e','r','m')"
        + " AND t.typcategory <> 'A' AND t.typrelid = 0 AND " + PgCatalog.USER_SCHEMA_FILTER
        + notExtensionMember("pg_catalog.pg_type", "t.oid")
        + " UNION ALL SELECT 'function ' || n.nspname || '.' || p.proname FROM pg_catalog.pg_proc p"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE " + PgCatalog.USER_SCHEMA_FILTER
        + notExtensionMember("pg_catalog.pg_proc", "p.oid")
        + " UNION ALL SELECT 'schema ' || n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname <> 'public' AND "
        + PgCatalog.USER_SCHEMA_FILTER + notExtensionMember("pg_catalog.pg_namespace", "n.oid")
        + " UNION ALL SELECT 'large object ' || m.oid FROM pg_catalog.pg_largeobject_metadata m"
        + ") o LIMIT " + SHOWN;
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static Set<String> schemas(Connection c) throws SQLException {
    Set<String> out = new HashSet<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT nspname FROM pg_catalog.pg_namespace")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /**
   * The destination's tables, views, materialized views, sequences, foreign tables, types,
   * domains and routines in user schemas (extension members left out) that the archive's table
   * of contents does not create, as {@code kind schema.name}, sorted.
   */
  static List<String> objectsNotIn(Connection c, Toc toc) throws SQLException {
    String sql = "SELECT kind, nspname, name, routine FROM ("
        + " SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'"
        + "   WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind, n.nspname, c.relname AS name, false AS routine"
        + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE c.relkind IN ('r','p','v','m','S','f') AND " + PgCatalog.USER_SCHEMA_FILTER
        + notExtensionMember("pg_catalog.pg_class", "c.oid")
        + " UNION ALL SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, n.nspname, t.typname, false"
        + " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
        + " WHERE t.typtype IN ('b','c','d','e','r') AND t.typcategory <> 'A'"
        // A table's own row type comes with the table; only stand-alone composite types count.
        + " AND (t.typrelid = 0 OR EXISTS (SELECT 1 FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c'))"
        + " AND " + PgCatalog.USER_SCHEMA_FILTER + notExtensionMember("pg_catalog.pg_type", "t.oid")
        + " UNION ALL SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,"
        + " n.nspname, p.proname, true FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
        + " WHERE " + PgCatalog.USER_SCHEMA_FILTER + notExtensionMember("pg_catalog.pg_proc", "p.oid")
        + ") o ORDER BY nspname, name, kind";
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        String kind = rs.getString(1);
        String schema = rs.getString(2);
        String name = rs.getString(3);
        boolean inArchive = rs.getBoolean(4) ? toc.hasRoutine(kind, schema, name) : toc.has(kind, schema, name);
        String shown = new Toc.Name(kind, schema, name).toString();
        if (!inArchive && !out.contains(shown)) {
          out.add(shown);
        }
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
