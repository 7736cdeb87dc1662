package dev.lifeboat.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.JarFile;

/**
 * Run by the build, not by users: the commands whose classes go into the class-data-sharing
 * archive {@code lifeboat.jsa} that {@code bin/lifeboat} starts the jar with (the JVM records what
 * this run loads, {@code -XX:ArchiveClassesAtExit}). One JVM runs the common commands against the
 * one-row snapshot in {@code src/cds/training}: list, list as JSON, verify, health, the help, and
 * a backup and a restore against a closed port (127.0.0.1:1), which load the provider, the driver
 * and the archive readers before they fail to connect, as expected. Before them it loads every
 * class of the PostgreSQL and MongoDB drivers, most of which a refused connection never reaches.
 *
 * <p>Usage: {@code java -XX:ArchiveClassesAtExit=lifeboat.jsa -cp lifeboat.jar
 * dev.lifeboat.cli.ClassDataTraining TRAINING_FOLDER}
 */
final class ClassDataTraining {
  /** The packages (as jar paths) whose classes are all archived: the drivers' protocol code. */
  private static final List<String> DRIVERS = List.of("org/postgresql/", "com/mongodb/", "org/bson/");

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
    int loaded = loadDriverClasses();
    System.out.println("cds training: " + loaded + " driver classes loaded");
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

  /**
   * Loads (without initializing) every class of the database drivers, which the commands above
   * reach only as far as a refused connection: a real backup or restore then finds the rest of the
   * protocol code in the archive instead of reading and verifying hundreds of classes from the jar.
   * A small MongoDB backup or restore through bin/lifeboat ends 0.1–0.15 s sooner, a PostgreSQL
   * backup about 60 ms sooner (docs/BENCHMARKS.md), for 12 MB more archive on disk, which the JVM
   * maps rather than reads.
   */
  private static int loadDriverClasses() throws Exception {
    Path jar = Paths.get(ClassDataTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ClassLoader loader = ClassDataTraining.class.getClassLoader();
    int loaded = 0;
    try (JarFile file = new JarFile(jar.toFile())) {
      for (var entries = file.entries(); entries.hasMoreElements(); ) {
        // A multi-release jar's variants (META-INF/versions/11/...) load under the plain name.
        String name = entries.nextElement().getName().replaceFirst("^META-INF/versions/\\d+/", "");
        if (!name.endsWith(".class") || name.contains("-") || !DRIVERS.stream().anyMatch(name::startsWith)) {
          continue;
        }
        try {
          Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
          loaded++;
        } catch (ClassNotFoundException | LinkageError e) {
          // A class for an optional library the jar does not ship (OSGi, Kerberos helpers): never used.
        }
      }
    }
    return loaded;
  }
}
