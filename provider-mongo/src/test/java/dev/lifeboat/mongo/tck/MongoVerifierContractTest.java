package dev.lifeboat.mongo.tck;

import com.mongodb.client.model.Filters;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.Location;
import dev.lifeboat.tck.RestoreVerifierContract;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The TCK's verifier contract for MongoDB destinations. */
class MongoVerifierContractTest extends RestoreVerifierContract {
  private static MongoSeed mongo;

  @BeforeAll
  static void start() {
    mongo = new MongoSeed();
  }

  @AfterAll
  static void stop() {
    mongo.close();
  }

  @Override
  protected Location sourceLocation() {
    return mongo.source();
  }

  @Override
  protected Location freshDestination() {
    return mongo.fresh();
  }

  @Override
  protected void removeOneRecord(Location destination, InventoryItem item) {
    String db = destination.raw().substring(destination.raw().lastIndexOf('/') + 1);
    var coll = mongo.client.getDatabase(db).getCollection(item.name());
    Document first = coll.find().first();
    coll.deleteOne(Filters.eq("_id", first.get("_id")));
  }
}
