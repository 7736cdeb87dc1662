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
   * Sends slf4j-simple's output to standard error, quiet (warnings only) unless {@code --verbose}.
   * Must run before the first logger is created; {@code -D} options given to the JVM win.
   */
  static void configureLogging(boolean verbose) {
    setDefault("org.slf4j.simpleLogger.logFile", "System.err");
    setDefault("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
    setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
    setDefault("org.slf4j.simpleLogger.showThreadName", "false");
    setDefault("org.slf4j.simpleLogger.showDateTime", verbose ? "true" : "false");
    setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    // The embedded PostgreSQL of 'lifeboat demo' logs every server line at info.
    setDefault("org.slf4j.simpleLogger.log.io.zonky", verbose ? "info" : "warn");
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
