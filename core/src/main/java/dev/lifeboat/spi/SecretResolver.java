package dev.lifeboat.spi;

import java.util.Optional;

/**
 * Looks up secrets by name ({@code PGPASSWORD}, {@code NEON_API_KEY}). The default reads the
 * process environment; applications plug in a vault.
 */
@FunctionalInterface
public interface SecretResolver {
  /** Reads the process environment. */
  SecretResolver ENVIRONMENT = name -> Optional.ofNullable(System.getenv(name));

  Optional<String> resolve(String name);

  /** This resolver, falling back to {@code other} for names it does not know. */
  default SecretResolver orElse(SecretResolver other) {
    return name -> {
      Optional<String> v = resolve(name);
      return v.isPresent() ? v : other.resolve(name);
    };
  }
}
