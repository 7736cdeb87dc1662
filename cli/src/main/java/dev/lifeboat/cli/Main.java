package dev.lifeboat.cli;

import dev.lifeboat.Json;
import dev.lifeboat.Manifest;
import java.util.Arrays;

/** The {@code lifeboat} program: {@code java -jar lifeboat.jar <command> [options]}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    configureLogging(Arrays.asList(args).contains("--verbose"));
    warmUpJsonInBackground();
    System.exit(LifeboatCli.execute(args));
  }

  /**
   * Almost every command reads manifests, and loading Jackson's classes is the largest part of a
   * cold start (about a third of a second). Doing it on the other core while the command line is
   * parsed and the providers are found takes most of it off the critical path.
   */
  private static void warmUpJsonInBackground() {
    Thread warmUp = new Thread(() -> {
      try {
        Manifest sample = Manifest.builder().id("20260101T000000.000Z-00000000").format("warm-up").build();
        Json.mapper().readValue(Json.write(sample), Manifest.class);
      } catch (java.io.IOException | RuntimeException ignored) {
        // Only a warm-up: the command itself reports any real problem.
      }
    }, "lifeboat-warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
  }

  /**
   * Quiet logging unless {@code --verbose}; see {@link LoggingSetup}. Must run before the first
   * logger is created.
   */
  static void configureLogging(boolean verbose) {
    LoggingSetup.configure(verbose);
  }
}
