/**
 * Lifeboat's MongoDB provider: {@code mongodb://} and {@code mongodb+srv://} sources written as
 * mongodump-compatible archives, restores into MongoDB, and a PostgreSQL JSONB standby.
 *
 * <p>Packages: {@code dev.lifeboat.mongo} (the provider and the MongoDB source, restorer and
 * verifier), {@code dev.lifeboat.mongo.archive} (the mongodump archive format: reader, writer,
 * CRC-64, prelude, and what every restorer of it shares) and {@code dev.lifeboat.mongo.jsonb}
 * (the PostgreSQL JSONB standby). They are exported for the benchmarks, which read and write
 * archives and encode standby JSON directly; everything else is package-private.
 */
module dev.lifeboat.provider.mongo {
  requires dev.lifeboat.core;
  requires dev.lifeboat.postgres;
  requires org.mongodb.driver.sync.client;
  requires org.mongodb.driver.core;
  requires org.mongodb.bson;
  requires org.postgresql.jdbc;
  requires java.sql;
  requires org.slf4j;

  exports dev.lifeboat.mongo;
  exports dev.lifeboat.mongo.archive;
  exports dev.lifeboat.mongo.jsonb;

  provides dev.lifeboat.spi.LifeboatProvider with dev.lifeboat.mongo.MongoProvider;
}
