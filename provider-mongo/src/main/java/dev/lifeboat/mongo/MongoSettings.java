package dev.lifeboat.mongo;

import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.spi.ProviderContext;
import java.util.Map;

/**
 * The provider's settings, read from the Lifeboat instance's settings, overridden per call by
 * {@code DumpOptions.extra()} or {@code RestoreOptions.extra()} under the same keys.
 */
final class MongoSettings {
  /**
   * Collections read at the same time during a dump (and namespaces open at once in the archive),
   * when the dump's options do not give {@code jobs}; see {@link #readers(DumpOptions)}.
   */
  static final String PARALLEL_COLLECTIONS = "mongo.parallelCollections";
  /** Collections read at once when neither {@code jobs} nor {@value #PARALLEL_COLLECTIONS} is given. */
  static final int DEFAULT_PARALLEL_COLLECTIONS = 4;
  /** Documents per cursor batch when reading. */
  static final String BATCH_SIZE = "mongo.batchSize";
  /** Target size of the document chunks handed from readers to the archive writer. */
  static final String CHUNK_BYTES = "mongo.chunkBytes";
  /** Documents per insertMany when restoring into MongoDB. */
  static final String INSERT_BATCH = "mongo.insertBatch";
  /**
   * How long to wait for a reachable server (SRV lookup included) before failing with a connection
   * error; a {@code serverSelectionTimeoutMS} option in the URI takes precedence.
   */
  static final String SERVER_SELECTION_TIMEOUT_MS = "mongo.serverSelectionTimeoutMs";
  /**
   * The default wait for a server: long enough for a replica set election or a slow TLS handshake,
   * short enough that a wrong host fails a command in seconds rather than the driver's 30.
   */
  static final int DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5_000;

  private final Map<String, String> settings;
  private final Map<String, String> overrides;

  MongoSettings(ProviderContext context, Map<String, String> overrides) {
    this.settings = context.settings();
    this.overrides = overrides == null ? Map.of() : overrides;
  }

  String string(String key, String fallback) {
    String v = overrides.get(key);
    if (v == null) {
      v = settings.get(key);
    }
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  int positiveInt(String key, int fallback) {
    String v = string(key, null);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Setting '" + key + "' must be a positive whole number, was '" + v + "'.");
    }
  }

  int parallelCollections() {
    return positiveInt(PARALLEL_COLLECTIONS, DEFAULT_PARALLEL_COLLECTIONS);
  }

  /**
   * How many collections a dump reads at once: {@code jobs} when the options give it (the
   * command line's {@code --jobs}), else {@value #PARALLEL_COLLECTIONS}, else
   * {@value #DEFAULT_PARALLEL_COLLECTIONS}. Both say the same thing, so when both are given they
   * must agree: two different numbers are refused ({@code CONFIGURATION}) rather than one of them
   * silently losing.
   */
  int readers(DumpOptions options) {
    int setting = parallelCollections();
    if (!options.jobsGiven()) {
      return setting;
    }
    if (string(PARALLEL_COLLECTIONS, null) != null && setting != options.jobs()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "--jobs " + options.jobs() + " and " + PARALLEL_COLLECTIONS + "="
          + setting + " both set how many collections a MongoDB backup reads at once, and they disagree. Give one of them.");
    }
    return options.jobs();
  }

  int batchSize() {
    return positiveInt(BATCH_SIZE, 1000);
  }

  int chunkBytes() {
    // Below half a G1 region of a small heap, so chunks are not humongous allocations.
    return positiveInt(CHUNK_BYTES, 256 << 10);
  }

  int insertBatch() {
    return positiveInt(INSERT_BATCH, 1000);
  }

  long serverSelectionTimeoutMs() {
    return positiveInt(SERVER_SELECTION_TIMEOUT_MS, DEFAULT_SERVER_SELECTION_TIMEOUT_MS);
  }
}
