package dev.lifeboat.pgdump;

import dev.lifeboat.Location;
import dev.lifeboat.postgres.PgCatalog;
import dev.lifeboat.postgres.PgLocation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The one server the TCK contract classes share (started on first use, stopped when the JVM exits). */
final class TckServer {
  /** Trust authentication ignores it, but it travels in the URI: the contracts check it never shows. */
  static final String PASSWORD = "tck-Secret-77";
  private static TestPg pg;
  private static final AtomicInteger DESTINATIONS = new AtomicInteger();

  private TckServer() {}

  static synchronized TestPg pg() {
    if (pg == null) {
      pg = TestPg.start();
      pg.createDatabase("tck_src");
      pg.exec("tck_src", "CREATE SCHEMA sales;"
          + " CREATE TABLE public.orders (id int PRIMARY KEY, total numeric(10,2));"
          + " INSERT INTO public.orders VALUES (1, 9.99), (2, 20), (3, 0.5);"
          + " CREATE TABLE sales.\"Ünïcode\" (\"Name\" text PRIMARY KEY); INSERT INTO sales.\"Ünïcode\" VALUES ('ä'), ('b');"
          + " CREATE VIEW sales.big_orders AS SELECT * FROM public.orders WHERE total > 10;");
      Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
    }
    return pg;
  }

  static Location source() {
    return Location.parse("postgresql://postgres:" + PASSWORD + "@localhost:" + pg().port() + "/tck_src");
  }

  static Map<String, Long> expectedCounts() {
    return Map.of("public.orders", 3L, "sales.Ünïcode", 2L);
  }

  static Location freshDestination(String prefix) {
    return Location.parse(pg().uri(prefix + "_" + DESTINATIONS.incrementAndGet()));
  }

  /** Exact counts of every table and materialized view of the database, empty when it does not exist. */
  static Map<String, Long> countRecords(Location destination) {
    String db = PgLocation.parse(destination).database();
    Map<String, Long> out = new TreeMap<>();
    if (!pg().databaseExists(db)) {
      return out;
    }
    try (Connection c = pg().connect(db); Statement st = c.createStatement()) {
      for (PgCatalog.Relation r : PgCatalog.relations(c)) {
        if (r.counted()) {
          try (ResultSet rs = st.executeQuery("SELECT count(*) FROM ONLY " + r.sql())) {
            rs.next();
            out.put(r.qualifiedName(), rs.getLong(1));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
