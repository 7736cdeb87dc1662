package dev.lifeboat.postgres;

import dev.lifeboat.Check;
import dev.lifeboat.Durations;
import dev.lifeboat.Expectation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates a user's {@link Expectation}s against a PostgreSQL database, with one meaning
 * wherever the database came from:
 *
 * <ul>
 *   <li>{@code query is true}: the query runs as a subquery of one {@code SELECT} (so it is one
 *       statement, and a data-modifying {@code WITH} is refused) in a read-only transaction that is
 *       rolled back; it must return one row of one column, {@code true}. Check {@code query <description>}.
 *   <li>{@code fresh within}: the newest value of the column is at most the limit old, measured
 *       against the database's own {@code now()}, not this machine's clock (they may disagree,
 *       and the data's timestamps were written by the database's). Check {@code fresh <table>.<column>}.
 *   <li>{@code no orphaned foreign keys}: one check per foreign key (partition clones left out),
 *       counting rows whose parent row is missing. Check {@code foreign key <schema>.<table>.<name>}.
 * </ul>
 *
 * <p>A query the server rejects is a failed check. A session that cannot go on (server gone,
 * connection ended) throws {@code CONNECTION}: nothing was verified, so it is a failed operation,
 * never a failed check. Open the connection with {@link PgConnections#openReadOnly}.
 */
public final class PgExpectations {
  /** Plain tables: {@code schema.table} names a relation, a column holds the timestamps, foreign keys exist. */
  public static final Layout TABLES = new Layout() {
    @Override
    public String relation(String table) {
      String[] parts = Sql.splitQualified(table);
      return Sql.qualified(parts[0], parts[1]);
    }

    @Override
    public String timestamp(String column) {
      return Sql.ident(column) + "::timestamptz";
    }
  };

  /**
   * How a database lays out what expectations name: a JSONB standby keeps a collection's
   * documents in one table and the "column" of a freshness check is a field of each document.
   */
  public interface Layout {
    /** The relation a freshness expectation's table names, as SQL. */
    String relation(String table);

    /** A {@code timestamptz} SQL expression for the values of {@code column} in that relation. */
    String timestamp(String column);

    /** Why this layout has no foreign keys to check, or empty when it has them. */
    default Optional<String> noForeignKeys() {
      return Optional.empty();
    }
  }

  private PgExpectations() {}

  /**
   * One or more checks per expectation, in order.
   *
   * @param c a session of {@code at}, ideally {@linkplain PgConnections#openReadOnly read-only}; it is left in auto-commit
   * @param at the database, for messages and redaction
   */
  public static List<Check> evaluate(Connection c, PgLocation at, List<Expectation> expectations, Layout layout) {
    List<Check> checks = new ArrayList<>();
    for (Expectation e : expectations) {
      if (e instanceof Expectation.QueryIsTrue q) {
        checks.add(queryIsTrue(c, q, at));
      } else if (e instanceof Expectation.FreshWithin f) {
        checks.add(freshWithin(c, f, at, layout));
      } else if (e instanceof Expectation.NoOrphanedForeignKeys) {
        Optional<String> none = layout.noForeignKeys();
        if (none.isPresent()) {
          checks.add(Check.passed("foreign keys", none.get()));
        } else {
          checks.addAll(noOrphans(c, at));
        }
      }
    }
    return checks;
  }

  private static Check queryIsTrue(Connection c, Expectation.QueryIsTrue q, PgLocation at) {
    String name = "query " + q.description();
    String sql = "SELECT * FROM (\n" + withoutTrailingSemicolons(q.query()) + "\n) AS lifeboat_expectation";
    Check result = null;
    SQLException failure = null;
    try {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("SET TRANSACTION READ ONLY");
        try (ResultSet rs = st.executeQuery(sql)) {
          result = oneTrue(name, rs);
        }
      }
    } catch (SQLException ex) {
      failure = ex;
    }
    try {
      c.rollback();
      c.setAutoCommit(true);
    } catch (SQLException ex) {
      // Ending the transaction fails when the session is gone; the query's own failure says why, if it failed.
      if (failure == null) {
        failure = ex;
      } else {
        failure.addSuppressed(ex);
      }
    }
    if (failure == null) {
      return result;
    }
    PgErrors.throwIfOutage(failure, at, "checking " + name);
    String state = failure.getSQLState() == null ? "" : failure.getSQLState();
    boolean shape = state.equals("25006") || state.equals("0A000") || state.equals("42601");
    return Check.failed(name, "failed: " + PgErrors.reason(failure, at)
        + (shape ? " (a check runs as one read-only SELECT, which must not change data)" : ""));
  }

  /** Passes when the result is one row of one column holding {@code true}. */
  private static Check oneTrue(String name, ResultSet rs) throws SQLException {
    int columns = rs.getMetaData().getColumnCount();
    if (columns != 1) {
      return Check.failed(name, "expected one boolean column, got " + Words.count(columns, "column", "columns"));
    }
    if (!rs.next()) {
      return Check.failed(name, "expected one row, got none");
    }
    Object value = rs.getObject(1);
    if (rs.next()) {
      return Check.failed(name, "expected one row, got several");
    }
    return Boolean.TRUE.equals(value) ? Check.passed(name, "true") : Check.failed(name, "returned " + value);
  }

  private static String withoutTrailingSemicolons(String query) {
    String out = query.strip();
    while (out.endsWith(";")) {
      out = out.substring(0, out.length() - 1).strip();
    }
    return out;
  }

  private static Check freshWithin(Connection c, Expectation.FreshWithin f, PgLocation at, Layout layout) {
    String name = "fresh " + f.table() + "." + f.column();
    String newest = "max(" + layout.timestamp(f.column()) + ")";
    String sql = "SELECT " + newest + ", now() - " + newest + " <= make_interval(secs => ?), extract(epoch FROM now() - "
        + newest + ") FROM " + layout.relation(f.table());
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setDouble(1, f.maxAge().toMillis() / 1000.0);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getObject(1) == null) {
          return Check.failed(name, "no rows, so nothing is fresh (limit " + Durations.format(f.maxAge()) + ")");
        }
        Duration age = Duration.ofSeconds(Math.round(rs.getDouble(3)));
        String detail = "newest " + rs.getTimestamp(1).toInstant() + " is " + Durations.format(age) + " old, limit "
            + Durations.format(f.maxAge());
        return rs.getBoolean(2) ? Check.passed(name, detail) : Check.failed(name, detail);
      }
    } catch (SQLException ex) {
      PgErrors.throwIfOutage(ex, at, "checking " + name);
      return Check.failed(name, "failed: " + PgErrors.reason(ex, at));
    }
  }

  /** One check per foreign key (partition clones excluded): rows whose parent row is missing. */
  private static List<Check> noOrphans(Connection c, PgLocation at) {
    List<Check> out = new ArrayList<>();
    String sql = "SELECT con.conname, cn.nspname, cl.relname, pn.nspname, pl.relname,"
        + " (SELECT array_agg(a.attname ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(n, i)"
        + "   JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n),"
        + " (SELECT array_agg(a.attname ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY k(n, i)"
        + "   JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n)"
        + " FROM pg_catalog.pg_constraint con"
        + " JOIN pg_catalog.pg_class cl ON cl.oid = con.conrelid JOIN pg_catalog.pg_namespace cn ON cn.oid = cl.relnamespace"
        + " JOIN pg_catalog.pg_class pl ON pl.oid = con.confrelid JOIN pg_catalog.pg_namespace pn ON pn.oid = pl.relnamespace"
        + " WHERE con.contype = 'f' AND con.conparentid = 0 ORDER BY cn.nspname, cl.relname, con.conname";
    List<String[]> keys = new ArrayList<>();
    List<String[][]> columns = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        keys.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)});
        columns.add(new String[][] {(String[]) rs.getArray(6).getArray(), (String[]) rs.getArray(7).getArray()});
      }
    } catch (SQLException ex) {
      PgErrors.throwIfOutage(ex, at, "reading the foreign keys");
      out.add(Check.failed("foreign keys", "cannot read them: " + PgErrors.reason(ex, at)));
      return out;
    }
    if (keys.isEmpty()) {
      out.add(Check.passed("foreign keys", "the database has no foreign keys"));
      return out;
    }
    for (int k = 0; k < keys.size(); k++) {
      String[] key = keys.get(k);
      String[] child = columns.get(k)[0];
      String[] parent = columns.get(k)[1];
      String name = "foreign key " + key[1] + "." + key[2] + "." + key[0];
      StringBuilder on = new StringBuilder();
      StringBuilder notNull = new StringBuilder();
      for (int i = 0; i < child.length; i++) {
        on.append(i == 0 ? "" : " AND ").append("p.").append(Sql.ident(parent[i])).append(" = c.").append(Sql.ident(child[i]));
        notNull.append(" AND c.").append(Sql.ident(child[i])).append(" IS NOT NULL");
      }
      String count = "SELECT count(*) FROM " + Sql.qualified(key[1], key[2]) + " c LEFT JOIN " + Sql.qualified(key[3], key[4])
          + " p ON " + on + " WHERE p." + Sql.ident(parent[0]) + " IS NULL" + notNull;
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(count)) {
        rs.next();
        long orphans = rs.getLong(1);
        String detail = Words.count(orphans, "row", "rows") + " of " + key[1] + "." + key[2] + (orphans == 1 ? " references" : " reference")
            + " missing rows of " + key[3] + "." + key[4];
        out.add(orphans == 0 ? Check.passed(name, "no orphaned rows") : Check.failed(name, detail));
      } catch (SQLException ex) {
        PgErrors.throwIfOutage(ex, at, "checking " + name);
        out.add(Check.failed(name, "failed: " + PgErrors.reason(ex, at)));
      }
    }
    return out;
  }
}
