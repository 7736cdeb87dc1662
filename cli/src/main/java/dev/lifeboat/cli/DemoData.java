package dev.lifeboat.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/** The demo's sample shop: customers, products, orders and order items, tied by foreign keys. */
final class DemoData {
  private DemoData() {}

  /** Row counts of the sample data. */
  record Summary(long customers, long products, long orders, long orderItems) {
    long total() {
      return customers + products + orders + orderItems;
    }

    @Override
    public String toString() {
      return Summaries.count(total(), "row", "rows") + ": " + Summaries.count(customers, "customer", "customers") + ", "
          + Summaries.count(products, "product", "products") + ", " + Summaries.count(orders, "order", "orders") + ", "
          + Summaries.count(orderItems, "order item", "order items");
    }
  }

  static String serverVersion(DataSource postgres) {
    try (Connection c = postgres.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the server version: " + e.getMessage(), e);
    }
  }

  static void createDatabase(DataSource postgres, String name) {
    execute(postgres, List.of("CREATE DATABASE " + name));
  }

  /** The most orders {@code lifeboat demo --rows} creates (with 2 items each and a customer per 4). */
  static final int MAX_ORDERS = 1_000_000;

  /**
   * Creates the tables and {@code orders} orders (1 to {@link #MAX_ORDERS}) with everything they
   * reference. The series are bigint so that no product of a row number overflows.
   */
  static Summary fill(DataSource db, int orders) {
    if (orders < 1 || orders > MAX_ORDERS) {
      throw new IllegalArgumentException("orders must be 1 to " + MAX_ORDERS + ", was " + orders);
    }
    int customers = Math.max(1, orders / 4);
    int products = 50;
    // Keys, foreign keys and indexes are added after the load: checking them row by row makes a
    // million orders take minutes instead of seconds.
    execute(db, List.of(
        "CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY, name text NOT NULL,"
            + " email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
        "CREATE TABLE products (id bigint GENERATED ALWAYS AS IDENTITY, sku text NOT NULL,"
            + " title text NOT NULL, price_cents integer NOT NULL CHECK (price_cents > 0))",
        "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY, customer_id bigint NOT NULL,"
            + " status text NOT NULL, created_at timestamptz NOT NULL)",
        "CREATE TABLE order_items (order_id bigint NOT NULL, product_id bigint NOT NULL,"
            + " quantity integer NOT NULL CHECK (quantity > 0))",
        "INSERT INTO customers (name, email, created_at) SELECT 'Customer ' || g, 'customer' || g || '@example.com',"
            + " now() - g * interval '1 hour' FROM generate_series(1::bigint, " + customers + ") g",
        "INSERT INTO products (sku, title, price_cents) SELECT 'SKU-' || lpad(g::text, 5, '0'), 'Product ' || g,"
            + " 100 + (g * 37) % 9900 FROM generate_series(1::bigint, " + products + ") g",
        "INSERT INTO orders (customer_id, status, created_at) SELECT 1 + (g * 7919) % " + customers + ","
            + " (ARRAY['new', 'paid', 'shipped'])[1 + g % 3], now() - g * interval '1 minute'"
            + " FROM generate_series(1::bigint, " + orders + ") g",
        "INSERT INTO order_items (order_id, product_id, quantity) SELECT o.id, 1 + (o.id + k * 17) % " + products + ","
            + " 1 + (o.id + k) % 5 FROM orders o CROSS JOIN generate_series(1::bigint, 2) k",
        "ALTER TABLE customers ADD PRIMARY KEY (id), ADD UNIQUE (email)",
        "ALTER TABLE products ADD PRIMARY KEY (id), ADD UNIQUE (sku)",
        "ALTER TABLE orders ADD PRIMARY KEY (id), ADD FOREIGN KEY (customer_id) REFERENCES customers (id)",
        "ALTER TABLE order_items ADD PRIMARY KEY (order_id, product_id),"
            + " ADD FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,"
            + " ADD FOREIGN KEY (product_id) REFERENCES products (id)",
        "CREATE INDEX orders_customer ON orders (customer_id)",
        "ANALYZE"));
    return new Summary(customers, products, orders, 2L * orders);
  }

  private static void execute(DataSource ds, List<String> statements) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Creating the demo data failed: " + e.getMessage(), e);
    }
  }
}
