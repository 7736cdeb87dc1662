/**
 * Lifeboat's MongoDB provider: {@code mongodb://} and {@code mongodb+srv://} sources written as
 * mongodump-compatible archives, restores into MongoDB, and a PostgreSQL JSONB standby.
 */
module dev.lifeboat.provider.mongo {
  requires dev.lifeboat.core;
  requires org.mongodb.driver.sync.client;
  requires org.mongodb.driver.core;
  requires org.mongodb.bson;
  requires org.postgresql.jdbc;
  requires java.sql;
  requires org.slf4j;

  exports dev.lifeboat.mongo;

  provides dev.lifeboat.spi.LifeboatProvider with dev.lifeboat.mongo.MongoProvider;
}
