package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The demo's sample data at sizes where row numbers times the generator's factors pass 2^31. */
class DemoDataTest {

  @Test
  void fillsThreeHundredThousandOrdersWithoutIntegerOverflow() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      DemoData.createDatabase(pg.getPostgresDatabase(), "big");
      DataSource big = pg.getDatabase("postgres", "big");
      DemoData.Summary summary = DemoData.fill(big, 300_000);
      assertThat(summary.toString()).startsWith("975050 rows: 75000 customers, 50 products, 300000 orders, 600000 order items");
      try (Connection c = big.getConnection(); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM order_items),"
              + " (SELECT count(DISTINCT customer_id) FROM orders), (SELECT max(customer_id) FROM orders)")) {
        r.next();
        assertThat(r.getLong(1)).isEqualTo(300_000);
        assertThat(r.getLong(2)).isEqualTo(600_000);
        assertThat(r.getLong(3)).as("orders spread over every customer").isEqualTo(75_000);
        assertThat(r.getLong(4)).isEqualTo(75_000);
      }
    }
  }

  @Test
  void oneOrderIsSingularAndTheRangeIsEnforced() {
    assertThat(new DemoData.Summary(1, 50, 1, 2).toString())
        .isEqualTo("54 rows: 1 customer, 50 products, 1 order, 2 order items");
    assertThatThrownBy(() -> DemoData.fill(null, DemoData.MAX_ORDERS + 1)).hasMessageContaining("1 to 1000000");
    assertThatThrownBy(() -> DemoData.fill(null, 0)).hasMessageContaining("1 to 1000000");
  }
}
