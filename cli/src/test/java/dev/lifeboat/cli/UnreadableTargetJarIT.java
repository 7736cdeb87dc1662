package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A folder of snapshots that this user cannot read (another user's private folder), through the
 * jar: every command that reads it stops at once with exit 2 and one line saying so, instead of a
 * failed listing or, worse, "no snapshots". Run as root, as CI is, the jar runs as the user nobody
 * ({@code setpriv}), since the file permissions do not apply to root.
 */
class UnreadableTargetJarIT {
  private static final String NOBODY = "65534";

  @Test
  void everyCommandThatReadsTheFolderSaysItIsNotReadableInOneLine() throws Exception {
    // Under the system's temporary folder, which every user may pass through (a test's own is private).
    Path work = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "lifeboat-unreadable-");
    Path store = work.resolve("someone-elses");
    try {
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
      copyTree(PackagedJar.jar().getParent().resolve("cds-training"), store);
      boolean root = "root".equals(System.getProperty("user.name"));
      List<String> launcher = new ArrayList<>();
      if (root) {
        Path setpriv = Path.of("/usr/bin/setpriv");
        assertThat(setpriv).as("util-linux's setpriv, to run the jar as another user than root").isExecutable();
        launcher.addAll(List.of(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwx------"));
      } else {
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("-wx------"));
      }
      launcher.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", PackagedJar.jar().toString()));
      String target = store.toString();
      for (String[] command : List.of(
          new String[] {"list", "--target", target},
          new String[] {"verify", "--target", target, "--snapshot", "latest"},
          new String[] {"health", "--target", target, "--max-age", "3650d"},
          new String[] {"prune", "--target", target, "--keep-last", "1"})) {
        PackagedJar.Run run = PackagedJar.start(work, Map.of(), launcher, command);
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.errLines()).as(run.toString()).hasSize(1);
        assertThat(run.errLines().get(0)).contains("Target folder " + target + " is not readable by this user.");
      }
    } finally {
      Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwx------"));
      try (Stream<Path> all = Files.walk(work)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }
}
