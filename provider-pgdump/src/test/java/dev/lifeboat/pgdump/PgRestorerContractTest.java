package dev.lifeboat.pgdump;

import dev.lifeboat.Location;
import dev.lifeboat.tck.RestorerContract;
import java.util.Map;

/** The TCK's restorer contract against {@link PgRestorer}. */
class PgRestorerContractTest extends RestorerContract {
  @Override
  protected Location sourceLocation() {
    return TckServer.source();
  }

  @Override
  protected Location freshDestination() {
    return TckServer.freshDestination("tck_restore");
  }

  @Override
  protected synchronized Location nonEmptyDestination() {
    TestPg pg = TckServer.pg();
    if (!pg.databaseExists("tck_busy")) {
      pg.createDatabase("tck_busy");
      pg.exec("tck_busy", "CREATE TABLE kept (x int); INSERT INTO kept VALUES (1)");
    }
    return Location.parse(pg.uri("tck_busy"));
  }

  @Override
  protected Map<String, Long> countRecords(Location destination) {
    return TckServer.countRecords(destination);
  }
}
