package dev.lifeboat.spi;

import dev.lifeboat.Location;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one {@link java.util.ServiceLoader} entry of a provider module. It names the URI schemes it
 * serves and creates the parts it supports; every method but {@link #name()} and
 * {@link #schemes()} has a default that supports nothing.
 */
public interface LifeboatProvider {

  /** A short stable name, e.g. {@code pgdump}, {@code file}. */
  String name();

  /** The location schemes this provider opens, lower case: {@code postgresql}, {@code file}. */
  Set<String> schemes();

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

  /** A snapshot store at {@code location}, or empty. */
  default Optional<SnapshotTarget> target(Location location, ProviderContext context) {
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
}
