package dev.lifeboat.supabase;

import dev.lifeboat.InventoryItem;
import dev.lifeboat.Location;
import dev.lifeboat.postgres.Sql;
import dev.lifeboat.spi.SecretResolver;
import dev.lifeboat.tck.RestoreVerifierContract;
import java.util.Map;

/** The TCK's verifier contract for Supabase dumps restored into plain PostgreSQL. */
class SupabaseVerifierContractTest extends RestoreVerifierContract {
  @Override
  protected Location sourceLocation() {
    return TckProject.source();
  }

  @Override
  protected Map<String, String> settings() {
    return TckProject.settings();
  }

  @Override
  protected SecretResolver secrets() {
    return TckProject.secrets();
  }

  @Override
  protected Location freshDestination() {
    return TckProject.freshDestination("tck_verify");
  }

  @Override
  protected void removeOneRecord(Location destination, InventoryItem item) {
    String table = Sql.qualified(item.namespace(), item.name());
    TckProject.exec(destination, "SET session_replication_role = replica;"
        + " DELETE FROM " + table + " WHERE ctid = (SELECT ctid FROM " + table + " LIMIT 1)");
  }
}
