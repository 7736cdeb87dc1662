package dev.lifeboat.neon;

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
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** A provider context for tests that use the Neon provider alone (no delegation to other providers). */
final class TestContext implements ProviderContext {
  private final Map<String, String> settings;
  private final SecretResolver secrets;
  private final Clock clock;
  private final Map<String, Object> shared = new HashMap<>();

  TestContext(Map<String, String> settings, SecretResolver secrets, Clock clock) {
    this.settings = Map.copyOf(settings);
    this.secrets = secrets;
    this.clock = clock;
  }

  @Override public Map<String, String> settings() { return settings; }
  @Override public SecretResolver secrets() { return secrets; }
  @Override public Clock clock() { return clock; }
  @Override public ProgressListener progress() { return ProgressListener.NONE; }

  @Override
  public synchronized <T> T shared(String key, Class<T> type, Supplier<T> factory) {
    return type.cast(shared.computeIfAbsent(key, k -> factory.get()));
  }

  @Override
  public BackupSource source(Location location) {
    throw new LifeboatException(ErrorCode.UNSUPPORTED, "no PostgreSQL provider in this test: " + location);
  }

  @Override
  public Restorer restorer(String format, Location destination) {
    throw new LifeboatException(ErrorCode.UNSUPPORTED, "no PostgreSQL provider in this test");
  }

  @Override
  public RestoreVerifier verifier(String format, Location destination) {
    throw new LifeboatException(ErrorCode.UNSUPPORTED, "no PostgreSQL provider in this test");
  }
}
