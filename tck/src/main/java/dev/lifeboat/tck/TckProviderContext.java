package dev.lifeboat.tck;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.ProgressListener;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import dev.lifeboat.spi.Restorer;
import dev.lifeboat.spi.SecretResolver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link ProviderContext} for calling a provider's SPI directly, below the facade, with the
 * providers a {@link dev.lifeboat.Lifeboat} instance discovered.
 */
final class TckProviderContext implements ProviderContext, AutoCloseable {
  private final List<LifeboatProvider> providers;
  private final Map<String, String> settings;
  private final SecretResolver secrets;
  private final Map<String, Object> shared = new LinkedHashMap<>();

  TckProviderContext(List<LifeboatProvider> providers, Map<String, String> settings, SecretResolver secrets) {
    this.providers = List.copyOf(providers);
    this.settings = Map.copyOf(settings);
    this.secrets = secrets;
  }

  @Override
  public Map<String, String> settings() {
    return settings;
  }

  @Override
  public SecretResolver secrets() {
    return secrets;
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
  public synchronized <T> T shared(String key, Class<T> type, Supplier<T> factory) {
    return type.cast(shared.computeIfAbsent(key, k -> factory.get()));
  }

  @Override
  public BackupSource source(Location location) {
    for (LifeboatProvider p : providers) {
      if (p.schemes().contains(location.scheme())) {
        Optional<BackupSource> s = p.source(location, this);
        if (s.isPresent()) {
          return s.get();
        }
      }
    }
    throw new LifeboatException(ErrorCode.UNKNOWN_SCHEME,
        "No provider on the test class path backs up " + location.scheme() + ": locations (" + location + ").");
  }

  @Override
  public Restorer restorer(String format, Location destination) {
    for (LifeboatProvider p : providers) {
      for (Restorer r : p.restorers(this)) {
        if (r.formats().contains(format) && r.accepts(destination)) {
          return r;
        }
      }
    }
    throw new LifeboatException(ErrorCode.UNSUPPORTED, "No provider on the test class path restores " + format + " into " + destination + ".");
  }

  @Override
  public RestoreVerifier verifier(String format, Location destination) {
    for (LifeboatProvider p : providers) {
      for (RestoreVerifier v : p.verifiers(this)) {
        if (v.accepts(format, destination)) {
          return v;
        }
      }
    }
    throw new LifeboatException(ErrorCode.UNSUPPORTED, "No provider on the test class path verifies " + format + " in " + destination + ".");
  }

  @Override
  public synchronized void close() {
    List<Object> values = new ArrayList<>(shared.values());
    Collections.reverse(values);
    shared.clear();
    for (Object v : values) {
      if (v instanceof AutoCloseable) {
        try {
          ((AutoCloseable) v).close();
        } catch (Exception ignored) {
          // Test clean-up: the next test class starts its own context.
        }
      }
    }
  }
}
