package dev.lifeboat.mongo.tck;

import dev.lifeboat.Location;
import dev.lifeboat.tck.RestorerContract;
import java.util.Map;

/**
 * The TCK's restorer contract for mongo-archive into a PostgreSQL JSONB standby. Fresh
 * destinations are new schemas ({@code ?currentSchema=}); restoring onto the MongoDB source itself
 * goes to the MongoDB restorer, which the contract's protection test then exercises.
 */
class JsonbRestorerContractTest extends RestorerContract {
  @Override
  protected Location sourceLocation() {
    return TckServers.mongo().source();
  }

  @Override
  protected Location freshDestination() {
    return TckServers.standby().fresh();
  }

  @Override
  protected Location nonEmptyDestination() {
    return TckServers.standby().busy();
  }

  @Override
  protected Map<String, Long> countRecords(Location destination) {
    return destination.scheme().startsWith("mongodb")
        ? TckServers.mongo().count(destination)
        : TckServers.standby().count(destination);
  }
}
