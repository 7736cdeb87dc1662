package dev.lifeboat.mongo;

import dev.lifeboat.Check;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.InventoryItem;
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
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a JSONB standby loaded from a {@code mongo-archive}: each collection's table exists with
 * its {@code data jsonb} column and holds exactly the manifest's number of documents. Expectations:
 * SQL queries must return a single {@code true}; freshness reads {@code max} of a date field of
 * {@code data}; foreign keys do not exist in a standby, so that check passes with a note.
 *
 * <p>The session is read-only, so an expectation cannot change the standby (a data-modifying
 * {@code WITH} fails its check). A destination that cannot be reached, refuses the login or does
 * not exist is a CONNECTION or AUTHENTICATION error (exit 1), never a failed verification.
 */
final class JsonbStandbyVerifier implements RestoreVerifier {
  private final ProviderContext context;

  JsonbStandbyVerifier(ProviderContext context) {
    this.context = context;
  }

  @Override
  public boolean accepts(String format, Location destination) {
    return MongoArchiveDump.FORMAT.equals(format) && PgDestination.accepts(destination);
  }

  @Override
  public Verification verify(Manifest manifest, Location destination, List<String> tables, List<Expectation> expectations) {
    PgDestination dest = PgDestination.parse(destination, context.secrets());
    String schema = dest.schema(new MongoSettings(context, null));
    Map<String, String> names = TableNames.derive(Selection.all(manifest).stream().map(InventoryItem::name).toList());
    List<Check> checks = new ArrayList<>();
    try (Connection conn = dest.connect()) {
      // Every check reads only: the user's SQL expectations too, whatever they say.
      try (Statement st = conn.createStatement()) {
        st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
      }
      for (InventoryItem item : Selection.items(manifest, tables)) {
        if (CollectionMetadata.VIEW.equals(item.kind())) {
          checks.add(Check.skipped("table " + item.name(), "a view has no table in a JSONB standby"));
          continue;
        }
        String table = names.get(item.name());
        String type = dataType(conn, schema, table);
        if (type == null) {
          checks.add(Check.failed("table " + item.name(), "no table " + schema + "." + table + " with a data column"));
          continue;
        }
        if (!type.equals("jsonb")) {
          checks.add(Check.failed("table " + item.name(), schema + "." + table + ".data is " + type + ", not jsonb"));
          continue;
        }
        checks.add(Check.passed("table " + item.name(), schema + "." + table + " (data jsonb)"));
        long count;
        try (Statement st = conn.createStatement();
            ResultSet rs = st.executeQuery("SELECT count(*) FROM " + JsonbStandbyRestorer.qualified(schema, table))) {
          rs.next();
          count = rs.getLong(1);
        }
        checks.add(VerifyChecks.count(item.name(), item.count(), count, "rows"));
      }
      for (Expectation e : expectations) {
        checks.add(expectation(conn, schema, names, e));
      }
    } catch (SQLException e) {
      // A verification that could not run is an operation failure (exit 1), never a failed check (3).
      throw dest.error(e, "Verifying snapshot " + manifest.id() + " in " + dest, ErrorCode.CONNECTION);
    }
    return new Verification(manifest.id(), dest.toString(), checks);
  }

  private static String dataType(Connection conn, String schema, String table) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? AND column_name = 'data'")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /**
   * Evaluates one expectation (read-only, like the whole session). A query that fails is a failed
   * check; a server that went away is thrown, since nothing was verified.
   */
  private Check expectation(Connection conn, String schema, Map<String, String> names, Expectation e) throws SQLException {
    if (e instanceof Expectation.QueryIsTrue q) {
      try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(q.query())) {
        if (!rs.next()) {
          return Check.failed(q.description(), "the query returned no row");
        }
        Object v = rs.getObject(1);
        return Boolean.TRUE.equals(v) ? Check.passed(q.description(), "true") : Check.failed(q.description(), "returned " + v);
      } catch (SQLException ex) {
        if (PgDestination.isOutage(ex)) {
          throw ex;
        }
        return Check.failed(q.description(), "the query failed: " + MongoErrors.text(ex));
      }
    }
    if (e instanceof Expectation.FreshWithin f) {
      String table = names.getOrDefault(f.table(), f.table());
      String sql = "SELECT max(CASE WHEN jsonb_typeof(data->?->'$date') = 'string' THEN (data->?->>'$date')::timestamptz "
          + "ELSE to_timestamp((data->?->'$date'->>'$numberLong')::numeric / 1000) END) FROM "
          + JsonbStandbyRestorer.qualified(schema, table) + " WHERE data->?->'$date' IS NOT NULL";
      try (PreparedStatement ps = conn.prepareStatement(sql)) {
        for (int i = 1; i <= 4; i++) {
          ps.setString(i, f.column());
        }
        try (ResultSet rs = ps.executeQuery()) {
          Timestamp ts = rs.next() ? rs.getTimestamp(1) : null;
          return VerifyChecks.fresh(f.table(), f.column(), ts == null ? null : ts.toInstant(), context.clock().instant(), f.maxAge());
        }
      } catch (SQLException ex) {
        if (PgDestination.isOutage(ex)) {
          throw ex;
        }
        return Check.failed("fresh " + f.table() + "." + f.column(), "the freshness query failed: " + MongoErrors.text(ex));
      }
    }
    return VerifyChecks.noForeignKeys("a JSONB standby has no foreign keys");
  }
}
