package dev.lifeboat.spi;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.Location;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.ProgressListener;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a provider gets from the {@link dev.lifeboat.Lifeboat} instance that uses it: settings,
 * secrets, the clock, the progress listener, and a place to share expensive objects (an HTTP
 * client, a driver pool) that are closed with the instance.
 */
public interface ProviderContext {

  /** All settings, e.g. {@code pgdump.bin} or {@code neon.apiUrl}. */
  Map<String, String> settings();

  /** One setting. */
  default Optional<String> setting(String key) {
    return Optional.ofNullable(settings().get(key));
  }

  /** One setting, or a configuration error saying what to set. */
  default String requireSetting(String key, String hint) {
    return setting(key).orElseThrow(() -> new LifeboatException(ErrorCode.CONFIGURATION,
        "Setting '" + key + "' is missing. " + hint));
  }

  /** Where secrets come from. */
  SecretResolver secrets();

  /** The clock every timestamp comes from (UTC instants). */
  Clock clock();

  /** Where progress goes. */
  ProgressListener progress();

  /**
   * The object shared under {@code key} by every provider of this instance, created on first use.
   * Objects that are {@link AutoCloseable} are closed when the Lifeboat instance closes.
   */
  <T> T shared(String key, Class<T> type, Supplier<T> factory);

  /**
   * A source from whichever installed provider serves {@code location}; for a platform location
   * ({@code neon://P/BRANCH}), the source of the direct database behind it, described as the
   * platform's, as a backup would dump it.
   */
  BackupSource source(Location location);

  /** The installed restorer for {@code format} into {@code destination}. */
  Restorer restorer(String format, Location destination);

  /** The installed verifier for {@code format} restored into {@code destination}. */
  RestoreVerifier verifier(String format, Location destination);
}
