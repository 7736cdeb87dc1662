package dev.lifeboat.benchmarks.s3;

import static dev.lifeboat.benchmarks.Bench.deleteTree;
import static dev.lifeboat.benchmarks.Bench.folderSize;
import static dev.lifeboat.benchmarks.Bench.median;
import static dev.lifeboat.benchmarks.Bench.populateOrders;

import dev.lifeboat.s3.S3ProxyServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times a PostgreSQL backup into S3: {@code pg_dump -Fc} piped into the AWS SDK's own streaming
 * multipart upload ({@link SdkStreamUpload}) against {@code lifeboat backup --target s3://…}, to the
 * same s3proxy server (filesystem store, in this JVM), alternating, in fresh JVMs with the same
 * heap and part size; prints medians and the ratio. Neither side stages the dump on disk.
 *
 * <pre>
 * benchmarks/run-s3.sh [--rows N] [--rounds N] [--part-size BYTES]
 * </pre>
 */
public final class S3UploadBenchmark {
  private static final String BUCKET = "bench";
  private final Path work;
  private final Path cliJar;
  private final S3ProxyServer s3;
  private final long partSize;
  private final String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  private final String classPath = System.getProperty("java.class.path");
  private final Map<String, List<Double>> seconds = new LinkedHashMap<>();
  private int port;
  private int counter;

  private S3UploadBenchmark(Path work, Path cliJar, S3ProxyServer s3, long partSize) {
    this.work = work;
    this.cliJar = cliJar;
    this.s3 = s3;
    this.partSize = partSize;
  }

  public static void main(String[] args) throws Exception {
    long rows = 1_000_000;
    int rounds = 3;
    long partSize = 8L << 20;
    Path cliJar = Paths.get("cli/target/lifeboat.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows": rows = Long.parseLong(args[++i]); break;
        case "--rounds": rounds = Integer.parseInt(args[++i]); break;
        case "--part-size": partSize = Long.parseLong(args[++i]); break;
        case "--cli-jar": cliJar = Paths.get(args[++i]); break;
        default: throw new IllegalArgumentException("Unknown option " + args[i] + "; use --rows N --rounds N --part-size BYTES --cli-jar PATH");
      }
    }
    if (!Files.isRegularFile(cliJar)) {
      throw new IllegalStateException(cliJar.toAbsolutePath() + " is missing: run 'mvn -B -q install -DskipTests' first.");
    }
    Path work = Files.createTempDirectory("lifeboat-s3-bench-");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start(); S3ProxyServer s3 = S3ProxyServer.start(work.resolve("s3"))) {
      s3.createBucket(BUCKET);
      S3UploadBenchmark bench = new S3UploadBenchmark(work, cliJar.toAbsolutePath(), s3, partSize);
      bench.port = pg.getPort();
      populateOrders(bench.port, rows);
      bench.run(rounds);
      bench.report(rows, rounds);
    } finally {
      deleteTree(work);
    }
  }

  private void run(int rounds) throws Exception {
    for (int round = 1; round <= rounds; round++) {
      List<String> order = new ArrayList<>(List.of("pg_dump -Fc | SDK multipart upload", "lifeboat backup --target s3:// (zstd)"));
      if (round % 2 == 0) {
        Collections.reverse(order);
      }
      for (String name : order) {
        String prefix = "r" + (++counter);
        List<String> cmd = name.startsWith("pg_dump")
            ? List.of(javaBin, "-Xmx256m", "-cp", classPath, SdkStreamUpload.class.getName(), s3.endpoint().toString(), BUCKET,
                prefix + "/dump.pgc", Long.toString(partSize), "-h", "localhost", "-p", Integer.toString(port), "-U", "postgres", "bench")
            : List.of(javaBin, "-Xmx256m", "-jar", cliJar.toString(), "--setting", "s3.part-size=" + partSize, "backup",
                "--source", "postgresql://postgres@localhost:" + port + "/bench", "--target", s3.location(BUCKET, prefix));
        double s = time(cmd);
        seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
        System.err.printf(Locale.ROOT, "%-45s %6.2f s%n", name, s);
      }
    }
  }

  private double time(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
    pb.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
    long started = System.nanoTime();
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("Command failed with exit " + exit + ": " + String.join(" ", cmd) + "\n" + out);
    }
    return (System.nanoTime() - started) / 1e9;
  }

  private void report(long rows, int rounds) throws IOException {
    double base = median(seconds.get("pg_dump -Fc | SDK multipart upload"));
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%nPostgreSQL backup into S3 (s3proxy), %,d orders, median of %d, JVMs at -Xmx256m, %d MiB parts, %d cores%n",
        rows, rounds, partSize >> 20, Runtime.getRuntime().availableProcessors()));
    out.append(String.format(Locale.ROOT, "| %-45s | %9s | %10s |%n", "run", "median s", "vs SDK"));
    out.append("|").append("-".repeat(47)).append("|").append("-".repeat(11)).append("|").append("-".repeat(12)).append("|\n");
    for (Map.Entry<String, List<Double>> e : seconds.entrySet()) {
      double m = median(e.getValue());
      out.append(String.format(Locale.ROOT, "| %-45s | %9.2f | %9.2fx |%n", e.getKey(), m, m / base));
    }
    out.append(String.format(Locale.ROOT, "stored: %.1f MiB in the bucket%n", folderSize(s3.dataDir().resolve(BUCKET)) / 1048576.0));
    System.out.println(out);
  }
}
