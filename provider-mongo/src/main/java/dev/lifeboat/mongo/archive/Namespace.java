package dev.lifeboat.mongo.archive;

import java.util.Objects;

/**
 * A namespace of a mongodump archive: a database and a collection. The oplog is the namespace
 * with an empty database and the collection {@code oplog}.
 *
 * @param db the database name ({@code ""} for the oplog)
 * @param collection the collection name, never empty
 */
public record Namespace(String db, String collection) {
  /** The prefix under which servers before 8.3 keep a time-series collection's buckets. */
  public static final String BUCKETS_PREFIX = "system.buckets.";

  public Namespace {
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(collection, "collection");
  }

  /** {@code db.collection}, or {@code .oplog} for the oplog. */
  @Override
  public String toString() {
    return db + "." + collection;
  }
}
