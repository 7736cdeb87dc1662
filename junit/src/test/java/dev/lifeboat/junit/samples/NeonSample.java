package dev.lifeboat.junit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.junit.Fixture;
import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A throwaway Neon branch per method: the second test does not see the first's delete. */
@LifeboatTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class NeonSample {
  @Test
  @Order(1)
  void deletesEveryOrder(@Restored(target = "${sys:lifeboat.sample.neonTarget}") RestoredDatabase db) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl()); Statement s = c.createStatement()) {
      assertThat(Fixture.orders(c)).isEqualTo(Fixture.ORDERS);
      s.execute("DELETE FROM orders");
      Seen.record("neon.databases", Fixture.database(c));
    }
    Seen.record("neon.names", db.name());
    Seen.record("neon.snapshot", db.snapshotId());
  }

  @Test
  @Order(2)
  void seesEveryOrderAgain(@Restored(target = "${sys:lifeboat.sample.neonTarget}") RestoredDatabase db) throws Exception {
    try (Connection c = db.dataSource().getConnection()) {
      Seen.record("neon.orders", Fixture.orders(c));
      Seen.record("neon.databases", Fixture.database(c));
    }
    Seen.record("neon.names", db.name());
  }
}
