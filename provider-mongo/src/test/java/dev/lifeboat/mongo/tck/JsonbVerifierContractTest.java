package dev.lifeboat.mongo.tck;

import dev.lifeboat.InventoryItem;
import dev.lifeboat.Location;
import dev.lifeboat.mongo.TableNames;
import dev.lifeboat.tck.RestoreVerifierContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The TCK's verifier contract for PostgreSQL JSONB standbys. */
class JsonbVerifierContractTest extends RestoreVerifierContract {
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
  protected void removeOneRecord(Location destination, InventoryItem item) {
    String table = TableNames.quote(StandbySeed.schemaOf(destination)) + "." + TableNames.quote(item.name());
    pg.sql("DELETE FROM " + table + " WHERE _id = (SELECT min(_id) FROM " + table + ")");
  }
}
