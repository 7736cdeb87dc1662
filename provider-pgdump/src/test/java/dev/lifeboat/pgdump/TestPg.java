package dev.lifeboat.pgdump;

import dev.lifeboat.Lifeboat;
import dev.lifeboat.postgres.Sql;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** One embedded PostgreSQL 15 server for a test class, with helpers to query and compare databases. */
final class TestPg implements AutoCloseable {
  final EmbeddedPostgres pg;

  private TestPg(EmbeddedPostgres pg) {
    this.pg = pg;
  }

  static TestPg start() {
    return start(UnaryOperator.identity());
  }

  static TestPg start(UnaryOperator<EmbeddedPostgres.Builder> config) {
    try {
      return new TestPg(config.apply(EmbeddedPostgres.builder()).start());
    } catch (IOException e) {
      throw new UncheckedIOException("The embedded PostgreSQL server did not start", e);
    }
  }

  int port() {
    return pg.getPort();
  }

  /** {@code postgresql://postgres@localhost:port/db} (the superuser needs no password here). */
  String uri(String db) {
    return "postgresql://postgres@localhost:" + port() + "/" + db;
  }

  /** A Lifeboat that reads no secrets from this machine's environment. */
  static Lifeboat lifeboat(Map<String, String> settings) {
    return Lifeboat.builder().secrets(name -> Optional.empty()).settings(settings).build();
  }

  Connection connect(String db) throws SQLException {
    return DriverManager.getConnection(pg.getJdbcUrl("postgres", db));
  }

  void exec(String db, String sql) {
    try (Connection c = connect(db); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage() + " in: " + sql, e);
    }
  }

  String string(String db, String sql) {
    try (Connection c = connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage() + " in: " + sql, e);
    }
  }

  long number(String db, String sql) {
    return Long.parseLong(string(db, sql));
  }

  boolean databaseExists(String db) {
    return number("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + db.replace("'", "''") + "'") == 1;
  }

  void createDatabase(String db) {
    exec("postgres", "CREATE DATABASE " + Sql.ident(db));
  }

  void dropDatabase(String db) {
    exec("postgres", "DROP DATABASE IF EXISTS " + Sql.ident(db) + " WITH (FORCE)");
  }

  /** Creates {@code db} and loads {@code fixture.sql} into it. */
  void loadFixture(String db) {
    createDatabase(db);
    String sql;
    try (InputStream in = TestPg.class.getResourceAsStream("/fixture.sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String chunk : sql.split("-- @@")) {
      exec(db, chunk);
    }
  }

  /**
   * Everything a faithful restore must carry over, as comparable text: per table its count and the
   * md5 of its ordered rows, sequence values, large objects, enum labels, triggers, columns.
   */
  Map<String, String> contents(String db) {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = connect(db); Statement st = c.createStatement()) {
      List<String[]> rels = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE c.relkind IN ('r', 'm') AND c.relispopulated AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'")) {
        while (rs.next()) {
          rels.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      for (String[] r : rels) {
        String t = Sql.qualified(r[0], r[1]);
        try (ResultSet rs = st.executeQuery("SELECT count(*), md5(string_agg(t::text, ',' ORDER BY t::text)) FROM ONLY " + t + " t")) {
          rs.next();
          out.put("rows " + r[0] + "." + r[1], rs.getLong(1) + " " + rs.getString(2));
        }
      }
      query(st, "SELECT string_agg(sequencename || '=' || coalesce(last_value::text, 'null'), ',' ORDER BY sequencename) FROM pg_sequences",
          "sequences", out);
      query(st, "SELECT string_agg(oid::text || ':' || md5(lo_get(oid)), ',' ORDER BY oid) FROM pg_largeobject_metadata", "large objects", out);
      query(st, "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum", "enum labels", out);
      query(st, "SELECT string_agg(c.relname || '.' || tgname, ',' ORDER BY tgname) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
          + " WHERE NOT tgisinternal", "triggers", out);
      query(st, "SELECT string_agg(table_schema || '.' || table_name || '.' || column_name || ' ' || data_type || ' ' || coalesce(generation_expression, '')"
          + " || ' ' || is_identity, ',' ORDER BY table_schema, table_name, ordinal_position) FROM information_schema.columns"
          + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')", "columns", out);
      query(st, "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog')", "indexes", out);
      query(st, "SELECT string_agg(c.relname || ':' || pg_get_expr(c.relpartbound, c.oid), ',' ORDER BY c.relname) FROM pg_class c"
          + " WHERE c.relispartition", "partitions", out);
      query(st, "SELECT string_agg(viewname || ':' || definition, ',' ORDER BY viewname) FROM pg_views WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
          "views", out);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static void query(Statement st, String sql, String key, Map<String, String> out) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      out.put(key, String.valueOf(rs.getString(1)));
    }
  }

  @Override
  public void close() {
    try {
      pg.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
