package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.SnapshotIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link Main} in a child JVM with the test class path, as {@code java -jar lifeboat.jar}
 * would: real exit statuses through {@code System.exit}, and everything the process prints,
 * logging included.
 */
class ChildJvmTest {
  private static final String SECRET = "ch1ld-Secret";

  @TempDir Path dir;

  record Run(int exit, String out, String err) {
    List<String> errLines() {
      return err.isBlank() ? List.of() : List.of(err.strip().split("\\R"));
    }

    String lastOutLine() {
      String[] lines = out.strip().split("\\R");
      return lines[lines.length - 1];
    }
  }

  /** A child lifeboat process, its output going to files. */
  record Started(Process process, Path out, Path err, String command) {
    Run await() throws IOException, InterruptedException {
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(command + " finished").isTrue();
      return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
  }

  static Started start(Path work, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    return new Started(p, out, err, "lifeboat " + String.join(" ", args));
  }

  static Run lifeboat(Path work, String... args) throws IOException, InterruptedException {
    return start(work, args).await();
  }

  /** The folder of the unfinished snapshot a running backup writes into {@code store}, once it appears. */
  static Path awaitPartial(Path store, Started backup) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      List<Path> partials = partials(store);
      if (!partials.isEmpty()) {
        return partials.get(0);
      }
      if (!backup.process().isAlive()) {
        throw new AssertionError("the backup ended before it wrote anything: " + backup.await());
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no unfinished snapshot folder appeared in " + store);
  }

  static List<Path> partials(Path store) throws IOException {
    if (!Files.isDirectory(store)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(store)) {
      // A snapshot's folder without its manifest (written last): one being written or left unfinished.
      return entries.filter(p -> SnapshotIds.isValid(p.getFileName().toString()) && !Files.exists(p.resolve("manifest.json"))).toList();
    }
  }

  @Test
  void helpAndUsageErrorsThroughSystemExit() throws Exception {
    Run help = lifeboat(dir, "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).startsWith("Usage: lifeboat").contains("backup").contains("restore").contains("demo");

    Run bad = lifeboat(dir, "list", "--target");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).startsWith("lifeboat: ");
  }

  @Test
  void backupIsQuietByDefaultAndVerboseLogsWithoutSecrets() throws Exception {
    String target = "file:" + dir.resolve("store");
    Run quiet = lifeboat(dir, "backup", "--source", "fake://app:" + SECRET + "@db/gen-40", "--target", target, "--label", "k=v");
    assertThat(quiet.exit()).as(quiet.toString()).isZero();
    assertThat(quiet.lastOutLine()).matches("\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f]{8}");
    assertThat(quiet.err()).as("info logging is off without --verbose").doesNotContain("INFO").doesNotContain("DEBUG");

    Run verbose = lifeboat(dir, "backup", "--verbose", "--source", "fake://app:" + SECRET + "@db/gen-40", "--target", target);
    assertThat(verbose.exit()).as(verbose.toString()).isZero();
    assertThat(verbose.err()).as("info logs go to stderr with --verbose").contains("INFO").contains("fake://app@db/gen-40");
    assertThat(verbose.out()).doesNotContain("INFO");

    Run failed = lifeboat(dir, "--verbose", "backup", "--source", "fake://app:" + SECRET + "@db/broken", "--target", target);
    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.err()).contains("lifeboat: backup failed: ").contains("\tat ");

    Run list = lifeboat(dir, "list", "--target", target);
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains(quiet.lastOutLine()).contains(verbose.lastOutLine()).contains("2 snapshots");

    for (Run r : List.of(quiet, verbose, failed, list)) {
      assertThat(r.out() + r.err()).doesNotContain(SECRET);
    }
  }

  /**
   * A library that logs warnings (through java.util.logging like the PostgreSQL driver, through
   * slf4j like the MongoDB driver) and then fails unexpectedly: one line on standard error, none of
   * the library's lines; with --verbose, its lines and the stack trace.
   */
  @Test
  void unexpectedFailureIsOneLineWithoutLibraryLogLines() throws Exception {
    String target = "file:" + dir.resolve("store");
    for (String db : List.of("crash", "fatal")) {
      Run r = lifeboat(dir, "backup", "--source", "fake://app:" + SECRET + "@db/" + db, "--target", target);
      assertThat(r.exit()).as(r.toString()).isEqualTo(1);
      assertThat(r.errLines()).as(r.toString()).hasSize(1);
      assertThat(r.err()).as(r.toString()).startsWith("lifeboat: backup failed: ")
          .contains(ErrorReporter.VERBOSE_HINT).doesNotContain("..").doesNotContain(SECRET);
      assertThat(r.out()).isEmpty();
    }

    Run verbose = lifeboat(dir, "--verbose", "backup", "--source", "fake://db/crash", "--target", target);
    assertThat(verbose.exit()).isEqualTo(1);
    assertThat(verbose.err()).as(verbose.toString())
        .contains("Connection error: the driver gave up").contains("Exception in monitor thread").contains("\tat ");
  }

  @Test
  void aBackupStoppedWithSigtermSaysSoRemovesItsPartialAndFails() throws Exception {
    Path store = dir.resolve("store");
    Started backup = start(dir, "backup", "--source", "fake://db/slow", "--target", "file:" + store);
    Path partial = awaitPartial(store, backup);

    backup.process().destroy();
    Run stopped = backup.await();

    assertThat(stopped.exit()).as(stopped.toString()).isNotZero();
    assertThat(stopped.err().lines().filter(l -> !l.isBlank()).toList()).as(stopped.toString()).singleElement()
        .satisfies(line -> assertThat(line).startsWith("lifeboat: backup interrupted by a signal").contains("removed"));
    assertThat(stopped.out()).as("no snapshot id").isEmpty();
    assertThat(partial).as("the unfinished snapshot").doesNotExist();
    assertThat(partials(store)).isEmpty();
    Run list = lifeboat(dir, "list", "--target", "file:" + store);
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out()).startsWith("No snapshots");
  }

  @Test
  void aPartialLeftBySigkillIsRemovedByTheNextBackupButARunningOnesIsNot() throws Exception {
    Path store = dir.resolve("store");
    String target = "file:" + store;
    Started killed = start(dir, "backup", "--source", "fake://db/slow", "--target", target);
    Path partial = awaitPartial(store, killed);

    Run meanwhile = lifeboat(dir, "backup", "--source", "fake://db/gen-3", "--target", target);
    assertThat(meanwhile.exit()).as(meanwhile.toString()).isZero();
    assertThat(partial).as("the partial of a backup that still runs is left alone").exists();

    killed.process().destroyForcibly();
    assertThat(killed.await().exit()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
    assertThat(partial).as("SIGKILL leaves the partial behind").exists();

    Run next = lifeboat(dir, "backup", "--source", "fake://db/gen-5", "--target", target);
    assertThat(next.exit()).as(next.toString()).isZero();
    assertThat(partials(store)).as("removed by the next backup, its writer being gone").isEmpty();
    Run list = lifeboat(dir, "list", "--target", target);
    assertThat(list.out()).contains(meanwhile.lastOutLine()).contains(next.lastOutLine()).contains("2 snapshots");
  }

  @Test
  void demoRunsTheWholeJobOnAnEmbeddedPostgres() throws Exception {
    Run demo = lifeboat(dir, "demo", "--rows", "150", "--dir", dir.resolve("demo-store").toString());
    assertThat(demo.exit()).as(demo.toString()).isZero();
    assertThat(demo.out()).contains("[1/5] Starting an embedded PostgreSQL").contains("[5/5] Verifying")
        .contains("VERIFIED").contains("PASS  count public.orders  expected 150, found 150")
        .contains("no orphaned rows").doesNotContain("FAIL");
    assertThat(demo.err()).as("the embedded server's log stays quiet").doesNotContain("INFO");
    Run list = lifeboat(dir, "list", "--target", dir.resolve("demo-store").toString());
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains("demo=true").contains("1 snapshot");
  }
}
