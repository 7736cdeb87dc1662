package dev.lifeboat.mongo.tck;

import dev.lifeboat.InventoryItem;
import dev.lifeboat.Location;
import dev.lifeboat.tck.RestoreVerifierContract;

/** The TCK's verifier contract for PostgreSQL JSONB standbys. */
class JsonbVerifierContractTest extends RestoreVerifierContract {
  @Override
  protected Location sourceLocation() {
    return TckServers.mongo().source();
  }

  @Override
  protected Location freshDestination() {
    return TckServers.standby().fresh();
  }

  @Override
  protected void removeOneRecord(Location destination, InventoryItem item) {
    TckServers.standby().removeOne(destination, item.name());
  }
}
