package dev.lifeboat.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What every benchmark here needs: medians of timings, the size of what was stored, cleanup. */
public final class Bench {
  private Bench() {}

  /** The median of {@code values} (the mean of the two middle ones for an even count). */
  public static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** The bytes of every regular file below {@code dir}. */
  public static long folderSize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** Deletes {@code dir} and everything below it; nothing when it does not exist. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }

  /**
   * Creates the database {@code bench} on the PostgreSQL at {@code port} with {@code rows} orders
   * (numeric, text, a 65-character note, a small jsonb document, timestamptz), vacuumed and analysed.
   */
  public static void populateOrders(int port, long rows) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE bench");
    }
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/bench", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL, status text NOT NULL, note text,"
          + " payload jsonb, created_at timestamptz NOT NULL)");
      s.execute("INSERT INTO orders SELECT g, (g % 100000) / 100.0, (ARRAY['new','paid','shipped','returned'])[1 + g % 4],"
          + " md5(g::text) || ' ' || md5((g * 7)::text), jsonb_build_object('sku', 'SKU-' || (g % 5000), 'qty', g % 9),"
          + " now() - g * interval '1 second' FROM generate_series(1, " + rows + ") g");
      s.execute("VACUUM ANALYZE");
    }
  }
}
