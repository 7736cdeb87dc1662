package dev.lifeboat.mongo;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real mongodump and mongorestore (100.8.0, from {@code shared/tools}), unpacked with
 * {@code zstd} and {@code tar} into the module's build folder on first use. Anything missing — the
 * shared folder, the tools archive, zstd or tar — fails the test with what to do: these tests are
 * the reference check of the archive format and must never pass by not running.
 */
final class MongoTools {
  static final String ARCHIVE = "mongo-tools-100.8.0-linux-amd64.tar.zst";
  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

  private MongoTools() {}

  /** The tool's executable, unpacking the archive first when needed. */
  static synchronized Path tool(String name) {
    Path dir = buildDir().resolve("mongo-tools-100.8.0");
    Path tool = dir.resolve(name);
    if (!Files.isExecutable(tool)) {
      unpack(dir);
    }
    if (!Files.isExecutable(tool)) {
      throw new AssertionError(ARCHIVE + " was unpacked into " + dir + " but holds no executable " + name + ".");
    }
    return tool;
  }

  /** What a finished tool run printed, and its exit status. */
  record Run(int exitStatus, String output) {}

  /** Runs a tool to its end (bounded by a timeout), standard output and error together. */
  static Run run(List<String> command) {
    try {
      Path log = Files.createTempFile(Files.createDirectories(buildDir().resolve("mongo-tool-runs")), command.get(0).replaceAll(".*/", "") + "-", ".log");
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command.get(0) + " did not finish within " + TOOL_TIMEOUT + ":\n" + Files.readString(log));
      }
      return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("Could not run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while running " + command.get(0), e);
    }
  }

  private static void unpack(Path dir) {
    String shared = System.getProperty("lifeboat.shared.dir");
    if (shared == null) {
      throw new AssertionError("The system property lifeboat.shared.dir is not set; run the tests through Maven, "
          + "which points it at ../shared beside the project.");
    }
    Path archive = Path.of(shared, "tools", ARCHIVE);
    if (!Files.isRegularFile(archive)) {
      throw new AssertionError("The real MongoDB tools are missing: " + archive + " does not exist. The interoperability tests "
          + "need the shared folder (../shared beside the project) with tools/" + ARCHIVE + ".");
    }
    requireCommand("zstd", "--version");
    requireCommand("tar", "--version");
    try {
      Files.createDirectories(dir);
      List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
          new ProcessBuilder("zstd", "-dc", archive.toString()).redirectError(ProcessBuilder.Redirect.INHERIT),
          new ProcessBuilder("tar", "-x", "-C", dir.toString()).redirectErrorStream(true)));
      Process tar = pipeline.get(pipeline.size() - 1);
      String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      List<Integer> statuses = new ArrayList<>();
      for (Process p : pipeline) {
        if (!p.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError("Unpacking " + archive + " did not finish within " + TOOL_TIMEOUT);
        }
        statuses.add(p.exitValue());
      }
      if (statuses.stream().anyMatch(s -> s != 0)) {
        throw new AssertionError("Unpacking " + archive + " with zstd | tar failed (exit " + statuses + "): " + output);
      }
    } catch (IOException e) {
      throw new AssertionError("Unpacking " + archive + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while unpacking " + archive, e);
    }
  }

  private static void requireCommand(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor() == 0) {
        return;
      }
    } catch (IOException e) {
      // Not installed: reported below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new AssertionError("'" + command[0] + "' is needed to unpack " + ARCHIVE + " but is not installed or does not run. "
        + "Install it (apt-get install " + command[0] + "); CI's .ci/run installs zstd.");
  }

  /** The module's build folder ({@code target}), where the test classes are. */
  static Path buildDir() {
    try {
      Path classes = Path.of(MongoTools.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return classes.getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
