package dev.lifeboat.cli;

import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Where log lines go. Without {@code --verbose} the user sees results and at most one error line:
 * Lifeboat's own warnings are kept, every library logger (the MongoDB driver, the PostgreSQL
 * driver, OkHttp, resilience4j, the embedded PostgreSQL) is off, so none of their lines can
 * precede or pad the error. With {@code --verbose} everything down to debug goes to standard
 * error, java.util.logging included (routed to slf4j). {@code -D} options given to the JVM win.
 */
final class LoggingSetup {
  private static final String SIMPLE = "org.slf4j.simpleLogger.";

  private LoggingSetup() {}

  static void configure(boolean verbose) {
    setDefault(SIMPLE + "logFile", "System.err");
    // Libraries log what they see (a refused connection, a retried call) before Lifeboat reports
    // it in one line; those lines are for --verbose only.
    setDefault(SIMPLE + "defaultLogLevel", verbose ? "debug" : "off");
    setDefault(SIMPLE + "log.dev.lifeboat", verbose ? "debug" : "warn");
    // The embedded PostgreSQL of 'lifeboat demo' logs every server line at info.
    setDefault(SIMPLE + "log.io.zonky", verbose ? "info" : "off");
    setDefault(SIMPLE + "showShortLogName", "true");
    setDefault(SIMPLE + "showThreadName", "false");
    setDefault(SIMPLE + "showDateTime", verbose ? "true" : "false");
    setDefault(SIMPLE + "dateTimeFormat", "HH:mm:ss.SSS");
    configureJavaUtilLogging(verbose);
    if (verbose) {
      // Library loggers print to standard error too, past Lifeboat's own redaction.
      Charset charset = Charset.defaultCharset();
      System.setErr(new PrintStream(new RedactingOutputStream(System.err, charset), true, charset));
    }
  }

  /**
   * The PostgreSQL driver and OkHttp log through java.util.logging, whose console handler prints
   * {@code WARNING} lines on standard error by default. Without {@code --verbose} it is switched
   * off; with it, its records go through slf4j (down to {@code FINE}, which slf4j calls debug).
   * Named as java.util.logging's configuration class rather than applied now: its log manager
   * costs tens of milliseconds to start, and commands that load neither library never start it.
   */
  private static void configureJavaUtilLogging(boolean verbose) {
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    JavaUtilLoggingConfig.verbose = verbose;
    System.setProperty("java.util.logging.config.class", JavaUtilLoggingConfig.class.getName());
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
