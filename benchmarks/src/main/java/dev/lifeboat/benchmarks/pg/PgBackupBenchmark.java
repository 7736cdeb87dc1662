package dev.lifeboat.benchmarks.pg;

import static dev.lifeboat.benchmarks.Bench.deleteTree;
import static dev.lifeboat.benchmarks.Bench.folderSize;
import static dev.lifeboat.benchmarks.Bench.median;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times Lifeboat's PostgreSQL backup and restore against plain {@code pg_dump -Fc -f file} and
 * {@code pg_restore} on the same database, in the same run, alternating, and prints medians and
 * ratios.
 *
 * <p>Every Lifeboat run is a fresh JVM limited to a 64 MB heap: the CLI as {@code java -Xmx64m -jar
 * cli/target/lifeboat.jar}, the library through {@link LibraryBackup} and {@link LibraryRestore}.
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * mvn -B -q -pl benchmarks exec:java -Dexec.mainClass=dev.lifeboat.benchmarks.pg.PgBackupBenchmark \
 *     -Dexec.args="--rows 1000000 --rounds 3"
 * </pre>
 */
public final class PgBackupBenchmark {
  private final Path work;
  private final Path cliJar;
  private final String classPath = System.getProperty("java.class.path");
  private final String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  private final Map<String, List<Double>> seconds = new LinkedHashMap<>();
  private final Map<String, Long> sizes = new LinkedHashMap<>();
  private int port;
  private int counter;
  /** Rows of the warm-up database: enough that a restore of it compiles the restore path's loops. */
  private static final long WARMUP_ROWS = 50_000;

  private PgBackupBenchmark(Path work, Path cliJar) {
    this.work = work;
    this.cliJar = cliJar;
  }

  public static void main(String[] args) throws Exception {
    long rows = 1_000_000;
    int rounds = 3;
    Path cliJar = Paths.get("cli/target/lifeboat.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows": rows = Long.parseLong(args[++i]); break;
        case "--rounds": rounds = Integer.parseInt(args[++i]); break;
        case "--cli-jar": cliJar = Paths.get(args[++i]); break;
        default: throw new IllegalArgumentException("Unknown option " + args[i] + "; use --rows N --rounds N --cli-jar PATH");
      }
    }
    if (!Files.isRegularFile(cliJar)) {
      // The benchmark may run from the benchmarks folder (exec:java sets it as the working directory).
      Path parent = Paths.get("..").resolve(cliJar).normalize();
      if (Files.isRegularFile(parent)) {
        cliJar = parent;
      } else {
        throw new IllegalStateException(cliJar.toAbsolutePath() + " is missing: run 'mvn -B -q package -DskipTests' first.");
      }
    }
    Path work = Files.createTempDirectory("lifeboat-bench-");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("max_wal_size", "4GB").start()) {
      PgBackupBenchmark bench = new PgBackupBenchmark(work, cliJar.toAbsolutePath());
      bench.port = pg.getPort();
      bench.populate(rows);
      bench.run(rounds);
      bench.report(rows, rounds);
    } finally {
      deleteTree(work);
    }
  }

  private String jdbcUrl(String db) {
    return "jdbc:postgresql://localhost:" + port + "/" + db;
  }

  private String url(String db) {
    return "postgresql://postgres@localhost:" + port + "/" + db;
  }

  /**
   * Fills {@code bench} with {@code rows} orders, and the small {@code warmup} database with the
   * same tables, whose snapshot a warmed library restore loads first.
   */
  private void populate(long rows) throws Exception {
    populate("bench", rows);
    populate("warmup", WARMUP_ROWS);
    List<String> backup = List.of(launcher(), "backup", "--source", url("warmup"), "--target", work.resolve("warmup-store").toString());
    Process p = new ProcessBuilder(backup).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("The warm-up backup failed: " + String.join(" ", backup));
    }
  }

  private void populate(String database, long rows) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    long started = System.nanoTime();
    try (Connection c = DriverManager.getConnection(jdbcUrl(database), "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text NOT NULL, created_at timestamptz NOT NULL)");
      s.execute("INSERT INTO customers SELECT g, 'customer ' || g, 'c' || g || '@example.com', now() - g * interval '1 minute'"
          + " FROM generate_series(1, " + Math.max(1, rows / 10) + ") g");
      s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL REFERENCES customers,"
          + " amount numeric(12,2) NOT NULL, status text NOT NULL, note text, payload jsonb, created_at timestamptz NOT NULL)");
      s.execute("INSERT INTO orders SELECT g, 1 + (g % " + Math.max(1, rows / 10) + "), (g % 100000) / 100.0,"
          + " (ARRAY['new','paid','shipped','returned'])[1 + g % 4], md5(g::text) || ' ' || md5((g * 7)::text),"
          + " jsonb_build_object('sku', 'SKU-' || (g % 5000), 'qty', g % 9, 'tags', jsonb_build_array('a', g % 13)),"
          + " now() - g * interval '1 second' FROM generate_series(1, " + rows + ") g");
      s.execute("CREATE INDEX orders_customer ON orders(customer_id)");
      s.execute("VACUUM ANALYZE");
    }
    System.err.printf(Locale.ROOT, "populated %s: %,d orders (+%,d customers) in %.1f s%n", database, rows, rows / 10,
        (System.nanoTime() - started) / 1e9);
  }

  private void run(int rounds) throws Exception {
    for (int round = 1; round <= rounds; round++) {
      // Alternate the order so that neither side always runs on a warmer cache.
      List<String> order = new ArrayList<>(List.of("backup: pg_dump -Fc", "backup: pg_dump -Fc -Z0 > /dev/null (the limit)",
          "backup: lifeboat CLI (default: -Z0 + zstd)", "backup: lifeboat CLI, java -jar (no launcher)",
          "backup: lifeboat library (default: -Z0 + zstd)", "backup: lifeboat CLI --compression none (pg_dump gzip)"));
      if (round % 2 == 0) {
        Collections.reverse(order);
      }
      for (String name : order) {
        timeBackup(name, round);
      }
      List<String> restores = new ArrayList<>(List.of("restore: createdb + pg_restore", "restore: lifeboat CLI",
          "restore: lifeboat CLI, java -jar (no launcher)", "restore: lifeboat library",
          "restore: lifeboat library, after one small restore",
          "drill: createdb + pg_restore + counts + dropdb", "drill: lifeboat CLI"));
      if (round % 2 == 0) {
        Collections.reverse(restores);
      }
      for (String name : restores) {
        timeRestore(name);
      }
    }
  }

  private void timeBackup(String name, int round) throws Exception {
    Path dir = work.resolve("b" + (++counter));
    Files.createDirectories(dir);
    List<String> cmd;
    if (name.startsWith("backup: pg_dump -Fc -Z0")) {
      cmd = List.of("sh", "-c", "pg_dump -h localhost -p " + port + " -U postgres -Fc -Z0 bench > /dev/null");
    } else if (name.startsWith("backup: pg_dump")) {
      cmd = List.of("pg_dump", "-h", "localhost", "-p", Integer.toString(port), "-U", "postgres", "-Fc",
          "-f", dir.resolve("plain.dump").toString(), "bench");
    } else if (name.contains("CLI --compression none")) {
      cmd = List.of(launcher(), "backup", "--source", url("bench"), "--target", dir.toString(), "--compression", "none");
    } else if (name.contains("java -jar")) {
      cmd = List.of(javaBin, "-Xmx64m", "-jar", cliJar.toString(), "backup", "--source", url("bench"), "--target", dir.toString());
    } else if (name.contains("CLI")) {
      cmd = List.of(launcher(), "backup", "--source", url("bench"), "--target", dir.toString());
    } else {
      cmd = List.of(javaBin, "-Xmx64m", "-cp", classPath, LibraryBackup.class.getName(), url("bench"), dir.toString());
    }
    double s = time(name, cmd);
    seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
    sizes.put(name, folderSize(dir));
    if (round == 1 && name.equals("backup: pg_dump -Fc")) {
      Files.copy(dir.resolve("plain.dump"), work.resolve("plain.dump"));
    }
    if (round == 1 && name.equals("backup: lifeboat CLI (default: -Z0 + zstd)")) {
      Files.move(dir, work.resolve("store"));
    } else {
      deleteTree(dir);
    }
    System.err.printf(Locale.ROOT, "%-55s %6.2f s%n", name, s);
  }

  private void timeRestore(String name) throws Exception {
    String db = "restored" + (++counter);
    List<String> cmd;
    if (name.equals("drill: createdb + pg_restore + counts + dropdb")) {
      // What a drill script does by hand: restore, count every table, drop the copy.
      String target = "-h localhost -p " + port + " -U postgres";
      cmd = List.of("sh", "-c", "createdb " + target + " " + db + " && pg_restore " + target + " -d " + db
          + " --exit-on-error " + work.resolve("plain.dump") + " && psql -q " + target + " -d " + db
          + " -c 'SELECT count(*) FROM customers' -c 'SELECT count(*) FROM orders' > /dev/null && dropdb " + target + " " + db);
    } else if (name.equals("drill: lifeboat CLI")) {
      cmd = List.of(launcher(), "drill", "--target", work.resolve("store").toString(), "--snapshot", "latest",
          "--into", url("postgres"), "--report-dir", work.resolve("drills").toString());
    } else if (name.equals("restore: createdb + pg_restore")) {
      // The runbook's two steps; Lifeboat creates the database itself, so both sides do the same work.
      String target = "-h localhost -p " + port + " -U postgres";
      cmd = List.of("sh", "-c", "createdb " + target + " " + db + " && pg_restore " + target + " -d " + db
          + " --exit-on-error " + work.resolve("plain.dump"));
    } else if (name.contains("java -jar")) {
      cmd = List.of(javaBin, "-Xmx64m", "-jar", cliJar.toString(), "restore", "--target", work.resolve("store").toString(),
          "--snapshot", "latest", "--destination", url(db));
    } else if (name.contains("CLI")) {
      cmd = List.of(launcher(), "restore", "--target", work.resolve("store").toString(),
          "--snapshot", "latest", "--destination", url(db));
    } else if (name.contains("after one small restore")) {
      String warmup = "warmup" + counter;
      cmd = List.of(javaBin, "-Xmx64m", "-cp", classPath, LibraryRestore.class.getName(),
          work.resolve("store").toString(), url(db), work.resolve("warmup-store").toString(), url(warmup), jdbcUrl("postgres"), warmup);
    } else {
      cmd = List.of(javaBin, "-Xmx64m", "-cp", classPath, LibraryRestore.class.getName(),
          work.resolve("store").toString(), url(db));
    }
    double s = time(name, cmd);
    if (!name.contains("after one small restore")) {
      // That JVM's whole time includes its warm-up restore; only its timed call is compared.
      seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
    }
    if (name.startsWith("restore")) {
      // A drill drops its copy itself, within its time.
      try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
          Statement st = c.createStatement()) {
        st.execute("DROP DATABASE " + db);
      }
    }
    System.err.printf(Locale.ROOT, "%-55s %6.2f s%n", name, s);
  }

  /** The launcher the build ships beside the jar (bin/lifeboat), as users start the CLI; JAVA_OPTS gives it the 64 MB heap. */
  private String launcher() {
    return cliJar.getParent().resolve("bin").resolve("lifeboat").toString();
  }

  /** Runs a command; returns its wall time, and records a library run's own call time under {@code name + " (call only)"}. */
  private double time(String name, List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("JAVA_OPTS", "-Xmx64m");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    long started = System.nanoTime();
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    int exit = p.waitFor();
    double s = (System.nanoTime() - started) / 1e9;
    if (exit != 0) {
      throw new IllegalStateException("Command failed with exit " + exit + ": " + String.join(" ", cmd));
    }
    out.lines().filter(l -> l.startsWith("call-seconds=")).findFirst().ifPresent(l ->
        seconds.computeIfAbsent(name + " (call only)", k -> new ArrayList<>()).add(Double.parseDouble(l.substring(13))));
    return s;
  }

  private void report(long rows, int rounds) {
    double dump = median(seconds.get("backup: pg_dump -Fc"));
    double limit = median(seconds.get("backup: pg_dump -Fc -Z0 > /dev/null (the limit)"));
    double restore = median(seconds.get("restore: createdb + pg_restore"));
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%nPostgreSQL backup/restore, %,d orders + %,d customers, median of %d, Lifeboat JVMs at -Xmx64m, %d cores%n",
        rows, rows / 10, rounds, Runtime.getRuntime().availableProcessors()));
    out.append(String.format(Locale.ROOT, "| %-62s | %9s | %14s | %14s | %12s |%n", "run", "median s", "vs raw tool", "vs the limit", "stored MiB"));
    out.append("|").append("-".repeat(64)).append("|").append("-".repeat(11)).append("|").append("-".repeat(16)).append("|")
        .append("-".repeat(16)).append("|").append("-".repeat(14)).append("|\n");
    for (Map.Entry<String, List<Double>> e : seconds.entrySet()) {
      double m = median(e.getValue());
      double base = e.getKey().startsWith("backup") ? dump
          : e.getKey().startsWith("drill") ? median(seconds.get("drill: createdb + pg_restore + counts + dropdb")) : restore;
      Long size = sizes.get(e.getKey().replace(" (call only)", ""));
      String vsLimit = e.getKey().startsWith("backup") ? String.format(Locale.ROOT, "%.2fx", m / limit) : "";
      out.append(String.format(Locale.ROOT, "| %-62s | %9.2f | %13.2fx | %14s | %12s |%n", e.getKey(), m, m / base, vsLimit,
          size == null || size == 0 ? "" : String.format(Locale.ROOT, "%.1f", size / 1048576.0)));
    }
    System.out.println(out);
  }
}
