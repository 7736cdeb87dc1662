package dev.lifeboat.mongo.jsonb;

import dev.lifeboat.Check;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.Formats;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Verification;
import dev.lifeboat.mongo.archive.CollectionMetadata;
import dev.lifeboat.mongo.archive.Selection;
import dev.lifeboat.postgres.PgConnections;
import dev.lifeboat.postgres.PgErrors;
import dev.lifeboat.postgres.PgExpectations;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.postgres.Sql;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a JSONB standby loaded from a {@code mongo-archive}: each collection's table exists with
 * its {@code data jsonb} column and holds exactly the manifest's number of documents. Expectations
 * mean what they mean for any PostgreSQL database ({@link PgExpectations}): SQL queries run as one
 * read-only {@code SELECT} and must return a single {@code true}; freshness reads the newest
 * value of a date field of {@code data}, measured against the database's {@code now()}; a
 * standby has no foreign keys, so that check passes with a note.
 *
 * <p>The session is read-only, so an expectation cannot change the standby. A destination that
 * cannot be reached, refuses the login or does not exist is a CONNECTION or AUTHENTICATION error
 * (exit 1), never a failed verification.
 */
public final class JsonbStandbyVerifier implements RestoreVerifier {
  private final ProviderContext context;

  /** A verifier that takes settings and the destination's secrets from {@code context}. */
  public JsonbStandbyVerifier(ProviderContext context) {
    this.context = context;
  }

  @Override
  public boolean accepts(String format, Location destination) {
    return Formats.MONGO_ARCHIVE.equals(format) && PgLocation.accepts(destination);
  }

  @Override
  public Verification verify(Manifest manifest, Location destination, List<String> tables, List<Expectation> expectations) {
    PgLocation dest = PgLocation.parse(destination, context.secrets());
    String schema = StandbySchema.of(dest, context.settings(), Map.of());
    Map<String, String> names = TableNames.derive(Selection.all(manifest).stream().map(InventoryItem::name).toList());
    List<Check> checks = new ArrayList<>();
    try (Connection conn = PgConnections.openReadOnly(dest)) {
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
            ResultSet rs = st.executeQuery("SELECT count(*) FROM " + Sql.qualified(schema, table))) {
          rs.next();
          count = rs.getLong(1);
        }
        String name = "count " + item.name();
        checks.add(count == item.count() ? Check.passed(name, count + " rows")
            : Check.failed(name, "expected " + item.count() + ", found " + count));
      }
      checks.addAll(PgExpectations.evaluate(conn, dest, expectations, new Layout(schema, names)));
    } catch (SQLException e) {
      // A verification that could not run is an operation failure (exit 1), never a failed check (3).
      throw PgErrors.map(e, dest, "verifying snapshot " + manifest.id(), ErrorCode.CONNECTION);
    }
    return new Verification(manifest.id(), dest.redacted(), checks);
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
   * A standby's layout for expectations: a table names a collection (its table in the standby
   * schema), a column a field of the documents whose values are Extended JSON dates, as
   * {@link StandbyJson} writes them ({@code {"$date": "…"}} or {@code {"$date": {"$numberLong": "…"}}}).
   */
  private record Layout(String schema, Map<String, String> tables) implements PgExpectations.Layout {
    @Override
    public String relation(String table) {
      return Sql.qualified(schema, tables.getOrDefault(table, table));
    }

    @Override
    public String timestamp(String column) {
      String date = "data->" + Sql.literal(column) + "->'$date'";
      return "CASE WHEN jsonb_typeof(" + date + ") = 'string' THEN (" + date + " #>> '{}')::timestamptz"
          + " ELSE to_timestamp((" + date + "->>'$numberLong')::numeric / 1000) END";
    }

    @Override
    public Optional<String> noForeignKeys() {
      return Optional.of("a JSONB standby has no foreign keys");
    }
  }
}
