package dev.lifeboat.pgdump;

import dev.lifeboat.Check;
import dev.lifeboat.Column;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Verification;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a PostgreSQL database restored from a {@code pg-custom} or {@code pg-directory} snapshot:
 * every table of the manifest exists with the same columns (names and types, in order) and
 * indexes, and holds exactly the manifest's row count; plus the user's expectations (SQL that must
 * be true, freshness of a timestamp column, no orphaned foreign-key rows). One check per fact. A
 * verification of the whole snapshot (no tables named) also fails on tables and views the
 * snapshot does not have ({@code unexpected objects}).
 */
public final class PgRestoreVerifier implements RestoreVerifier {
  private final ProviderContext context;

  /** A verifier that takes the destination's secrets from {@code context}. */
  public PgRestoreVerifier(ProviderContext context) {
    this.context = context;
  }

  @Override
  public boolean accepts(String format, Location destination) {
    return (format.equals(PgBackupSource.FORMAT_CUSTOM) || format.equals(PgBackupSource.FORMAT_DIRECTORY))
        && PgDumpProvider.SCHEMES.contains(destination.scheme());
  }

  /**
   * {@inheritDoc}
   *
   * <p>A destination that cannot be reached, refuses the credentials or does not exist is not a
   * failed check but a failed operation: it throws {@code CONNECTION} or {@code AUTHENTICATION}
   * (exit status 1), so that monitoring can tell an outage from a bad backup (exit status 3).
   * Every statement runs in read-only transactions; expectations run as one {@code SELECT}.
   */
  @Override
  public Verification verify(Manifest manifest, Location destination, List<String> tables, List<Expectation> expectations) {
    PgConnectionInfo info = PgConnectionInfo.parse(destination).resolvePassword(context.secrets());
    List<Check> checks = new ArrayList<>();
    try (Connection c = connect(info)) {
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        // The verifier only reads: whatever it runs, the session refuses to write.
        st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
      }
      for (InventoryItem item : items(manifest, tables, checks)) {
        checkItem(c, item, checks, info);
      }
      if (tables.isEmpty()) {
        checks.add(unexpectedObjects(c, manifest, info));
      }
      for (Expectation e : expectations) {
        checkExpectation(c, e, checks, info);
      }
    } catch (SQLException e) {
      throw info.connectionFailure(e);
    }
    return new Verification(manifest.id(), info.redactedUri(), checks);
  }

  /** Connects; a missing database is a failed operation here, not a usage error (nothing to create, nothing to verify). */
  private static Connection connect(PgConnectionInfo info) {
    try {
      return info.connect();
    } catch (LifeboatException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        throw new LifeboatException(ErrorCode.CONNECTION, "Database '" + info.database() + "' does not exist at "
            + info.redactedUri() + ", so there is nothing to verify. Check the name, or restore the snapshot into it first.", e);
      }
      throw e;
    }
  }

  /** A statement that failed because the connection did (server gone, session ended) fails the whole verification. */
  private static void rethrowIfDisconnected(SQLException e, PgConnectionInfo info) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.startsWith("08") || state.startsWith("57P")) {
      throw info.connectionFailure(e);
    }
  }

  /** Relations of the destination that the snapshot does not have: a full restore must not leave any behind. */
  private static Check unexpectedObjects(Connection c, Manifest manifest, PgConnectionInfo info) {
    String name = "unexpected objects";
    try {
      Set<String> expected = manifest.inventory().items().stream().map(InventoryItem::qualifiedName).collect(Collectors.toSet());
      List<String> extra = PgCatalog.relations(c).stream().filter(r -> !expected.contains(r.qualifiedName()))
          .map(r -> r.kind() + " " + r.qualifiedName()).toList();
      if (extra.isEmpty()) {
        return Check.passed(name, "none: every table and view is in the snapshot");
      }
      return Check.failed(name, Words.count(extra.size(), "object", "objects") + " the snapshot does not have: "
          + Words.firstOf(extra, 10));
    } catch (SQLException e) {
      rethrowIfDisconnected(e, info);
      return Check.failed(name, "cannot list the destination's tables: " + Words.clause(info.redact(e.getMessage())));
    }
  }

  private static List<InventoryItem> items(Manifest manifest, List<String> tables, List<Check> checks) {
    if (tables.isEmpty()) {
      return manifest.inventory().items();
    }
    List<InventoryItem> out = new ArrayList<>();
    for (String t : tables) {
      String[] parts = Sql.splitQualified(t);
      String name = parts[0] == null ? parts[1] : parts[0] + "." + parts[1];
      Optional<InventoryItem> item = manifest.inventory().find(name);
      if (item.isPresent()) {
        out.add(item.get());
      } else {
        checks.add(Check.failed("exists " + t, "the snapshot's manifest has no table " + t));
      }
    }
    return out;
  }

  private static void checkItem(Connection c, InventoryItem item, List<Check> checks, PgConnectionInfo info) {
    String q = item.qualifiedName();
    try {
      Optional<PgCatalog.Relation> found = PgCatalog.find(c, item.namespace(), item.name());
      if (found.isEmpty()) {
        checks.add(Check.failed("exists " + q, item.kind() + " is missing"));
        return;
      }
      PgCatalog.Relation r = found.get();
      if (!r.kind().equals(item.kind())) {
        checks.add(Check.failed("exists " + q, "expected a " + item.kind() + ", found a " + r.kind()));
      } else {
        checks.add(Check.passed("exists " + q, item.kind()));
      }
      if (!item.columns().isEmpty()) {
        List<Column> actual = PgCatalog.columns(c, r.oid());
        if (actual.equals(item.columns())) {
          checks.add(Check.passed("columns " + q, Words.count(actual.size(), "column", "columns")));
        } else {
          checks.add(Check.failed("columns " + q, "expected " + describe(item.columns()) + ", found " + describe(actual)));
        }
      }
      if (!item.indexes().isEmpty()) {
        List<String> actual = PgCatalog.indexes(c, r.oid());
        List<String> missing = item.indexes().stream().filter(i -> !actual.contains(i)).toList();
        if (missing.isEmpty()) {
          checks.add(Check.passed("indexes " + q, Words.count(item.indexes().size(), "index", "indexes")));
        } else {
          checks.add(Check.failed("indexes " + q, "missing " + String.join(", ", missing)));
        }
      }
      if (item.counted()) {
        long count = r.counted() ? PgCatalog.count(c, r) : -1;
        String detail = "expected " + item.count() + ", found " + count;
        checks.add(count == item.count() ? Check.passed("count " + q, detail) : Check.failed("count " + q, detail));
      }
    } catch (SQLException e) {
      rethrowIfDisconnected(e, info);
      checks.add(Check.failed("read " + q, Words.clause(info.redact(e.getMessage()))));
    }
  }

  private static String describe(List<Column> columns) {
    return columns.stream().map(col -> col.name() + " " + col.type()).collect(Collectors.joining(", ", "(", ")"));
  }

  private static void checkExpectation(Connection c, Expectation e, List<Check> checks, PgConnectionInfo info) {
    if (e instanceof Expectation.QueryIsTrue q) {
      checks.add(queryIsTrue(c, q, info));
    } else if (e instanceof Expectation.FreshWithin f) {
      checks.add(freshWithin(c, f, info));
    } else if (e instanceof Expectation.NoOrphanedForeignKeys) {
      checks.addAll(noOrphans(c, info));
    }
  }

  /**
   * Runs the user's query as a subquery of one {@code SELECT} (so it is one statement, and a
   * data-modifying {@code WITH} is refused) in a read-only transaction that is rolled back.
   */
  private static Check queryIsTrue(Connection c, Expectation.QueryIsTrue q, PgConnectionInfo info) {
    String name = "query " + q.description();
    String sql = "SELECT * FROM (\n" + withoutTrailingSemicolons(q.query()) + "\n) AS lifeboat_expectation";
    try {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("SET TRANSACTION READ ONLY");
        try (ResultSet rs = st.executeQuery(sql)) {
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
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException ex) {
      rethrowIfDisconnected(ex, info);
      String state = ex.getSQLState() == null ? "" : ex.getSQLState();
      boolean shape = state.equals("25006") || state.equals("0A000") || state.equals("42601");
      return Check.failed(name, "failed: " + Words.clause(info.redact(ex.getMessage()))
          + (shape ? " (a check runs as one read-only SELECT, which must not change data)" : ""));
    }
  }

  private static String withoutTrailingSemicolons(String query) {
    String out = query.strip();
    while (out.endsWith(";")) {
      out = out.substring(0, out.length() - 1).strip();
    }
    return out;
  }

  private static Check freshWithin(Connection c, Expectation.FreshWithin f, PgConnectionInfo info) {
    String[] parts = Sql.splitQualified(f.table());
    String table = Sql.qualified(parts[0], parts[1]);
    String name = "fresh " + f.table() + "." + f.column();
    String sql = "SELECT max(" + Sql.ident(f.column()) + ")::timestamptz, now() - max(" + Sql.ident(f.column())
        + ")::timestamptz <= make_interval(secs => ?), extract(epoch FROM now() - max(" + Sql.ident(f.column())
        + ")::timestamptz) FROM " + table;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setDouble(1, f.maxAge().toMillis() / 1000.0);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getObject(1) == null) {
          return Check.failed(name, "no rows, so nothing is fresh (limit " + f.maxAge() + ")");
        }
        Duration age = Duration.ofMillis(Math.round(rs.getDouble(3) * 1000));
        String detail = "newest " + rs.getTimestamp(1).toInstant() + " is " + age + " old, limit " + f.maxAge();
        return rs.getBoolean(2) ? Check.passed(name, detail) : Check.failed(name, detail);
      }
    } catch (SQLException ex) {
      rethrowIfDisconnected(ex, info);
      return Check.failed(name, "failed: " + Words.clause(info.redact(ex.getMessage())));
    }
  }

  /** One check per foreign key (partition clones excluded): rows whose parent row is missing. */
  private static List<Check> noOrphans(Connection c, PgConnectionInfo info) {
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
      rethrowIfDisconnected(ex, info);
      out.add(Check.failed("foreign keys", "cannot read them: " + Words.clause(info.redact(ex.getMessage()))));
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
        rethrowIfDisconnected(ex, info);
        out.add(Check.failed(name, "failed: " + Words.clause(info.redact(ex.getMessage()))));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "PgRestoreVerifier";
  }
}
