package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
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
