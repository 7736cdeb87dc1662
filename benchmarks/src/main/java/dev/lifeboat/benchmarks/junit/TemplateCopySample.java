package dev.lifeboat.benchmarks.junit;

import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.RepeatedTest;

/** The test {@link TemplateCopyBenchmark} times: each repetition gets its own copy and counts its orders. */
@LifeboatTest
public class TemplateCopySample {
  @RepeatedTest(10)
  void countsOrders(@Restored(target = "${sys:lifeboat.bench.target}", server = "${sys:lifeboat.bench.server}") Connection c)
      throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
      if (!rs.next() || rs.getLong(1) == 0) {
        throw new AssertionError("the copy holds no orders");
      }
    }
  }
}
