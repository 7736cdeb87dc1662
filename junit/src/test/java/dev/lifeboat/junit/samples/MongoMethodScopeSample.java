package dev.lifeboat.junit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import org.bson.Document;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A scratch MongoDB database per method: the second test does not see the first's delete. */
@LifeboatTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class MongoMethodScopeSample {
  @Restored(target = "${sys:lifeboat.sample.mongoTarget}", server = "${sys:lifeboat.sample.mongoServer}")
  MongoDatabase field;

  @Test
  @Order(1)
  void deletesEveryOrder(
      @Restored(target = "${sys:lifeboat.sample.mongoTarget}", server = "${sys:lifeboat.sample.mongoServer}") MongoDatabase db,
      @Restored(target = "${sys:lifeboat.sample.mongoTarget}", server = "${sys:lifeboat.sample.mongoServer}") RestoredDatabase handle) {
    Seen.record("mongo.before", db.getCollection("orders").countDocuments());
    db.getCollection("orders").deleteMany(new Document());
    assertThat(db.getCollection("orders").countDocuments()).isZero();
    Seen.record("mongo.names", db.getName());
    Seen.record("mongo.handle", handle.name());
    Seen.record("mongo.field", field.getName());
    Seen.record("mongo.snapshot", handle.snapshotId());
    Seen.record("mongo.uri", handle.uri().toString());
  }

  @Test
  @Order(2)
  void seesEveryOrderAgain(
      @Restored(target = "${sys:lifeboat.sample.mongoTarget}", server = "${sys:lifeboat.sample.mongoServer}") String connectionString) {
    try (MongoClient client = MongoClients.create(connectionString)) {
      MongoDatabase db = client.getDatabase(new com.mongodb.ConnectionString(connectionString).getDatabase());
      Seen.record("mongo.names", db.getName());
      Seen.record("mongo.orders", db.getCollection("orders").countDocuments());
      Seen.record("mongo.field", field.getName());
    }
  }
}
