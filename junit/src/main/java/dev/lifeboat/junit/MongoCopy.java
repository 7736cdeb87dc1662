package dev.lifeboat.junit;

import com.mongodb.client.MongoDatabase;
import dev.lifeboat.Location;
import javax.sql.DataSource;

/** A scratch database on a MongoDB server holding one restore of a snapshot. */
final class MongoCopy implements RestoredDatabase, MongoHandle {
  private final Location at;
  private final String snapshotId;
  private final MongoDatabase database;

  MongoCopy(Location at, String snapshotId, MongoDatabase database) {
    this.at = at;
    this.snapshotId = snapshotId;
    this.database = database;
  }

  @Override
  public String name() {
    return database.getName();
  }

  /** A MongoDB copy has no JDBC URL; the message says what to use instead. */
  @Override
  public String jdbcUrl() {
    throw new UnsupportedOperationException("copy " + name() + " is a MongoDB database and has no JDBC URL; use uri(), or inject"
        + " MongoDatabase or String (a connection string)");
  }

  @Override
  public Location uri() {
    return at;
  }

  @Override
  public String snapshotId() {
    return snapshotId;
  }

  /** A MongoDB copy has no data source; the message says what to use instead. */
  @Override
  public DataSource dataSource() {
    throw new UnsupportedOperationException("copy " + name() + " is a MongoDB database and has no DataSource; inject MongoDatabase");
  }

  @Override
  public MongoDatabase database() {
    return database;
  }

  @Override
  public String connectionString() {
    return at.raw();
  }

  @Override
  public String toString() {
    return "RestoredDatabase{name=" + name() + ", snapshot=" + snapshotId + ", uri=" + at.redacted() + "}";
  }
}
