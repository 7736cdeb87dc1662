package dev.lifeboat.internal;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.Branching;
import dev.lifeboat.spi.DatabasePlatform;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.NativeSnapshots;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import dev.lifeboat.spi.Restorer;
import dev.lifeboat.spi.ScratchDatabases;
import dev.lifeboat.spi.SnapshotCatalog;
import dev.lifeboat.spi.SnapshotTarget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the provider part for a location by its scheme. Providers are asked in a defined order:
 * higher {@link LifeboatProvider#priority()} first; among equal priorities, those given to the
 * builder before those discovered; then by {@link LifeboatProvider#name()}.
 */
public final class ProviderRegistry {
  /** Settings core itself reads. */
  public static final Set<String> CORE_SETTINGS = Set.of(VerifiedArchive.SCRATCH_SETTING, DrillRun.TIMEOUT_SETTING,
      dev.lifeboat.Compression.ZSTD_LEVEL_SETTING, BackupRun.ENCRYPT_TO_SETTING);

  private final List<LifeboatProvider> providers;
  private final ProviderContext context;

  /**
   * @param explicit providers given to the builder (asked before discovered ones of equal priority)
   * @param discovered providers found by {@link ServiceLoader}
   */
  public ProviderRegistry(List<LifeboatProvider> explicit, List<LifeboatProvider> discovered, ProviderContext context) {
    List<LifeboatProvider> all = new ArrayList<>(explicit);
    for (LifeboatProvider p : discovered) {
      if (all.stream().noneMatch(e -> e.getClass().equals(p.getClass()))) {
        all.add(p);
      }
    }
    Set<LifeboatProvider> given = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    given.addAll(explicit);
    all.sort(Comparator.comparingInt(LifeboatProvider::priority).reversed()
        .thenComparing(p -> !given.contains(p))
        .thenComparing(LifeboatProvider::name));
    this.providers = List.copyOf(all);
    this.context = context;
  }

  /** The context providers get: settings, secrets, clock, progress. */
  public ProviderContext context() {
    return context;
  }

  /** Providers found by {@link ServiceLoader} in {@code loader} (or in core's module layer when core is a named module). */
  public static List<LifeboatProvider> discover(ClassLoader loader) {
    List<LifeboatProvider> all = new ArrayList<>();
    ServiceLoader<LifeboatProvider> found = ProviderRegistry.class.getModule().isNamed()
        ? ServiceLoader.load(ProviderRegistry.class.getModule().getLayer(), LifeboatProvider.class)
        : ServiceLoader.load(LifeboatProvider.class, loader);
    found.forEach(all::add);
    return all;
  }

  /**
   * Refuses settings that no installed provider reads: a misspelt key would otherwise be ignored
   * silently. The message lists the keys of the provider that owns the key's prefix.
   */
  public void checkSettings(Map<String, String> settings) {
    TreeSet<String> known = new TreeSet<>(CORE_SETTINGS);
    providers.forEach(p -> known.addAll(p.settingKeys()));
    for (String key : new TreeSet<>(settings.keySet())) {
      if (known.contains(key)) {
        continue;
      }
      int dot = key.indexOf('.');
      String prefix = dot < 0 ? key + "." : key.substring(0, dot + 1);
      List<String> family = known.stream().filter(k -> k.startsWith(prefix)).toList();
      throw new LifeboatException(ErrorCode.CONFIGURATION, family.isEmpty()
          ? "Unknown setting '" + key + "': no installed provider reads it. Known settings: "
              + (known.isEmpty() ? "none" : String.join(", ", known)) + "."
          : "Unknown setting '" + key + "'. Known " + prefix.substring(0, prefix.length() - 1) + " settings: "
              + String.join(", ", family) + ".");
    }
  }

  /** The installed providers, in the order they are asked. */
  public List<LifeboatProvider> providers() {
    return providers;
  }

  /**
   * A source for {@code location}: through its platform when one is behind it (the direct
   * database's source, described with the platform's identity and properties), directly
   * otherwise. Backups and providers' {@link ProviderContext#source} calls both come here.
   */
  public BackupSource source(Location location) {
    Destination database = Destination.of(this, location);
    BackupSource direct = find(database.direct(), "back up from", LifeboatProvider::source);
    return database.resolved() == null ? direct : new PlatformSource(direct, database.resolved());
  }

  /**
   * Where snapshots of {@code location} are kept: an archive store (a {@link SnapshotTarget} over
   * the provider's blob store) or, when the provider offers none, the platform's own
   * {@link NativeSnapshots}.
   */
  public SnapshotCatalog snapshots(Location location) {
    return find(location, "keep snapshots in", (p, l, c) -> p.store(l, c).<SnapshotCatalog>map(SnapshotTarget::over)
        .or(() -> p.nativeSnapshots(l, c)));
  }

  /** The platform behind {@code location}, when a provider of its scheme offers one; never fails. */
  public Optional<DatabasePlatform> platform(Location location) {
    for (LifeboatProvider p : providers) {
      if (p.schemes().contains(location.scheme())) {
        Optional<DatabasePlatform> found = p.platform(location, context);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  public Branching branching(Location location) {
    return find(location, "make branches on", LifeboatProvider::branching);
  }

  /** Throwaway databases on the server {@code location} names, for drills. */
  public ScratchDatabases scratch(Location location) {
    return find(location, "create scratch databases on", LifeboatProvider::scratch);
  }

  /** Restore drills made by the platform {@code location} is part of. */
  public dev.lifeboat.spi.NativeDrills nativeDrills(Location location) {
    return find(location, "run platform restore drills on", LifeboatProvider::nativeDrills);
  }

  /** The restorer for {@code format} into {@code destination}. */
  public Restorer restorer(String format, Location destination) {
    for (LifeboatProvider p : providers) {
      for (Restorer r : p.restorers(context)) {
        if (r.formats().contains(format) && r.accepts(destination)) {
          return r;
        }
      }
    }
    throw new LifeboatException(ErrorCode.UNSUPPORTED,
        "No installed provider restores " + format + " snapshots into " + destination.scheme() + " destinations ("
            + destination + "). Installed providers: " + names() + ".");
  }

  /** Any restorer that reads {@code format}, to check an archive without a destination. */
  public Optional<Restorer> restorerFor(String format) {
    return providers.stream().flatMap(p -> p.restorers(context).stream())
        .filter(r -> r.formats().contains(format)).findFirst();
  }

  public RestoreVerifier verifier(String format, Location destination) {
    for (LifeboatProvider p : providers) {
      for (RestoreVerifier v : p.verifiers(context)) {
        if (v.accepts(format, destination)) {
          return v;
        }
      }
    }
    throw new LifeboatException(ErrorCode.UNSUPPORTED,
        "No installed provider verifies " + format + " snapshots restored into " + destination.scheme()
            + " destinations. Installed providers: " + names() + ".");
  }

  /** Every scheme some installed provider serves, sorted. */
  public TreeSet<String> schemes() {
    TreeSet<String> all = new TreeSet<>();
    providers.forEach(p -> all.addAll(p.schemes()));
    return all;
  }

  private <T> T find(Location location, String verb, Part<T> part) {
    boolean schemeKnown = false;
    for (LifeboatProvider p : providers) {
      if (p.schemes().contains(location.scheme())) {
        schemeKnown = true;
        Optional<T> found = part.open(p, location, context);
        if (found.isPresent()) {
          return found.get();
        }
      }
    }
    if (!schemeKnown) {
      throw new LifeboatException(ErrorCode.UNKNOWN_SCHEME,
          "No installed provider serves '" + location.scheme() + ":' (in " + location + "). Known schemes: "
              + String.join(", ", schemes()) + ". Add the provider module for it to the class path.");
    }
    throw new LifeboatException(ErrorCode.UNSUPPORTED,
        "Lifeboat cannot " + verb + " " + location.scheme() + ": locations (" + location + ").");
  }

  private String names() {
    return String.join(", ", providers.stream().map(LifeboatProvider::name).toList());
  }

  /** One of the provider's factory methods. */
  @FunctionalInterface
  interface Part<T> {
    Optional<T> open(LifeboatProvider provider, Location location, ProviderContext context);
  }
}
