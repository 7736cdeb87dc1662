package dev.lifeboat.benchmarks.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.RestoreRequest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * What a test pays for its own database with lifeboat-junit, against restoring the snapshot for
 * every test. One snapshot of an {@code orders} table of {@code --rows} rows (about 250 MB for a
 * million) is made with {@link Lifeboat#backup}; then, alternating round by round:
 *
 * <ul>
 *   <li><b>restore per test</b>: {@code Lifeboat.restore} with verification into a new database,
 *       then {@code DROP DATABASE} — what a test would pay without templates;
 *   <li><b>copy per test</b>: {@link TemplateCopySample} run by the JUnit launcher, whose
 *       {@code @RepeatedTest} asks for a {@code Scope.METHOD} copy; each repetition's time from
 *       JUnit's start to finish event covers the {@code CREATE DATABASE … TEMPLATE}, one count
 *       query and the drop. The first repetition also restores the template and is reported
 *       apart.
 * </ul>
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * mvn -B -q -pl benchmarks exec:exec \
 *     -Dexec.args="-cp %classpath dev.lifeboat.benchmarks.junit.TemplateCopyBenchmark --rows 1000000 --rounds 3"
 * </pre>
 */
public final class TemplateCopyBenchmark {
  private static final Map<String, Long> STARTED = new ConcurrentHashMap<>();

  private TemplateCopyBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = 1_000_000;
    int rounds = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows" -> rows = Long.parseLong(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("Unknown option " + args[i] + "; use --rows N --rounds N");
      }
    }
    Path store = Files.createTempDirectory("lifeboat-bench-junit-");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("max_wal_size", "4GB").start();
        Lifeboat lifeboat = Lifeboat.builder().build()) {
      String server = "postgresql://postgres@localhost:" + pg.getPort() + "/postgres";
      populate(pg, rows);
      String target = "file:" + store;
      lifeboat.backup(BackupRequest.builder("postgresql://postgres@localhost:" + pg.getPort() + "/shop", target).build());
      System.setProperty("lifeboat.bench.target", target);
      System.setProperty("lifeboat.bench.server", server);

      List<Double> restores = new ArrayList<>();
      List<Double> firstCopies = new ArrayList<>();
      List<Double> copies = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        if (round % 2 == 0) {
          restores.add(restoreOnce(lifeboat, pg, target, round));
          copyRun(firstCopies, copies);
        } else {
          copyRun(firstCopies, copies);
          restores.add(restoreOnce(lifeboat, pg, target, round));
        }
      }
      double restore = median(restores);
      double copy = median(copies);
      System.out.printf(Locale.ROOT, "rows=%d rounds=%d%n", rows, rounds);
      System.out.printf(Locale.ROOT, "restore per test (Lifeboat.restore + verify + drop), median s: %.3f%n", restore);
      System.out.printf(Locale.ROOT, "first test of a run (template restore + copy), median s: %.3f%n", median(firstCopies));
      System.out.printf(Locale.ROOT, "copy per test (CREATE DATABASE TEMPLATE + query + drop), median s: %.3f%n", copy);
      System.out.printf(Locale.ROOT, "restore / copy: %.1fx%n", restore / copy);
    } finally {
      try (Stream<Path> files = Files.walk(store)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void populate(EmbeddedPostgres pg, long rows) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE shop");
    }
    try (Connection c = pg.getDatabase("postgres", "shop").getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, total numeric(12,2) NOT NULL,"
          + " note text, created timestamptz NOT NULL)");
      s.execute("INSERT INTO orders SELECT g, 'customer-' || (g % 10000), (g % 1000) * 1.25, repeat(md5(g::text), 3),"
          + " now() - (g || ' seconds')::interval FROM generate_series(1, " + rows + ") g");
    }
  }

  private static double restoreOnce(Lifeboat lifeboat, EmbeddedPostgres pg, String target, int round) throws Exception {
    String database = "bench_restore_" + round;
    long started = System.nanoTime();
    lifeboat.restore(RestoreRequest.builder(target, "latest", "postgresql://postgres@localhost:" + pg.getPort() + "/" + database)
        .verify().build());
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE " + database + " WITH (FORCE)");
    }
    return (System.nanoTime() - started) / 1e9;
  }

  /** One launcher run of the sample: its first repetition goes to {@code first}, the others to {@code rest}. */
  private static void copyRun(List<Double> first, List<Double> rest) {
    List<Double> times = Collections.synchronizedList(new ArrayList<>());
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(TemplateCopySample.class)).build();
    LauncherFactory.create().execute(request, new TestExecutionListener() {
      @Override
      public void executionStarted(TestIdentifier id) {
        if (id.isTest()) {
          STARTED.put(id.getUniqueId(), System.nanoTime());
        }
      }

      @Override
      public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isTest()) {
          times.add((System.nanoTime() - STARTED.remove(id.getUniqueId())) / 1e9);
          result.getThrowable().ifPresent(t -> failures.add(id.getDisplayName() + ": " + t.getMessage()));
        }
      }
    });
    if (!failures.isEmpty()) {
      throw new IllegalStateException("The sample failed: " + failures);
    }
    first.add(times.get(0));
    rest.addAll(times.subList(1, times.size()));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
