package dev.lifeboat.junit.samples;

import dev.lifeboat.junit.Fixture;
import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Records how many templates exist on the server while it holds a copy. */
@LifeboatTest
public class TemplateReuseBSample {
  @Test
  void countsTemplates(@Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}") RestoredDatabase db)
      throws Exception {
    try (Connection c = Fixture.connect("postgres"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE 'lifeboat\\_tpl\\_%'")) {
      rs.next();
      Seen.record("reuse.templates", rs.getInt(1));
    }
    Seen.record("reuse.names", db.name());
  }
}
