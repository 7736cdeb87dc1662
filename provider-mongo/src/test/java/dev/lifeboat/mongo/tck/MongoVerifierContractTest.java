package dev.lifeboat.mongo.tck;

import dev.lifeboat.InventoryItem;
import dev.lifeboat.Location;
import dev.lifeboat.tck.RestoreVerifierContract;

/** The TCK's verifier contract for MongoDB destinations. */
class MongoVerifierContractTest extends RestoreVerifierContract {
  @Override
  protected Location sourceLocation() {
    return TckServers.mongo().source();
  }

  @Override
  protected Location freshDestination() {
    return TckServers.mongo().fresh();
  }

  @Override
  protected void removeOneRecord(Location destination, InventoryItem item) {
    TckServers.mongo().removeOne(destination, item.name());
  }
}
