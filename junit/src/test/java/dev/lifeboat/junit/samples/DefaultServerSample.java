package dev.lifeboat.junit.samples;

import dev.lifeboat.junit.Fixture;
import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** No server named anywhere: the copy is made on an embedded PostgreSQL the extension starts. */
@LifeboatTest
public class DefaultServerSample {
  @Test
  void restoresOnTheEmbeddedServer(@Restored(target = "${sys:lifeboat.sample.target}") RestoredDatabase db) throws Exception {
    Seen.record("default.uri", db.uri().toString());
    try (Connection c = db.dataSource().getConnection()) {
      Seen.record("default.orders", Fixture.orders(c));
    }
  }
}
