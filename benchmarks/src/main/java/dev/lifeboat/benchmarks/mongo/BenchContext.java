package dev.lifeboat.benchmarks.mongo;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.ProgressListener;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import dev.lifeboat.spi.Restorer;
import dev.lifeboat.spi.SecretResolver;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/** A provider context for driving the MongoDB provider's SPI directly in benchmarks. */
record BenchContext(Map<String, String> settings) implements ProviderContext {
  @Override
  public SecretResolver secrets() {
    return SecretResolver.ENVIRONMENT;
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public ProgressListener progress() {
    return ProgressListener.NONE;
  }

  @Override
  public <T> T shared(String key, Class<T> type, Supplier<T> factory) {
    return factory.get();
  }

  @Override
  public BackupSource source(Location location) {
    throw new LifeboatException(ErrorCode.UNSUPPORTED, "not used by the benchmarks");
  }

  @Override
  public Restorer restorer(String format, Location destination) {
    throw new LifeboatException(ErrorCode.UNSUPPORTED, "not used by the benchmarks");
  }

  @Override
  public RestoreVerifier verifier(String format, Location destination) {
    throw new LifeboatException(ErrorCode.UNSUPPORTED, "not used by the benchmarks");
  }
}
