package dev.lifeboat.mongo.tck;

import dev.lifeboat.Location;
import dev.lifeboat.tck.RestorerContract;
import java.util.Map;

/** The TCK's restorer contract for mongo-archive into MongoDB. */
class MongoRestorerContractTest extends RestorerContract {
  @Override
  protected Location sourceLocation() {
    return TckServers.mongo().source();
  }

  @Override
  protected Location freshDestination() {
    return TckServers.mongo().fresh();
  }

  @Override
  protected Location nonEmptyDestination() {
    return TckServers.mongo().busy();
  }

  @Override
  protected Map<String, Long> countRecords(Location destination) {
    return TckServers.mongo().count(destination);
  }
}
