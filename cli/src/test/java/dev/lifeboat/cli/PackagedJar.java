package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged {@code cli/target/lifeboat.jar} as its own process, {@code java -jar}, the way
 * a user does: only what the shaded jar holds is on the class path. Failsafe passes the jar's path
 * in the system property {@code lifeboat.jar}.
 */
final class PackagedJar {
  private PackagedJar() {}

  /** The outcome of one {@code java -jar lifeboat.jar ...}. */
  record Run(List<String> args, int exit, String out, String err, Duration elapsed) {
    List<String> outLines() {
      return out.isBlank() ? List.of() : Arrays.asList(out.strip().split("\\R"));
    }

    List<String> errLines() {
      return err.isBlank() ? List.of() : Arrays.asList(err.strip().split("\\R"));
    }

    String lastOutLine() {
      List<String> lines = outLines();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Override
    public String toString() {
      return "lifeboat " + String.join(" ", args) + "\nexit " + exit + " after " + elapsed.toMillis() + " ms"
          + "\n--- out ---\n" + out + "--- err ---\n" + err;
    }
  }

  static Path jar() {
    String path = System.getProperty("lifeboat.jar");
    assertThat(path).as("system property lifeboat.jar (set by failsafe to the shaded jar)").isNotBlank();
    Path jar = Path.of(path);
    assertThat(jar).as("the packaged jar").isRegularFile();
    return jar;
  }

  /** Runs the jar in {@code work} with {@code env} added to a clean copy of this environment. */
  static Run run(Path work, Map<String, String> env, String... args) throws IOException, InterruptedException {
    // The JIT and GC options only shorten start-up on a busy build machine; the class path is the jar alone.
    return start(work, env, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar().toString()), args);
  }

  /** Runs {@code launcher} (a command that starts Lifeboat, such as bin/lifeboat) with {@code args}, as {@link #run} does. */
  static Run start(Path work, Map<String, String> env, List<String> launcher, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(List.of(args));
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    // Credentials or endpoints of the machine running the build must not leak into the runs.
    pb.environment().keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("NEON_") || k.startsWith("MONGODB_")
        || k.startsWith("AWS_") || k.startsWith("GITHUB_") || k.equals("GH_TOKEN") || k.startsWith("SUPABASE_"));
    pb.environment().putAll(env);
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("lifeboat " + String.join(" ", args) + " did not finish in 90 s");
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    // In the test's output file: where the build's time goes.
    System.out.println("lifeboat " + String.join(" ", args) + ": exit " + p.exitValue() + " after " + elapsed.toMillis() + " ms");
    return new Run(List.of(args), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8), elapsed);
  }

  static Run run(Path work, String... args) throws IOException, InterruptedException {
    return run(work, Map.of(), args);
  }

  /** A run of the jar that is still going, for tests that stop it with a signal. */
  record Running(Process process, List<String> args, Path out, Path err) {
    /** Waits for the process to end (at most 90 s) and reads what it wrote. */
    Run await() throws IOException, InterruptedException {
      assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("lifeboat " + String.join(" ", args) + " ended").isTrue();
      return new Run(args, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8), Duration.ZERO);
    }
  }

  /** Starts the jar as {@link #run} does, without waiting for it. */
  static Running spawn(Path work, String... args) throws IOException {
    return spawn(work, null, args);
  }

  /** {@link #spawn(Path, String...)} with the environment of {@link #run(Path, Map, String...)} ({@code null}: the build's). */
  static Running spawn(Path work, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar().toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
    if (env != null) {
      pb.environment().keySet().removeIf(k -> k.startsWith("NEON_") || k.startsWith("MONGODB_") || k.startsWith("AWS_")
          || k.startsWith("GITHUB_") || k.equals("GH_TOKEN") || k.startsWith("SUPABASE_"));
      pb.environment().putAll(env);
    }
    return new Running(pb.start(), List.of(args), out, err);
  }

  /** A local TCP port nothing listens on (bound, then released). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
