package dev.lifeboat.mongo.tck;

import dev.lifeboat.Location;
import dev.lifeboat.tck.RestorerContract;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The TCK's restorer contract for mongo-archive into a PostgreSQL JSONB standby. Fresh
 * destinations are new schemas ({@code ?currentSchema=}); restoring onto the MongoDB source itself
 * goes to the MongoDB restorer, which the contract's protection test then exercises.
 */
class JsonbRestorerContractTest extends RestorerContract {
  private static MongoSeed mongo;
  private static StandbySeed pg;

  @BeforeAll
  static void start() {
    mongo = new MongoSeed();
    pg = new StandbySeed();
  }

  @AfterAll
  static void stop() {
    mongo.close();
    pg.close();
  }

  @Override
  protected Location sourceLocation() {
    return mongo.source();
  }

  @Override
  protected Location freshDestination() {
    return pg.fresh();
  }

  @Override
  protected Location nonEmptyDestination() {
    return pg.busy();
  }

  @Override
  protected Map<String, Long> countRecords(Location destination) {
    return destination.scheme().startsWith("mongodb") ? mongo.count(destination) : pg.count(destination);
  }
}
