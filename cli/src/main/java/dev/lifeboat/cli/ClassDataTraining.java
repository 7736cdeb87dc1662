package dev.lifeboat.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Run by the build, not by users: the commands whose classes go into the class-data-sharing
 * archive {@code lifeboat.jsa} that {@code bin/lifeboat} starts the jar with (the JVM records what
 * this run loads, {@code -XX:ArchiveClassesAtExit}). One JVM runs the common commands against the
 * one-row snapshot in {@code src/cds/training}: list, list as JSON, verify, health, the help, and
 * a backup and a restore against a closed port (127.0.0.1:1), which load the provider, the driver
 * and the archive readers before they fail to connect, as expected.
 *
 * <p>Usage: {@code java -XX:ArchiveClassesAtExit=lifeboat.jsa -cp lifeboat.jar
 * dev.lifeboat.cli.ClassDataTraining TRAINING_FOLDER}
 */
final class ClassDataTraining {
  private ClassDataTraining() {}

  public static void main(String[] args) throws Exception {
    Path snapshots = Paths.get(args[0]).toAbsolutePath();
    Path scratch = Files.createTempDirectory("lifeboat-cds-");
    String closed = "postgresql://cds@127.0.0.1:1/cds";
    List<String[]> commands = List.of(
        new String[] {"--help"},
        new String[] {"--version"},
        new String[] {"list", "--target", snapshots.toString()},
        new String[] {"list", "--json", "--target", snapshots.toString()},
        new String[] {"verify", "--target", snapshots.toString(), "--snapshot", "latest"},
        new String[] {"health", "--target", snapshots.toString(), "--max-age", "3650d"},
        new String[] {"restore", "--target", snapshots.toString(), "--snapshot", "latest", "--destination", closed},
        new String[] {"backup", "--source", closed, "--target", scratch.toString()});
    Main.configureLogging(false);
    PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
    for (String[] command : commands) {
      int exit = LifeboatCli.execute(discard, discard, command);
      System.out.println("cds training: lifeboat " + String.join(" ", command) + " -> exit " + exit);
    }
    try (var left = Files.walk(scratch)) {
      left.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    System.exit(0);
  }
}
