package dev.lifeboat.tck;

import dev.lifeboat.InventoryItem;
import dev.lifeboat.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The database contracts against the in-memory {@link MemDbProvider}: proves the contracts pass
 * for a provider that follows the SPI, and shows the nested layout that shares one server.
 */
class MemDbContractsTest {
  private static final AtomicInteger N = new AtomicInteger();
  static final Location SOURCE = Location.parse("memdb://app:s3cr%40t-pw@local/shop");

  @BeforeAll
  static void seed() {
    Map<String, List<String>> shop = new ConcurrentHashMap<>();
    shop.put("customers", new ArrayList<>(List.of("ada", "grace", "linus")));
    shop.put("orders", new ArrayList<>(List.of("1", "2", "3", "4", "5")));
    shop.put("empty", new ArrayList<>());
    MemDbProvider.DATABASES.put("shop", shop);
    Map<String, List<String>> busy = new ConcurrentHashMap<>();
    busy.put("other", new ArrayList<>(List.of("x")));
    MemDbProvider.DATABASES.put("busy", busy);
  }

  static Location fresh() {
    return Location.parse("memdb://app:s3cr%40t-pw@local/restored_" + N.incrementAndGet());
  }

  @Nested
  class Source extends BackupSourceContract {
    @Override protected Location sourceLocation() { return SOURCE; }
    @Override protected Map<String, Long> expectedCounts() { return Map.of("main.customers", 3L, "main.orders", 5L, "main.empty", 0L); }
    @Override protected String expectedKind() { return "memdb"; }
    @Override protected Location unreachableSource() { return Location.parse("memdb://app:s3cr%40t-pw@down/shop"); }
  }

  @Nested
  class Restore extends RestorerContract {
    @Override protected Location sourceLocation() { return SOURCE; }
    @Override protected Location freshDestination() { return fresh(); }
    @Override protected Location nonEmptyDestination() { return Location.parse("memdb://app@local/busy"); }
    @Override protected Map<String, Long> countRecords(Location destination) { return MemDbProvider.counts(MemDbProvider.database(destination)); }
  }

  @Nested
  class Verify extends RestoreVerifierContract {
    @Override protected Location sourceLocation() { return SOURCE; }
    @Override protected Location freshDestination() { return fresh(); }
    @Override protected void removeOneRecord(Location destination, InventoryItem item) {
      MemDbProvider.DATABASES.get(MemDbProvider.database(destination)).get(item.name()).remove(0);
    }
  }
}
