package dev.lifeboat.junit.samples;

import com.mongodb.client.MongoDatabase;
import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** MongoDB and PostgreSQL mixed up; each test must fail with one clear line. */
@LifeboatTest
public class MongoWrongInputSample {
  @Test
  void dataSourceOfAMongoSnapshot(@Restored(target = "${sys:lifeboat.sample.mongoTarget}",
      server = "${sys:lifeboat.sample.mongoServer}") DataSource db) {}

  @Test
  void mongoSnapshotOnAPostgresServer(@Restored(target = "${sys:lifeboat.sample.mongoTarget}",
      server = "${sys:lifeboat.sample.server}") MongoDatabase db) {}

  @Test
  void postgresSnapshotOnAMongoServer(@Restored(target = "${sys:lifeboat.sample.target}",
      server = "${sys:lifeboat.sample.mongoServer}") MongoDatabase db) {}

  @Test
  void mongoDatabaseOfAPostgresSnapshot(@Restored(target = "${sys:lifeboat.sample.target}",
      server = "${sys:lifeboat.sample.server}") MongoDatabase db) {}
}
