package dev.lifeboat.mongo.tck;

import dev.lifeboat.Location;
import dev.lifeboat.mongo.jsonb.TableNames;
import dev.lifeboat.postgres.Sql;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** An embedded PostgreSQL holding JSONB standbys, one schema per destination. */
final class StandbySeed implements AutoCloseable {
  final EmbeddedPostgres pg;
  private final AtomicInteger n = new AtomicInteger();

  StandbySeed() {
    try {
      pg = EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Location schema(String name) {
    return Location.parse("postgresql://postgres@localhost:" + pg.getPort() + "/postgres?currentSchema=" + name);
  }

  Location fresh() {
    return schema("standby_" + n.incrementAndGet());
  }

  static String schemaOf(Location l) {
    return l.raw().substring(l.raw().indexOf("currentSchema=") + "currentSchema=".length());
  }

  /** A schema with a table named like the source's orders collection, holding one row. */
  Location busy() {
    sql("CREATE SCHEMA IF NOT EXISTS busy", "CREATE TABLE IF NOT EXISTS busy.orders (_id text primary key, data jsonb)",
        "INSERT INTO busy.orders VALUES ('\"x\"', '{}') ON CONFLICT DO NOTHING");
    return schema("busy");
  }

  /** Deletes the row with the smallest id from the destination's table for the collection. */
  void removeOne(Location destination, String collection) {
    String table = Sql.ident(schemaOf(destination)) + "." + Sql.ident(collection);
    sql("DELETE FROM " + table + " WHERE _id = (SELECT min(_id) FROM " + table + ")");
  }

  void sql(String... statements) {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Rows of every table of the destination's schema, keyed as the source's {@code shop.collection}. */
  Map<String, Long> count(Location destination) {
    String schema = schemaOf(destination);
    Map<String, String> tables = TableNames.derive(List.of("orders", "customers", "empty"));
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      for (Map.Entry<String, String> t : tables.entrySet()) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema
            + "' AND tablename = '" + t.getValue() + "'")) {
          rs.next();
          if (rs.getLong(1) == 0) {
            continue;
          }
        }
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + Sql.ident(schema) + "." + Sql.ident(t.getValue()))) {
          rs.next();
          out.put("shop." + t.getKey(), rs.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
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
