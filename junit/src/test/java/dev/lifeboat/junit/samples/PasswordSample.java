package dev.lifeboat.junit.samples;

import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import dev.lifeboat.junit.RestoredDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;

/** A server named with a password (from a placeholder): the handle shows it nowhere but jdbcUrl() and uri().raw(). */
@LifeboatTest
public class PasswordSample {
  @Test
  void handleHidesThePassword(@Restored(target = "${sys:lifeboat.sample.target}",
      server = "postgresql://postgres:${sys:lifeboat.sample.password}@localhost:${sys:lifeboat.sample.port}/postgres")
      RestoredDatabase db) throws Exception {
    Seen.record("password.toString", db.toString());
    Seen.record("password.uri", db.uri().toString());
    Seen.record("password.raw", db.uri().raw());
    Seen.record("password.jdbcUrl", db.jdbcUrl());
    try (Connection c = DriverManager.getConnection(db.jdbcUrl())) {
      Seen.record("password.connected", c.isValid(5));
    }
  }
}
