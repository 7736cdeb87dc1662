package dev.lifeboat.junit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.junit.Fixture;
import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Every injectable type, and a fresh copy per method: the second test does not see the first's delete. */
@LifeboatTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class MethodScopeSample {
  @Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}")
  DataSource field;

  @Test
  @Order(1)
  void deletesEveryOrder(
      @Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}") Connection c,
      @Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}") RestoredDatabase db)
      throws Exception {
    assertThat(Fixture.orders(c)).isEqualTo(Fixture.ORDERS);
    try (Statement s = c.createStatement()) {
      s.execute("DELETE FROM orders");
    }
    assertThat(Fixture.orders(c)).isZero();
    Seen.record("method.names", Fixture.database(c));
    Seen.record("method.handle", db.name());
    Seen.record("method.snapshot", db.snapshotId());
    Seen.record("method.uri", db.uri().toString());
    try (Connection f = field.getConnection()) {
      Seen.record("method.field", Fixture.database(f));
    }
    Seen.record("method.connection", c);
  }

  @Test
  @Order(2)
  void seesEveryOrderAgain(
      @Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}") String jdbcUrl,
      @Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}") DataSource ds)
      throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl); Connection d = ds.getConnection()) {
      Seen.record("method.names", Fixture.database(c));
      Seen.record("method.orders", Fixture.orders(c));
      assertThat(Fixture.database(d)).isEqualTo(Fixture.database(c));
    }
  }
}
