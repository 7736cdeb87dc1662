package dev.lifeboat.mongo.archive;

/**
 * The first document of a mongodump archive's prelude.
 *
 * @param concurrentCollections how many namespaces the writer keeps open at once at most
 *     (mongorestore uses at least this many workers)
 * @param version the archive format version, always {@code 0.1}
 * @param serverVersion the source server's version ({@code X.Y.Z[-…]}; mongorestore parses it)
 * @param toolVersion the writing tool's version, or {@code null} in very old archives
 */
public record ArchiveHeader(int concurrentCollections, String version, String serverVersion, String toolVersion) {
  /** The only archive format version there is. */
  public static final String FORMAT_VERSION = "0.1";
}
