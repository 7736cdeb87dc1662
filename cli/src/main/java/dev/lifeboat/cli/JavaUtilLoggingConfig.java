package dev.lifeboat.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * java.util.logging's configuration for the CLI, applied by its log manager when a library first
 * logs through it (see {@link LoggingSetup}): everything off, or with {@code --verbose} everything
 * down to {@code FINE} handed to slf4j. Public with a public constructor because the log manager
 * creates it by reflection ({@code java.util.logging.config.class}).
 */
public final class JavaUtilLoggingConfig {
  static volatile boolean verbose;

  /** Reads the configuration into the log manager; called by the log manager itself. */
  public JavaUtilLoggingConfig() {
    String config = verbose
        ? "handlers=" + SLF4JBridgeHandler.class.getName() + "\n.level=FINE\n"
        : "handlers=\n.level=OFF\n";
    try {
      LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(config.getBytes(StandardCharsets.ISO_8859_1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
