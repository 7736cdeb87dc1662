package dev.lifeboat.internal;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.Verification;
import dev.lifeboat.spi.ResolvedDatabase;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A database an operation works on, resolved once: either a direct location, or a platform
 * location ({@code neon://P/BRANCH}) and the direct database behind it. Runs restore into, verify
 * and back up {@link #direct()}, and describe the outcome with {@link #location()}.
 */
final class Destination {
  private final Location location;
  private final ResolvedDatabase resolved;

  private Destination(Location location, ResolvedDatabase resolved) {
    this.location = location;
    this.resolved = resolved;
  }

  /** {@code location}, resolved through its platform when a provider offers one. */
  static Destination of(ProviderRegistry registry, Location location) {
    return new Destination(location, registry.platform(location).map(p -> p.resolve(location)).orElse(null));
  }

  /** The location as the user gave it. */
  Location location() {
    return location;
  }

  /** Where the database's own provider connects. */
  Location direct() {
    return resolved == null ? location : resolved.direct();
  }

  /** The platform's view of the database, or {@code null} for a direct location. */
  ResolvedDatabase resolved() {
    return resolved;
  }

  /**
   * The options to hand the direct restorer. On a platform: a protected database, or the one the
   * snapshot was taken from, is refused unless confirmed with the platform's name for it; that
   * confirmation is passed on as the direct database's name, which is what the restorer knows.
   */
  RestoreOptions restoreOptions(Manifest manifest, RestoreOptions options) {
    if (resolved == null) {
      return options;
    }
    String name = resolved.displayName();
    boolean confirmed = options.confirm().filter(name::equals).isPresent();
    boolean source = isSourceOf(manifest);
    if ((resolved.protectedByPlatform() || source) && !confirmed) {
      throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION, "Destination " + location + " is "
          + (source ? "the database snapshot " + manifest.id() + " was taken from" : "protected by its platform")
          + ". Restoring would overwrite it. To do that on purpose, confirm with its name (--confirm " + name
          + ") and ask to replace its contents (--replace).");
    }
    if (!confirmed) {
      return options;
    }
    String directName = lastPathSegment(resolved.direct());
    return directName == null ? options : options.toBuilder().confirm(directName).build();
  }

  /** Whether the snapshot's recorded source is this platform database (same kind and URI, query aside). */
  private boolean isSourceOf(Manifest manifest) {
    SourceFingerprint recorded = manifest.source();
    SourceFingerprint identity = resolved.identity();
    return recorded != null && recorded.uri() != null && Objects.equals(recorded.kind(), identity.kind())
        && withoutQuery(recorded.uri()).equals(withoutQuery(identity.uri()));
  }

  /** A restore result that names the platform location and carries the platform's facts. */
  RestoreResult describe(RestoreResult result) {
    if (resolved == null) {
      return result;
    }
    Map<String, String> details = new LinkedHashMap<>(result.details());
    details.putAll(resolved.properties());
    return new RestoreResult(result.snapshotId(), location.redacted(), result.format(), result.restored(), result.elapsed(),
        details, result.verification());
  }

  /** A verification whose subject is the platform location. */
  Verification describe(Verification verification) {
    return resolved == null ? verification : new Verification(verification.snapshotId(), location.redacted(), verification.checks());
  }

  private static String withoutQuery(String uri) {
    int q = uri.indexOf('?');
    return (q < 0 ? uri : uri.substring(0, q)).replaceAll("/+$", "");
  }

  /** The last segment of a URI's path (a PostgreSQL URI's database), or {@code null}. */
  private static String lastPathSegment(Location direct) {
    String path = direct.uri().map(URI::getPath).orElse(null);
    if (path == null || path.isBlank() || path.equals("/")) {
      return null;
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
