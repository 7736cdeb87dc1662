package dev.lifeboat.mongo.tck;

import dev.lifeboat.Location;
import dev.lifeboat.tck.RestorerContract;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The TCK's restorer contract for mongo-archive into MongoDB. */
class MongoRestorerContractTest extends RestorerContract {
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
  protected Location nonEmptyDestination() {
    return mongo.busy();
  }

  @Override
  protected Map<String, Long> countRecords(Location destination) {
    return mongo.count(destination);
  }
}
