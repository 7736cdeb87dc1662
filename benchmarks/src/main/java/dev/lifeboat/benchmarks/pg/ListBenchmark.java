package dev.lifeboat.benchmarks.pg;

import static dev.lifeboat.benchmarks.Bench.median;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Lifeboat;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Start-up as a user feels it: {@code lifeboat list} of a file target holding 100 snapshots, wall
 * time, through the shipped launcher ({@code bin/lifeboat}, with its class-data-sharing archive)
 * and through {@code java -jar} without it, 64 MB heap, interleaved rounds.
 *
 * <p>Usage: {@code ListBenchmark --cli-jar PATH [--snapshots N] [--rounds N]}
 */
public final class ListBenchmark {
  private ListBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path jar = Paths.get("cli/target/lifeboat.jar");
    int snapshots = 100;
    int rounds = 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--cli-jar": jar = Paths.get(args[++i]); break;
        case "--snapshots": snapshots = Integer.parseInt(args[++i]); break;
        case "--rounds": rounds = Integer.parseInt(args[++i]); break;
        default: throw new IllegalArgumentException("Unknown option " + args[i] + "; use --cli-jar PATH --snapshots N --rounds N");
      }
    }
    Path store = Files.createTempDirectory("lifeboat-list-bench-");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE notes (id int PRIMARY KEY, body text)");
        s.execute("INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 100) g");
      }
      String source = "postgresql://postgres@localhost:" + pg.getPort() + "/postgres";
      try (Lifeboat lifeboat = Lifeboat.builder().build()) {
        for (int i = 0; i < snapshots; i++) {
          lifeboat.backup(BackupRequest.builder(source, store.toString()).build());
        }
      }
    }
    String launcher = jar.toAbsolutePath().getParent().resolve("bin").resolve("lifeboat").toString();
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<Double> viaLauncher = new ArrayList<>();
    List<Double> viaJar = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      viaLauncher.add(time(List.of(launcher, "list", "--target", store.toString()), snapshots));
      viaJar.add(time(List.of(java, "-Xmx64m", "-jar", jar.toAbsolutePath().toString(), "list", "--target", store.toString()), snapshots));
    }
    double l = median(viaLauncher);
    double j = median(viaJar);
    System.out.printf(Locale.ROOT, "%nlifeboat list of %d snapshots, median of %d, -Xmx64m, %d cores%n", snapshots, rounds,
        Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "| %-40s | %8s |%n|%s|%s|%n", "run", "median s", "-".repeat(42), "-".repeat(10));
    System.out.printf(Locale.ROOT, "| %-40s | %8.2f |%n", "bin/lifeboat (class-data sharing)", l);
    System.out.printf(Locale.ROOT, "| %-40s | %8.2f |%n", "java -jar lifeboat.jar", j);
    System.out.printf(Locale.ROOT, "launcher / java -jar: %.2fx%n", l / j);
  }

  private static double time(List<String> command, int snapshots) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("JAVA_OPTS", "-Xmx64m");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    long started = System.nanoTime();
    Process p = pb.start();
    long lines = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().count();
    if (p.waitFor() != 0 || lines < snapshots) {
      throw new IllegalStateException(String.join(" ", command) + " failed or listed " + lines + " lines");
    }
    return (System.nanoTime() - started) / 1e9;
  }
}
