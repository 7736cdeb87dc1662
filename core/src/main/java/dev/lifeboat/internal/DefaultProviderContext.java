package dev.lifeboat.internal;

import dev.lifeboat.Location;
import dev.lifeboat.ProgressListener;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.RestoreVerifier;
import dev.lifeboat.spi.Restorer;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.SecretResolver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The context a Lifeboat instance hands its providers; owns the shared objects. */
public final class DefaultProviderContext implements ProviderContext, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultProviderContext.class);

  private final Map<String, String> settings;
  private final SecretResolver secrets;
  private final Clock clock;
  private final ProgressListener progress;
  private final Map<String, Object> shared = new LinkedHashMap<>();
  private volatile ProviderRegistry registry;

  public DefaultProviderContext(Map<String, String> settings, SecretResolver secrets, Clock clock, ProgressListener progress) {
    this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    // Every secret a provider reads is registered, so that an error body echoing it is redacted.
    this.secrets = name -> {
      java.util.Optional<String> value = secrets.resolve(name);
      value.ifPresent(dev.lifeboat.Redactor::register);
      return value;
    };
    this.clock = clock;
    this.progress = progress;
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
    return clock;
  }

  @Override
  public ProgressListener progress() {
    return progress;
  }

  @Override
  public synchronized <T> T shared(String key, Class<T> type, Supplier<T> factory) {
    Object value = shared.get(key);
    if (value == null) {
      value = factory.get();
      shared.put(key, value);
    }
    return type.cast(value);
  }

  /** Connects the context to the registry built from it. */
  public void attach(ProviderRegistry registry) {
    this.registry = registry;
  }

  @Override
  public BackupSource source(Location location) {
    return registry.source(location);
  }

  @Override
  public Restorer restorer(String format, Location destination) {
    return registry.restorer(format, destination);
  }

  @Override
  public RestoreVerifier verifier(String format, Location destination) {
    return registry.verifier(format, destination);
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
        } catch (Exception e) {
          LOG.warn("Closing a shared {} failed: {}", v.getClass().getSimpleName(), e.getMessage());
        }
      }
    }
  }
}
