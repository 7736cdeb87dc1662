package dev.lifeboat.postgres;

import dev.lifeboat.Column;
import dev.lifeboat.InventoryItem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the PostgreSQL catalog: relations (tables, views, materialized views, foreign tables),
 * their columns, indexes and exact row counts, schemas, and every object defined in user schemas.
 * Extension members and system schemas are left out. Every method throws the driver's
 * {@link SQLException}; callers map it with {@link PgErrors}.
 */
public final class PgCatalog {
  /** Schemas that hold no user data. */
  static final String USER_SCHEMA_FILTER =
      "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'";

  /** The columns {@link #relation(ResultSet)} reads, of the relation kinds Lifeboat inventories; a condition follows. */
  private static final String RELATION_QUERY = "SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispopulated,"
      + " pg_catalog.pg_table_is_visible(c.oid) AS visible"
      + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
      + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ";

  private static final String NOT_EXTENSION_MEMBER = " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d"
      + " WHERE d.classid = '%s'::pg_catalog.regclass AND d.objid = %s AND d.deptype = 'e')";

  private static final String RELATIONS = RELATION_QUERY + USER_SCHEMA_FILTER
      + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass"
      + " AND d.objid = c.oid AND d.deptype = 'e')"
      + " ORDER BY n.nspname, c.relname";

  private PgCatalog() {}

  /**
   * A relation of the catalog.
   *
   * @param oid its oid
   * @param schema its schema
   * @param name its name
   * @param relkind {@code r}, {@code p}, {@code v}, {@code m} or {@code f}
   * @param populated false for a materialized view created WITH NO DATA
   * @param visible whether the default search path finds it by its bare name
   */
  public record Relation(long oid, String schema, String name, char relkind, boolean populated, boolean visible) {
    /** The inventory kind. */
    public String kind() {
      return switch (relkind) {
        case 'p' -> "partitioned-table";
        case 'v' -> "view";
        case 'm' -> "materialized-view";
        case 'f' -> "foreign-table";
        default -> "table";
      };
    }

    /** Whether rows are counted: tables and materialized views. */
    public boolean counted() {
      return relkind == 'r' || relkind == 'm';
    }

    /** {@code schema.name}, unquoted. */
    public String qualifiedName() {
      return schema + "." + name;
    }

    /** {@code "schema"."name"}, quoted for SQL. */
    public String sql() {
      return Sql.qualified(schema, name);
    }
  }

  /** Every user relation, sorted by schema and name. */
  public static List<Relation> relations(Connection c) throws SQLException {
    List<Relation> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(RELATIONS)) {
      while (rs.next()) {
        out.add(relation(rs));
      }
    }
    return out;
  }

  /** The relation named {@code schema.name}, if it exists. */
  public static Optional<Relation> find(Connection c, String schema, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(RELATION_QUERY + "n.nspname = ? AND c.relname = ?")) {
      ps.setString(1, schema);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(relation(rs)) : Optional.empty();
      }
    }
  }

  private static Relation relation(ResultSet rs) throws SQLException {
    return new Relation(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4).charAt(0),
        rs.getBoolean(5), rs.getBoolean(6));
  }

  /** Columns of each relation, in ordinal order, with {@code format_type} types. */
  public static Map<Long, List<Column>> columns(Connection c) throws SQLException {
    String sql = "SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)"
        + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND " + USER_SCHEMA_FILTER
        + " ORDER BY a.attrelid, a.attnum";
    return byRelation(c, sql, rs -> new Column(rs.getString(2), rs.getString(3)));
  }

  /** Columns of one relation. */
  public static List<Column> columns(Connection c, long oid) throws SQLException {
    String sql = "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a"
        + " WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
    return ofRelation(c, sql, oid, rs -> new Column(rs.getString(1), rs.getString(2)));
  }

  /** Index names of each relation, sorted. */
  public static Map<Long, List<String>> indexes(Connection c) throws SQLException {
    String sql = "SELECT i.indrelid, ic.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace WHERE " + USER_SCHEMA_FILTER
        + " ORDER BY i.indrelid, ic.relname";
    return byRelation(c, sql, rs -> rs.getString(2));
  }

  /** Index names of one relation, sorted. */
  public static List<String> indexes(Connection c, long oid) throws SQLException {
    String sql = "SELECT ic.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
        + " WHERE i.indrelid = ? ORDER BY ic.relname";
    return ofRelation(c, sql, oid, rs -> rs.getString(1));
  }

  /** One value read from the current row of a result set. */
  @FunctionalInterface
  private interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** The rows of {@code sql}, whose first column is a relation oid, grouped by that oid in query order. */
  private static <T> Map<Long, List<T>> byRelation(Connection c, String sql, Row<T> row) throws SQLException {
    Map<Long, List<T>> out = new HashMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(row.read(rs));
      }
    }
    return out;
  }

  /** The rows of {@code sql}, whose one parameter is the relation's oid, in query order. */
  private static <T> List<T> ofRelation(Connection c, String sql, long oid, Row<T> row) throws SQLException {
    List<T> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, oid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row.read(rs));
        }
      }
    }
    return out;
  }

  /** The exact row count of a table or materialized view: its own rows, not its children's. */
  public static long count(Connection c, Relation r) throws SQLException {
    if (r.relkind() == 'm' && !r.populated()) {
      return 0;
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM ONLY " + r.sql())) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * The inventory items of {@code relations}.
   *
   * @param withData whether the dump holds rows; when not, counted items hold 0
   * @param withDefinitions whether the dump holds definitions; when not (data only), materialized
   *     views are not refreshed by a restore, so their rows are not counted
   */
  public static List<InventoryItem> items(Connection c, List<Relation> relations, boolean withData, boolean withDefinitions)
      throws SQLException {
    Map<Long, List<Column>> columns = columns(c);
    Map<Long, List<String>> indexes = indexes(c);
    List<InventoryItem> out = new ArrayList<>();
    for (Relation r : relations) {
      long count = !r.counted() || r.relkind() == 'm' && !withDefinitions ? -1 : withData ? count(c, r) : 0;
      out.add(new InventoryItem(r.schema(), r.name(), r.kind(), count,
          columns.getOrDefault(r.oid(), List.of()), indexes.getOrDefault(r.oid(), List.of()), Map.of()));
    }
    return out;
  }

  /** {@code AND NOT EXISTS (…)}: the object {@code oid} of {@code catalog} is no extension's member. */
  static String notExtensionMember(String catalog, String oid) {
    return String.format(NOT_EXTENSION_MEMBER, catalog, oid);
  }

  /** The names of every schema of the database, system schemas included. */
  public static Set<String> schemas(Connection c) throws SQLException {
    Set<String> out = new HashSet<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT nspname FROM pg_catalog.pg_namespace")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /**
   * An object defined in a user schema.
   *
   * @param kind as {@code pg_dump} names it: {@code TABLE}, {@code VIEW}, {@code MATERIALIZED VIEW},
   *     {@code SEQUENCE}, {@code FOREIGN TABLE}, {@code TYPE}, {@code DOMAIN}, {@code FUNCTION},
   *     {@code PROCEDURE} or {@code AGGREGATE}
   * @param schema its schema
   * @param name its name (a routine's without its arguments)
   * @param routine whether it is a function, procedure or aggregate
   */
  public record DefinedObject(String kind, String schema, String name, boolean routine) {}

  /**
   * The tables, views, materialized views, sequences, foreign tables, types, domains and routines
   * in user schemas (extension members left out), sorted by schema, name and kind. A table's own
   * row type is not listed; stand-alone composite types are.
   */
  public static List<DefinedObject> definedObjects(Connection c) throws SQLException {
    String sql = "SELECT kind, nspname, name, routine FROM ("
        + " SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'"
        + "   WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind, n.nspname, c.relname AS name, false AS routine"
        + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE c.relkind IN ('r','p','v','m','S','f') AND " + USER_SCHEMA_FILTER
        + notExtensionMember("pg_catalog.pg_class", "c.oid")
        + " UNION ALL SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, n.nspname, t.typname, false"
        + " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
        + " WHERE t.typtype IN ('b','c','d','e','r') AND t.typcategory <> 'A'"
        // A table's own row type comes with the table; only stand-alone composite types count.
        + " AND (t.typrelid = 0 OR EXISTS (SELECT 1 FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c'))"
        + " AND " + USER_SCHEMA_FILTER + notExtensionMember("pg_catalog.pg_type", "t.oid")
        + " UNION ALL SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,"
        + " n.nspname, p.proname, true FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
        + " WHERE " + USER_SCHEMA_FILTER + notExtensionMember("pg_catalog.pg_proc", "p.oid")
        + ") o ORDER BY nspname, name, kind";
    List<DefinedObject> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(new DefinedObject(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
      }
    }
    return out;
  }
}
