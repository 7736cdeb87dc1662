package dev.lifeboat.benchmarks.crypto;

import static dev.lifeboat.benchmarks.Bench.deleteTree;
import static dev.lifeboat.benchmarks.Bench.folderSize;
import static dev.lifeboat.benchmarks.Bench.median;
import static dev.lifeboat.benchmarks.Bench.populateOrders;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * The cost of {@code --encrypt-to}: the same PostgreSQL database backed up and restored through
 * the shipped launcher ({@code cli/target/bin/lifeboat}, 64 MB heap), with and without encryption,
 * alternating in each round; prints medians and the encrypted/plain ratio (the target is ≤ 1.10×).
 *
 * <pre>
 * benchmarks/run-encryption.sh --rows 1000000 --rounds 3
 * </pre>
 */
public final class EncryptionOverheadBenchmark {
  private static final String BACKUP_PLAIN = "backup: lifeboat CLI";
  private static final String BACKUP_ENCRYPTED = "backup: lifeboat CLI --encrypt-to";
  private static final String RESTORE_PLAIN = "restore: lifeboat CLI";
  private static final String RESTORE_ENCRYPTED = "restore: lifeboat CLI --private-key";

  private final Path work;
  private final Path launcher;
  private final Map<String, List<Double>> seconds = new LinkedHashMap<>();
  private final Map<String, Long> sizes = new LinkedHashMap<>();
  private int port;
  private int counter;

  private EncryptionOverheadBenchmark(Path work, Path launcher) {
    this.work = work;
    this.launcher = launcher;
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
    Path launcher = cliJar.toAbsolutePath().getParent().resolve("bin").resolve("lifeboat");
    if (!Files.isExecutable(launcher)) {
      throw new IllegalStateException(launcher + " is missing: run 'mvn -B -q package -DskipTests' first.");
    }
    Path work = Files.createTempDirectory("lifeboat-bench-crypto-");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      EncryptionOverheadBenchmark bench = new EncryptionOverheadBenchmark(work, launcher);
      bench.port = pg.getPort();
      populateOrders(bench.port, rows);
      bench.run(List.of(launcher.toString(), "keys", "generate", "--out", work.resolve("keys").toString()));
      for (int round = 1; round <= rounds; round++) {
        bench.round(round);
      }
      bench.report(rows, rounds);
    } finally {
      deleteTree(work);
    }
  }

  private String url(String db) {
    return "postgresql://postgres@localhost:" + port + "/" + db;
  }

  private void round(int round) throws Exception {
    // Alternate the order so that neither side always runs on a warmer cache.
    List<String> backups = new ArrayList<>(List.of(BACKUP_PLAIN, BACKUP_ENCRYPTED));
    List<String> restores = new ArrayList<>(List.of(RESTORE_PLAIN, RESTORE_ENCRYPTED));
    if (round % 2 == 0) {
      Collections.reverse(backups);
      Collections.reverse(restores);
    }
    for (String name : backups) {
      Path store = work.resolve(name.equals(BACKUP_PLAIN) ? "plain" : "encrypted");
      deleteTree(store);
      List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "backup", "--source", url("bench"), "--target", store.toString()));
      if (name.equals(BACKUP_ENCRYPTED)) {
        cmd.addAll(List.of("--encrypt-to", work.resolve("keys").resolve("lifeboat-public-key.json").toString()));
      }
      timed(name, cmd);
      sizes.put(name, folderSize(store));
    }
    for (String name : restores) {
      String db = "restored" + (++counter);
      boolean encrypted = name.equals(RESTORE_ENCRYPTED);
      List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "restore", "--target",
          work.resolve(encrypted ? "encrypted" : "plain").toString(), "--snapshot", "latest", "--destination", url(db)));
      if (encrypted) {
        cmd.addAll(List.of("--private-key", work.resolve("keys").resolve("lifeboat-private-key.json").toString()));
      }
      timed(name, cmd);
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
          Statement st = c.createStatement()) {
        st.execute("DROP DATABASE " + db);
      }
    }
  }

  private void timed(String name, List<String> cmd) throws IOException, InterruptedException {
    long started = System.nanoTime();
    run(cmd);
    double s = (System.nanoTime() - started) / 1e9;
    seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
    System.err.printf(Locale.ROOT, "%-40s %6.2f s%n", name, s);
  }

  private void run(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("JAVA_OPTS", "-Xmx64m");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("LIFEBOAT_KEY_PASSPHRASE");
    Process p = pb.start();
    new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("Command failed with exit " + exit + ": " + String.join(" ", cmd));
    }
  }

  private void report(long rows, int rounds) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%nEncryption overhead, PostgreSQL, %,d orders, median of %d, launcher at -Xmx64m, %d cores%n",
        rows, rounds, Runtime.getRuntime().availableProcessors()));
    out.append(String.format(Locale.ROOT, "| %-40s | %9s | %12s | %12s |%n", "run", "median s", "vs plain", "stored MiB"));
    out.append("|").append("-".repeat(42)).append("|").append("-".repeat(11)).append("|").append("-".repeat(14))
        .append("|").append("-".repeat(14)).append("|\n");
    for (Map.Entry<String, List<Double>> e : seconds.entrySet()) {
      double m = median(e.getValue());
      double base = median(seconds.get(e.getKey().startsWith("backup") ? BACKUP_PLAIN : RESTORE_PLAIN));
      Long size = sizes.get(e.getKey());
      out.append(String.format(Locale.ROOT, "| %-40s | %9.2f | %11.2fx | %12s |%n", e.getKey(), m, m / base,
          size == null ? "" : String.format(Locale.ROOT, "%.1f", size / 1048576.0)));
    }
    System.out.println(out);
  }
}
