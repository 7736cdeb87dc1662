package dev.lifeboat.junit.samples;

import com.mongodb.client.MongoDatabase;
import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.Scope;
import org.bson.Document;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** One scratch MongoDB database for the class: the second test sees the first's delete. */
@LifeboatTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class MongoClassScopeSample {
  @Restored(target = "${sys:lifeboat.sample.mongoTarget}", server = "${sys:lifeboat.sample.mongoServer}", scope = Scope.CLASS)
  static MongoDatabase shared;

  @Test
  @Order(1)
  void deletesHalf() {
    shared.getCollection("orders").deleteMany(new Document("_id", new Document("$lte", 15)));
    Seen.record("mongoClass.names", shared.getName());
  }

  @Test
  @Order(2)
  void seesTheDelete(@Restored(target = "${sys:lifeboat.sample.mongoTarget}", server = "${sys:lifeboat.sample.mongoServer}",
      scope = Scope.CLASS) MongoDatabase db) {
    Seen.record("mongoClass.names", db.getName());
    Seen.record("mongoClass.orders", db.getCollection("orders").countDocuments());
  }

  @Test
  @Order(3)
  void failsOnPurpose(@Restored(target = "${sys:lifeboat.sample.mongoTarget}", server = "${sys:lifeboat.sample.mongoServer}")
      MongoDatabase db) {
    Seen.record("mongoClass.failing", db.getName());
    throw new AssertionError("failed on purpose");
  }
}
