package dev.lifeboat;

/**
 * What a snapshot was taken from.
 *
 * @param kind {@code postgresql}, {@code mongodb}, {@code neon}, {@code supabase}
 * @param serverVersion the server's version as it reports it
 * @param database the database name
 * @param uri the source URI with any password removed
 */
public record SourceFingerprint(String kind, String serverVersion, String database, String uri) {
  public SourceFingerprint {
    uri = Location.redact(uri);
  }
}
