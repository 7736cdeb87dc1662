package dev.lifeboat.spi;

import dev.lifeboat.Location;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one {@link java.util.ServiceLoader} entry of a provider module. It names the URI schemes it
 * serves and creates the parts it supports; every method but {@link #name()} and
 * {@link #schemes()} has a default that supports nothing.
 *
 * <p>When several providers serve one scheme, core asks them in order of {@link #priority()},
 * highest first; providers of equal priority are asked in order of {@link #name()}. The first
 * that offers the part asked for (a source, a store, …) is used.
 */
public interface LifeboatProvider {

  /** A short stable name, e.g. {@code pgdump}, {@code file}. */
  String name();

  /** The location schemes this provider opens, lower case: {@code postgresql}, {@code file}. */
  Set<String> schemes();

  /**
   * Where this provider stands among the providers of one scheme: higher is asked first. The
   * default is {@code 0}; a provider that specialises a scheme another also serves (a managed
   * service on {@code postgresql://} hosts) declares a higher one.
   */
  default int priority() {
    return 0;
  }

  /**
   * Every setting this provider reads, e.g. {@code pgdump.bin}. A setting is refused when no
   * installed provider declares it, with a message that lists the keys of the provider whose
   * prefix it shares, so a misspelt key never goes unnoticed.
   */
  default Set<String> settingKeys() {
    return Set.of();
  }

  /** A source for a live database at {@code location}, or empty when this provider cannot back it up. */
  default Optional<BackupSource> source(Location location, ProviderContext context) {
    return Optional.empty();
  }

  /** Archive storage at {@code location} (core keeps snapshots in it), or empty. */
  default Optional<BlobStore> store(Location location, ProviderContext context) {
    return Optional.empty();
  }

  /** The platform's own snapshots at {@code location} (Neon backup branches), or empty. */
  default Optional<NativeSnapshots> nativeSnapshots(Location location, ProviderContext context) {
    return Optional.empty();
  }

  /**
   * The platform behind {@code location} when it is a platform's name for a database of another
   * family ({@code neon://P/BRANCH} for a PostgreSQL database), or empty.
   */
  default Optional<DatabasePlatform> platform(Location location, ProviderContext context) {
    return Optional.empty();
  }

  /** Restorers this provider offers; each says which formats and destinations it takes. */
  default List<Restorer> restorers(ProviderContext context) {
    return List.of();
  }

  /** Verifiers this provider offers; each says which formats and destinations it checks. */
  default List<RestoreVerifier> verifiers(ProviderContext context) {
    return List.of();
  }

  /** A branching platform at {@code location} (a Neon project, a local PostgreSQL server), or empty. */
  default Optional<Branching> branching(Location location, ProviderContext context) {
    return Optional.empty();
  }

  /**
   * Throwaway databases on the server {@code location} names (its database is ignored), for
   * restore drills, or empty when this provider cannot create and drop databases there.
   */
  default Optional<ScratchDatabases> scratch(Location location, ProviderContext context) {
    return Optional.empty();
  }

  /**
   * Restore drills on the platform {@code location} is part of (a Neon project, or a branch of
   * it for a point-in-time drill), or empty.
   */
  default Optional<NativeDrills> nativeDrills(Location location, ProviderContext context) {
    return Optional.empty();
  }
}
