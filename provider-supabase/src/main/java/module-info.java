/**
 * Lifeboat's Supabase provider: Supabase-aware logical backups of {@code supabase://PROJECT_REF}
 * with the host's pg_dump (no Docker), restores of them into plain PostgreSQL or another Supabase
 * project, and the platform's own backups and point-in-time restore through the Management API.
 */
module dev.lifeboat.provider.supabase {
  requires dev.lifeboat.core;
  requires dev.lifeboat.postgres;
  requires java.sql;
  requires com.fasterxml.jackson.databind;
  requires okhttp3;
  requires io.github.resilience4j.retry;
  requires io.github.resilience4j.core;
  requires org.slf4j;

  exports dev.lifeboat.supabase;

  provides dev.lifeboat.spi.LifeboatProvider with dev.lifeboat.supabase.SupabaseProvider;
}
