package dev.lifeboat;

import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.SecretResolver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Builds {@link Lifeboat} instances: {@code Lifeboat.builder().setting(..).listener(..).build()}. */
public final class LifeboatBuilder {
  final Map<String, String> settings = new LinkedHashMap<>();
  SecretResolver secrets = SecretResolver.ENVIRONMENT;
  Clock clock = Clock.systemUTC();
  ProgressListener progress = ProgressListener.NONE;
  ClassLoader classLoader = Lifeboat.class.getClassLoader();
  final List<LifeboatProvider> providers = new ArrayList<>();
  final List<LifeboatListener> listeners = new ArrayList<>();

  LifeboatBuilder() {}

  /** A setting, e.g. {@code pgdump.bin=/usr/lib/postgresql/16/bin} or {@code lifeboat.scratchDir=/var/tmp}. */
  public LifeboatBuilder setting(String key, String value) { settings.put(key, value); return this; }
  public LifeboatBuilder settings(Map<String, String> values) { settings.putAll(values); return this; }
  /** Where secrets come from; the environment by default. */
  public LifeboatBuilder secrets(SecretResolver value) { secrets = Objects.requireNonNull(value); return this; }
  /** The clock for ids and timestamps; UTC system clock by default. */
  public LifeboatBuilder clock(Clock value) { clock = Objects.requireNonNull(value); return this; }
  public LifeboatBuilder progress(ProgressListener value) { progress = Objects.requireNonNull(value); return this; }
  /** Receives an event when a backup, restore or verification starts, succeeds or fails. */
  public LifeboatBuilder listener(LifeboatListener value) { listeners.add(Objects.requireNonNull(value)); return this; }
  /** Where {@link java.util.ServiceLoader} looks for providers. */
  public LifeboatBuilder classLoader(ClassLoader value) { classLoader = Objects.requireNonNull(value); return this; }
  /**
   * A provider to use besides the discovered ones; among providers of equal
   * {@link LifeboatProvider#priority()} it is asked before them.
   */
  public LifeboatBuilder provider(LifeboatProvider value) { providers.add(Objects.requireNonNull(value)); return this; }

  public Lifeboat build() {
    return new Lifeboat(this);
  }
}
