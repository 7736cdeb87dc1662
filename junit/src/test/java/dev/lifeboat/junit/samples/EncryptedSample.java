package dev.lifeboat.junit.samples;

import dev.lifeboat.junit.LifeboatTest;
import dev.lifeboat.junit.Restored;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** A snapshot encrypted to a public key, restored with the private key file the annotation names. */
@LifeboatTest
public class EncryptedSample {
  @Test
  void readsTheDecryptedCopy(@Restored(target = "${sys:lifeboat.sample.encryptedTarget}", server = "${sys:lifeboat.sample.server}",
      privateKey = "${sys:lifeboat.sample.privateKey}") Connection c) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
      rs.next();
      Seen.record("encrypted.orders", rs.getInt(1));
    }
  }
}
