/**
 * Lifeboat's PostgreSQL provider: backups streamed from {@code pg_dump}, restores with
 * {@code pg_restore}, a verifier that checks a restored database against the manifest, and
 * branching through local template databases.
 */
module dev.lifeboat.provider.pgdump {
  requires transitive dev.lifeboat.core;
  requires transitive dev.lifeboat.postgres;
  requires org.apache.commons.compress;
  requires org.slf4j;

  exports dev.lifeboat.pgdump;

  provides dev.lifeboat.spi.LifeboatProvider with dev.lifeboat.pgdump.PgDumpProvider;
}
