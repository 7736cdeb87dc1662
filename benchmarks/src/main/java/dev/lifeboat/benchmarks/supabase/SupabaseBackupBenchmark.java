package dev.lifeboat.benchmarks.supabase;

import static dev.lifeboat.benchmarks.Bench.deleteTree;
import static dev.lifeboat.benchmarks.Bench.folderSize;
import static dev.lifeboat.benchmarks.Bench.median;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times a Supabase-aware backup ({@code lifeboat backup --source supabase://REF}, reaching the
 * database through {@code SUPABASE_DB_URL}) against {@code pg_dump -Fc} of the same database, on an
 * embedded PostgreSQL shaped like a Supabase project (its roles and managed schemas) whose user
 * schema holds the rows: alternating, fresh processes, medians and the ratio.
 *
 * <pre>
 * benchmarks/run-supabase.sh [--rows N] [--rounds N]
 * </pre>
 */
public final class SupabaseBackupBenchmark {
  private static final String REF = "benchmarkprojectrefa";
  private static final String RAW = "pg_dump -Fc";
  private static final String LIFEBOAT = "lifeboat backup --source supabase:// (launcher)";
  private final Path work;
  private final Path launcher;
  private final int port;
  private final Map<String, List<Double>> seconds = new LinkedHashMap<>();
  private final Map<String, Long> bytes = new LinkedHashMap<>();
  private int counter;

  private SupabaseBackupBenchmark(Path work, Path launcher, int port) {
    this.work = work;
    this.launcher = launcher;
    this.port = port;
  }

  public static void main(String[] args) throws Exception {
    long rows = 1_000_000;
    int rounds = 3;
    Path launcher = Paths.get("cli/target/bin/lifeboat");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows": rows = Long.parseLong(args[++i]); break;
        case "--rounds": rounds = Integer.parseInt(args[++i]); break;
        case "--launcher": launcher = Paths.get(args[++i]); break;
        default: throw new IllegalArgumentException("Unknown option " + args[i] + "; use --rows N --rounds N --launcher PATH");
      }
    }
    if (!Files.isRegularFile(launcher)) {
      throw new IllegalStateException(launcher.toAbsolutePath() + " is missing: run 'mvn -B -q install -DskipTests' first.");
    }
    Path work = Files.createTempDirectory("lifeboat-supabase-bench-");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      SupabaseBackupBenchmark bench = new SupabaseBackupBenchmark(work, launcher.toAbsolutePath(), pg.getPort());
      bench.populate(pg, rows);
      bench.run(rounds);
      bench.report(rows, rounds);
    } finally {
      deleteTree(work);
    }
  }

  /** The Supabase-shaped project of the provider's tests, plus {@code rows} orders in the user's schema. */
  private void populate(EmbeddedPostgres pg, long rows) throws Exception {
    // The provider's own fixture, read from the checkout (run-supabase.sh runs in the benchmarks folder).
    Path fixture = Path.of("..", "provider-supabase", "src", "test", "resources", "supabase-project.sql");
    String sql = Files.readString(fixture, StandardCharsets.UTF_8);
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
      s.execute("CREATE TABLE public.orders (id bigint PRIMARY KEY, owner uuid REFERENCES auth.users (id),"
          + " amount numeric(12,2) NOT NULL, status text NOT NULL, note text, payload jsonb, created_at timestamptz NOT NULL)");
      s.execute("INSERT INTO public.orders SELECT g, ('00000000-0000-0000-0000-' || lpad((1 + g % 25)::text, 12, '0'))::uuid,"
          + " (g % 100000) / 100.0, (ARRAY['new','paid','shipped','returned'])[1 + g % 4],"
          + " md5(g::text) || ' ' || md5((g * 7)::text), jsonb_build_object('sku', 'SKU-' || (g % 5000), 'qty', g % 9),"
          + " now() - g * interval '1 second' FROM generate_series(1, " + rows + ") g");
      s.execute("ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY");
      s.execute("CREATE POLICY \"own orders\" ON public.orders FOR SELECT TO authenticated USING (owner = auth.uid())");
      s.execute("VACUUM ANALYZE");
    }
  }

  private void run(int rounds) throws Exception {
    for (int round = 1; round <= rounds; round++) {
      List<String> order = new ArrayList<>(List.of(RAW, LIFEBOAT));
      if (round % 2 == 0) {
        Collections.reverse(order);
      }
      for (String name : order) {
        Path out = work.resolve("r" + (++counter));
        List<String> cmd = name.equals(RAW)
            ? List.of("pg_dump", "-Fc", "-h", "localhost", "-p", Integer.toString(port), "-U", "postgres", "-f", out + ".dump", "postgres")
            : List.of(launcher.toString(), "backup", "--source", "supabase://" + REF, "--target", "file:" + out);
        double s = time(cmd);
        seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
        bytes.put(name, name.equals(RAW) ? Files.size(Path.of(out + ".dump")) : folderSize(out));
        System.err.printf(Locale.ROOT, "%-50s %6.2f s%n", name, s);
      }
    }
  }

  private double time(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("SUPABASE_DB_URL", "postgresql://postgres@localhost:" + port + "/postgres");
    pb.environment().put("JAVA_OPTS", "-Xmx64m");
    long started = System.nanoTime();
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("Command failed with exit " + exit + ": " + String.join(" ", cmd) + "\n" + out);
    }
    return (System.nanoTime() - started) / 1e9;
  }

  private void report(long rows, int rounds) {
    double base = median(seconds.get(RAW));
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%nSupabase-shaped project, %,d orders, median of %d, %d cores%n", rows, rounds, Runtime.getRuntime().availableProcessors()));
    out.append(String.format(Locale.ROOT, "| %-50s | %9s | %9s | %10s |%n", "run", "median s", "vs raw", "stored MiB"));
    out.append("|").append("-".repeat(52)).append("|").append("-".repeat(11)).append("|").append("-".repeat(11))
        .append("|").append("-".repeat(12)).append("|\n");
    for (Map.Entry<String, List<Double>> e : seconds.entrySet()) {
      double m = median(e.getValue());
      out.append(String.format(Locale.ROOT, "| %-50s | %9.2f | %8.2fx | %10.1f |%n", e.getKey(), m, m / base,
          bytes.get(e.getKey()) / 1048576.0));
    }
    System.out.println(out);
  }
}
