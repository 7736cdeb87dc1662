package dev.lifeboat.spi;

import dev.lifeboat.Location;
import dev.lifeboat.SourceFingerprint;
import java.util.Map;
import java.util.Objects;

/**
 * The database behind a platform location, as {@link DatabasePlatform#resolve} found it.
 *
 * @param direct the direct location of the database (e.g. {@code postgresql://…}), credentials
 *     included: never print it, use {@code toString()} of the location
 * @param displayName what the user sees and must type to confirm a restore into a protected
 *     database, e.g. the branch name
 * @param protectedByPlatform whether the platform protects it (a default or protected branch):
 *     a restore into it needs {@code --confirm displayName}
 * @param identity what a snapshot of it records as its source (kind and redacted platform URI)
 * @param properties facts for the manifest and the restore result, e.g. {@code neon.projectId}
 */
public record ResolvedDatabase(
    Location direct,
    String displayName,
    boolean protectedByPlatform,
    SourceFingerprint identity,
    Map<String, String> properties) {
  public ResolvedDatabase {
    Objects.requireNonNull(direct, "direct");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(identity, "identity");
    properties = properties == null ? Map.of() : Map.copyOf(properties);
  }

  @Override
  public String toString() {
    return "ResolvedDatabase[" + displayName + " -> " + direct + "]";
  }
}
