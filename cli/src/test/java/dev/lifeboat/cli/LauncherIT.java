package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped launcher, {@code cli/target/bin/lifeboat}: it starts the jar beside it with the
 * class-data-sharing archive made at package time, writes a fresh archive when there is none, and
 * prints nothing of its own.
 */
class LauncherIT {
  private static final String JAVA_HOME = System.getProperty("java.home");

  @TempDir Path work;

  private static Path built() {
    return PackagedJar.jar().getParent();
  }

  /** -Xshare:on makes the JVM fail instead of quietly running without the archive. */
  private static Map<String, String> archiveRequired() {
    return Map.of("JAVA_HOME", JAVA_HOME, "JAVA_OPTS", "-Xshare:on");
  }

  @Test
  void theBuiltLauncherStartsTheJarWithItsArchive() throws Exception {
    Path launcher = built().resolve("bin").resolve("lifeboat");
    assertThat(built().resolve("lifeboat.jsa")).as("the archive made at package time").isRegularFile();
    assertThat(Files.isExecutable(launcher)).as("%s is executable", launcher).isTrue();

    PackagedJar.Run version = PackagedJar.start(work, archiveRequired(), List.of(launcher.toString()), "--version");
    assertThat(version.exit()).as(version.toString()).isZero();
    assertThat(version.err()).as(version.toString()).isEmpty();
    assertThat(version.out()).contains("Schemes: ").contains("postgresql").contains("mongodb");
  }

  /**
   * The archive made at package time holds what the common commands load, picocli included (its
   * published jar targets Java 5, which the archive cannot take; the build compiles it for 17).
   */
  @Test
  void theArchiveHoldsTheClassesTheCommonCommandsLoad() throws Exception {
    Path launcher = built().resolve("bin").resolve("lifeboat");
    Path snapshots = built().resolve("cds-training");
    for (List<String> command : List.of(List.of("list", "--target", snapshots.toString()),
        List.of("verify", "--target", snapshots.toString(), "--snapshot", "latest"))) {
      Path loaded = work.resolve("classes-" + command.get(0) + ".txt");
      Map<String, String> env = Map.of("JAVA_HOME", JAVA_HOME, "JAVA_OPTS", "-Xshare:on -Xlog:class+load=info:file=" + loaded);
      PackagedJar.Run run = PackagedJar.start(work, env, List.of(launcher.toString()), command.toArray(String[]::new));
      assertThat(run.exit()).as(run.toString()).isZero();
      List<String> lines = Files.readAllLines(loaded);
      assertThat(lines).as("classes loaded by lifeboat %s", command).anyMatch(l -> l.contains(" picocli.CommandLine "));
      List<String> fromTheJar = lines.stream()
          .filter(l -> l.contains(" picocli.") || l.contains(" dev.lifeboat.") || l.contains(" com.fasterxml.jackson."))
          .filter(l -> !l.contains("shared objects file"))
          // Lambdas and proxies are made at run time, never read from the jar.
          .filter(l -> !l.contains("$$Lambda") && !l.contains("$Proxy"))
          .toList();
      assertThat(fromTheJar).as("classes of lifeboat %s read from the jar instead of the archive", command).isEmpty();
    }
  }

  /**
   * The training run reaches the drivers only as far as a refused connection, so the build loads
   * every class of both drivers into the archive: a connected backup then reads none of them from
   * the jar (a hundred PostgreSQL and several hundred MongoDB classes, each read and verified).
   */
  @Test
  void theArchiveHoldsTheDriverClassesAConnectedBackupLoads() throws Exception {
    Path launcher = built().resolve("bin").resolve("lifeboat");
    SharedPostgres.createDemoDatabase("launcher_drivers", 20);
    MongoServer mongo = new MongoServer(new MemoryBackend());
    InetSocketAddress address = mongo.bind();
    try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
      client.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 1).append("total", 2.5));
      Map<String, String> sources = Map.of(
          "org.postgresql.", SharedPostgres.uri("launcher_drivers"),
          "com.mongodb.", "mongodb://" + address.getHostString() + ":" + address.getPort() + "/shop");
      for (Map.Entry<String, String> source : sources.entrySet()) {
        String driver = source.getKey();
        Path loaded = work.resolve("classes-" + driver + "txt");
        Map<String, String> env = Map.of("JAVA_HOME", JAVA_HOME, "JAVA_OPTS", "-Xshare:on -Xlog:class+load=info:file=" + loaded);
        PackagedJar.Run backup = PackagedJar.start(work, env, List.of(launcher.toString()),
            "backup", "--source", source.getValue(), "--target", work.resolve("store").toString());
        assertThat(backup.exit()).as(backup.toString()).isZero();
        List<String> lines = Files.readAllLines(loaded);
        assertThat(lines).as("a connected backup loads the driver's protocol classes")
            .filteredOn(l -> l.contains(" " + driver)).hasSizeGreaterThan(100);
        List<String> fromTheJar = lines.stream()
            .filter(l -> l.contains(" " + driver) || l.contains(" org.bson."))
            .filter(l -> !l.contains("shared objects file"))
            .filter(l -> !l.contains("$$Lambda") && !l.contains("$Proxy"))
            // It names the Snappy library, which the jar does not ship: it fails verification when the
            // archive is made, so the JVM leaves it out (and never calls it: Lifeboat asks for no compressor).
            .filter(l -> !l.contains(" com.mongodb.internal.connection.SnappyCompressor "))
            .toList();
        assertThat(fromTheJar).as("driver classes a %s backup read from the jar instead of the archive", driver).isEmpty();
      }
    } finally {
      mongo.shutdownNow();
    }
  }

  /**
   * Commands that stream nothing run with the quick compiler alone; the streaming ones keep the
   * optimizing compiler for their hot loops but compile later, so start-up code is not optimized
   * at the expense of the loader on the other core.
   */
  @Test
  void eachCommandGetsTheCompilerSettingsItsWorkNeeds() throws Exception {
    Path launcher = built().resolve("bin").resolve("lifeboat");
    Path snapshots = built().resolve("cds-training");
    Map<String, String> env = Map.of("JAVA_HOME", JAVA_HOME, "JAVA_OPTS", "-XX:+PrintCommandLineFlags");
    PackagedJar.Run list = PackagedJar.start(work, env, List.of(launcher.toString()), "list", "--target", snapshots.toString());
    PackagedJar.Run verify = PackagedJar.start(work, env, List.of(launcher.toString()),
        "--setting", "lifeboat.scratchDir=" + work, "verify", "--target", snapshots.toString(), "--snapshot", "latest");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(verify.exit()).as(verify.toString()).isZero();
    String listFlags = list.out().lines().findFirst().orElseThrow();
    String verifyFlags = verify.out().lines().findFirst().orElseThrow();
    assertThat(listFlags).contains("-XX:TieredStopAtLevel=1").doesNotContain("CompileThresholdScaling");
    assertThat(verifyFlags).contains("-XX:CompileThresholdScaling=3").doesNotContain("TieredStopAtLevel");
  }

  @Test
  void anInstallWithoutAnArchiveGetsOneOnItsFirstRunAndUsesItAfter() throws Exception {
    Path home = work.resolve("opt").resolve("lifeboat");
    Files.createDirectories(home.resolve("bin"));
    Files.copy(PackagedJar.jar(), home.resolve("lifeboat.jar"));
    Files.copy(built().resolve("bin").resolve("lifeboat"), home.resolve("bin").resolve("lifeboat"), StandardCopyOption.COPY_ATTRIBUTES);
    Path empty = Files.createDirectories(work.resolve("empty"));
    // Started through a link elsewhere, as a package manager installs it.
    Path link = Files.createSymbolicLink(work.resolve("lifeboat"), home.resolve("bin").resolve("lifeboat"));

    PackagedJar.Run first = PackagedJar.start(work, Map.of("JAVA_HOME", JAVA_HOME), List.of(link.toString()),
        "list", "--target", empty.toString());
    assertThat(first.exit()).as(first.toString()).isZero();
    assertThat(first.err()).as(first.toString()).isEmpty();
    assertThat(first.out()).contains("No snapshots");
    assertThat(home.resolve("lifeboat.jsa")).as("written as the first run ended").isRegularFile();
    try (var left = Files.list(home)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("no temporary archive left").noneMatch(n -> n.endsWith(".tmp"));
    }

    PackagedJar.Run second = PackagedJar.start(work, archiveRequired(), List.of(link.toString()),
        "list", "--target", empty.toString());
    assertThat(second.exit()).as(second.toString()).isZero();
    assertThat(second.err()).as(second.toString()).isEmpty();

    PackagedJar.Run off = PackagedJar.start(work, Map.of("JAVA_HOME", JAVA_HOME, "LIFEBOAT_CDS", "off"),
        List.of(link.toString()), "list", "--target", work.resolve("missing").toString());
    assertThat(off.exit()).as("exit codes pass through the launcher: %s", off).isNotZero();
    assertThat(off.errLines()).as(off.toString()).hasSize(1);
  }
}
