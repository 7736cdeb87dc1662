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
      return total() + " rows: " + customers + " customers, " + products + " products, " + orders + " orders, "
          + orderItems + " order items";
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

  /** Creates the tables and {@code orders} orders with everything they reference. */
  static Summary fill(DataSource db, int orders) {
    int customers = Math.max(1, orders / 4);
    int products = 50;
    execute(db, List.of(
        "CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL,"
            + " email text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now())",
        "CREATE TABLE products (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sku text NOT NULL UNIQUE,"
            + " title text NOT NULL, price_cents integer NOT NULL CHECK (price_cents > 0))",
        "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            + " customer_id bigint NOT NULL REFERENCES customers (id), status text NOT NULL,"
            + " created_at timestamptz NOT NULL)",
        "CREATE TABLE order_items (order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
            + " product_id bigint NOT NULL REFERENCES products (id), quantity integer NOT NULL CHECK (quantity > 0),"
            + " PRIMARY KEY (order_id, product_id))",
        "CREATE INDEX orders_customer ON orders (customer_id)",
        "INSERT INTO customers (name, email, created_at) SELECT 'Customer ' || g, 'customer' || g || '@example.com',"
            + " now() - make_interval(hours => g) FROM generate_series(1, " + customers + ") g",
        "INSERT INTO products (sku, title, price_cents) SELECT 'SKU-' || lpad(g::text, 5, '0'), 'Product ' || g,"
            + " 100 + (g * 37) % 9900 FROM generate_series(1, " + products + ") g",
        "INSERT INTO orders (customer_id, status, created_at) SELECT 1 + (g * 7919) % " + customers + ","
            + " (ARRAY['new', 'paid', 'shipped'])[1 + g % 3], now() - make_interval(mins => g)"
            + " FROM generate_series(1, " + orders + ") g",
        "INSERT INTO order_items (order_id, product_id, quantity) SELECT o.id, 1 + (o.id + k * 17) % " + products + ","
            + " 1 + (o.id + k) % 5 FROM orders o CROSS JOIN generate_series(1, 2) k",
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
