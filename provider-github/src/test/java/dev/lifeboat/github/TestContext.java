package dev.lifeboat.github;

import dev.lifeboat.Location;
import dev.lifeboat.ProgressListener;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import dev.lifeboat.spi.Restorer;
import dev.lifeboat.spi.SecretResolver;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The context a store gets: settings and secrets given by the test, nothing else. */
final class TestContext implements ProviderContext {
  private final Map<String, String> settings;
  private final Map<String, String> secrets;
  private final Map<String, Object> shared = new ConcurrentHashMap<>();

  TestContext(Map<String, String> settings, Map<String, String> secrets) {
    this.settings = settings;
    this.secrets = secrets;
  }

  @Override
  public Map<String, String> settings() {
    return settings;
  }

  @Override
  public SecretResolver secrets() {
    return name -> Optional.ofNullable(secrets.get(name));
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
    return type.cast(shared.computeIfAbsent(key, k -> factory.get()));
  }

  @Override
  public BackupSource source(Location location) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Restorer restorer(String format, Location destination) {
    throw new UnsupportedOperationException();
  }

  @Override
  public RestoreVerifier verifier(String format, Location destination) {
    throw new UnsupportedOperationException();
  }
}
