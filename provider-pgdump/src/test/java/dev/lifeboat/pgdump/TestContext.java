package dev.lifeboat.pgdump;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Location;
import dev.lifeboat.ProgressListener;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import dev.lifeboat.spi.Restorer;
import dev.lifeboat.spi.SecretResolver;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** A provider context for using the provider's parts directly, without the facade. */
record TestContext(Map<String, String> settings, SecretResolver secrets) implements ProviderContext {
  static TestContext plain() {
    return new TestContext(Map.of(), name -> Optional.empty());
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public ProgressListener progress() {
    return ProgressListener.NONE;
  }

  private static final Map<String, Object> SHARED = new HashMap<>();

  @Override
  public <T> T shared(String key, Class<T> type, Supplier<T> factory) {
    synchronized (SHARED) {
      return type.cast(SHARED.computeIfAbsent(key, k -> factory.get()));
    }
  }

  @Override
  public BackupSource source(Location location) {
    return new PgDumpProvider().source(location, this).orElseThrow();
  }

  @Override
  public Restorer restorer(String format, Location destination) {
    return new PgRestorer(this);
  }

  @Override
  public RestoreVerifier verifier(String format, Location destination) {
    if (!new PgRestoreVerifier(this).accepts(format, destination)) {
      throw new LifeboatException(ErrorCode.UNSUPPORTED, "no verifier for " + format);
    }
    return new PgRestoreVerifier(this);
  }
}
