package dev.lifeboat;

/**
 * The names of the dump formats Lifeboat writes, as recorded in {@link Manifest#format()}. Shared
 * by every module that writes, reads or verifies a format, so that a name is spelled once.
 */
public final class Formats {
  /** {@code pg_dump --format=custom}: one file, streamed. */
  public static final String PG_CUSTOM = "pg-custom";
  /** {@code pg_dump --format=directory}, stored as a tar of the folder. */
  public static final String PG_DIRECTORY = "pg-directory";
  /** A mongodump archive ({@code mongodump --archive}). */
  public static final String MONGO_ARCHIVE = "mongo-archive";
  /** A Neon branch taken natively; it holds no bytes. */
  public static final String NEON_BRANCH = "neon-branch";
  /**
   * A {@code pg_dump --format=custom} archive of a Supabase project, without the platform's managed
   * schemas; restored with the destination prepared for it (roles, the {@code extensions} schema).
   */
  public static final String SUPABASE_PG_CUSTOM = "supabase-pg-custom";
  /** A Supabase project's own backup or point in time, taken and restored by the platform; it holds no bytes. */
  public static final String SUPABASE_PLATFORM = "supabase-platform";

  private Formats() {}
}
