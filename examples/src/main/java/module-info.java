/**
 * Small runnable programs that embed Lifeboat: a scheduled backup service with a health line, a
 * backup that notifies a webhook and pings a heartbeat, a
 * scheduled restore drill that files its reports, and
 * a safety snapshot taken before a migration and restored automatically when the migration fails.
 */
module dev.lifeboat.examples {
  requires dev.lifeboat.core;
  requires java.sql;
  requires org.slf4j;
  requires embedded.postgres;

  exports dev.lifeboat.examples;
}
