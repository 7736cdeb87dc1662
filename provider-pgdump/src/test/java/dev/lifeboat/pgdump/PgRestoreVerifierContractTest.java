package dev.lifeboat.pgdump;

import dev.lifeboat.InventoryItem;
import dev.lifeboat.Location;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.postgres.Sql;
import dev.lifeboat.tck.RestoreVerifierContract;

/** The TCK's verifier contract against {@link PgRestoreVerifier}. */
class PgRestoreVerifierContractTest extends RestoreVerifierContract {
  @Override
  protected Location sourceLocation() {
    return TckServer.source();
  }

  @Override
  protected Location freshDestination() {
    return TckServer.freshDestination("tck_verify");
  }

  @Override
  protected void removeOneRecord(Location destination, InventoryItem item) {
    String table = Sql.qualified(item.namespace(), item.name());
    TckServer.pg().exec(PgLocation.parse(destination).database(),
        "DELETE FROM " + table + " WHERE ctid = (SELECT ctid FROM " + table + " LIMIT 1)");
  }
}
