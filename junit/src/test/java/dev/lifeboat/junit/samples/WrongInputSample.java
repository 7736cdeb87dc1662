package dev.lifeboat.junit.samples;

import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Each test asks for something that cannot be served; each must fail with one clear line. */
@LifeboatTest
public class WrongInputSample {
  @Test
  void missingTarget(@Restored(target = "file:/nonexistent/lifeboat-junit-store", server = "${sys:lifeboat.sample.server}") DataSource db) {}

  @Test
  void missingSnapshot(@Restored(target = "${sys:lifeboat.sample.target}", snapshot = "20200101T000000.000Z-00000000",
      server = "${sys:lifeboat.sample.server}") DataSource db) {}

  @Test
  void unreachableServer(@Restored(target = "${sys:lifeboat.sample.target}",
      server = "postgresql://postgres:hunter2secret@127.0.0.1:1/postgres") DataSource db) {}

  @Test
  void unsetPlaceholder(@Restored(target = "${env:LIFEBOAT_JUNIT_SURELY_UNSET}") DataSource db) {}

  @Test
  void unsupportedType(@Restored(target = "${sys:lifeboat.sample.target}", server = "${sys:lifeboat.sample.server}") Integer db) {}

  @Test
  void missingKeyFile(@Restored(target = "${sys:lifeboat.sample.encryptedTarget}", server = "${sys:lifeboat.sample.server}",
      privateKey = "/nonexistent/lifeboat-private-key.json") DataSource db) {}

  @Test
  void encryptedWithoutKey(@Restored(target = "${sys:lifeboat.sample.encryptedTarget}", server = "${sys:lifeboat.sample.server}")
      DataSource db) {}
}
