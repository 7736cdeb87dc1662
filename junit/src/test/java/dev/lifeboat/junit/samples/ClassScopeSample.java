package dev.lifeboat.junit.samples;

import dev.lifeboat.junit.Fixture;
import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import dev.lifeboat.junit.Scope;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** One copy for the class: the second test sees the first's delete; a static field shares it. */
@LifeboatTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ClassScopeSample {
  @Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}", scope = Scope.CLASS)
  static RestoredDatabase shared;

  @BeforeAll
  static void before(@Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}",
      scope = Scope.CLASS) RestoredDatabase db) {
    Seen.record("class.beforeAll", db.name());
  }

  @Test
  @Order(1)
  void deletesHalf(@Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}",
      scope = Scope.CLASS) Connection c) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("DELETE FROM orders WHERE id % 2 = 0");
    }
    Seen.record("class.names", Fixture.database(c));
    Seen.record("class.static", shared.name());
  }

  @Test
  @Order(2)
  void seesTheDelete(@Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}",
      scope = Scope.CLASS) Connection c) throws Exception {
    Seen.record("class.names", Fixture.database(c));
    Seen.record("class.orders", Fixture.orders(c));
  }
}
