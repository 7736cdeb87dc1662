/**
 * The PostgreSQL family: what every provider that talks to PostgreSQL shares (the pg_dump
 * provider, the MongoDB provider's JSONB standby, platforms such as Neon and Supabase). Connection
 * URIs and passwords ({@link dev.lifeboat.postgres.PgLocation}, {@link dev.lifeboat.postgres.PgPass}),
 * connecting with one mapping of failures to error codes ({@link dev.lifeboat.postgres.PgConnections},
 * {@link dev.lifeboat.postgres.PgErrors}), whole databases ({@link dev.lifeboat.postgres.PgDatabases}),
 * catalog queries ({@link dev.lifeboat.postgres.PgCatalog}), expectation checks
 * ({@link dev.lifeboat.postgres.PgExpectations}) and the pg_dump/pg_restore runner
 * ({@link dev.lifeboat.postgres.PgTools}, {@link dev.lifeboat.postgres.ChildProcess}). A library,
 * not a provider: it registers nothing with {@link java.util.ServiceLoader}.
 */
module dev.lifeboat.postgres {
  requires transitive dev.lifeboat.core;
  requires transitive java.sql;
  requires org.postgresql.jdbc;
  requires org.slf4j;

  exports dev.lifeboat.postgres;
}
