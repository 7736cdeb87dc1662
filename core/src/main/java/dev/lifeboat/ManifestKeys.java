package dev.lifeboat;

/**
 * Keys of {@link Manifest#properties()} that more than one class reads or writes. A provider's
 * private facts keep their keys to themselves; a key shared across classes or modules lives here.
 */
public final class ManifestKeys {
  /** The dump's own size before Lifeboat compressed it (written by core). */
  public static final String DUMP_BYTES = "dumpBytes";
  /**
   * The redacted URI of the PostgreSQL server and database a dump was read from: the server
   * actually dumped, which differs from the fingerprint when a platform names the source.
   */
  public static final String PG_SOURCE = "pg.source";
  /** The major version of the pg_dump that wrote the archive. */
  public static final String PG_DUMP_TOOL_MAJOR = "pg.dumpToolMajor";
  /** The full version of the pg_dump that wrote the archive. */
  public static final String PG_DUMP_TOOL_VERSION = "pg.dumpToolVersion";
  /** {@code true} when the dump holds data only (no schema). */
  public static final String PG_DATA_ONLY = "pg.dataOnly";
  /** {@code true} when the dump was taken without ownership commands. */
  public static final String PG_NO_OWNER = "pg.noOwner";
  /**
   * Present when the stored bytes are encrypted: the algorithm ({@link dev.lifeboat.crypto.Encryption#ALGORITHM}).
   * The manifest itself stays readable.
   */
  public static final String ENCRYPTION = "encryption";
  /** The fingerprint of the public key an encrypted snapshot was encrypted to. */
  public static final String ENCRYPTION_KEY = "encryption.keyFingerprint";
  /** The Supabase project ref a dump or platform backup belongs to. */
  public static final String SUPABASE_PROJECT_REF = "supabase.projectRef";
  /** The Neon project a snapshot belongs to or was taken from. */
  public static final String NEON_PROJECT_ID = "neon.projectId";
  /** The Neon branch a snapshot is (native snapshots) or was taken from (dumps). */
  public static final String NEON_BRANCH_ID = "neon.branchId";

  private ManifestKeys() {}

  /**
   * Present when the store split the archive (a GitHub release asset is below 2 GiB): the names of
   * its parts in order, comma-separated. Reading reassembles them and checks the whole archive's
   * size and SHA-256.
   */
  public static final String ARCHIVE_PARTS = "archive.parts";
}
