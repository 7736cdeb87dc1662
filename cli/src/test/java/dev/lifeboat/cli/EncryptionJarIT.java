package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted backups through the packaged jar (Tink and protobuf must be in it): keys generate with
 * a passphrase, backup --encrypt-to, restore with the key named by LIFEBOAT_PRIVATE_KEY, without
 * a key (exit 2) and with another key (exit 3); the passphrase never appears in any output.
 */
class EncryptionJarIT {
  private static final String PASSPHRASE = "jar-Passphrase-7193";
  static EmbeddedPostgres pg;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws SQLException {
    pg = SharedPostgres.get();
    SharedPostgres.createDemoDatabase("crypt_shop", 80);
  }

  @Test
  void keysBackupAndRestoreThroughTheJar() throws Exception {
    Map<String, String> withPassphrase = Map.of("LIFEBOAT_KEY_PASSPHRASE", PASSPHRASE);
    Path keys = work.resolve("keys");
    PackagedJar.Run generate = PackagedJar.run(work, withPassphrase, "keys", "generate", "--out", keys.toString());
    assertThat(generate.exit()).as(generate.toString()).isZero();
    Path publicKey = keys.resolve("lifeboat-public-key.json");
    Path privateKey = keys.resolve("lifeboat-private-key.json");
    assertThat(generate.out()).contains(publicKey.toString()).contains("protected by the passphrase");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");
    PackagedJar.Run other = PackagedJar.run(work, "keys", "generate", "--out", work.resolve("other").toString());
    assertThat(other.exit()).as(other.toString()).isZero();

    String target = "file:" + work.resolve("store");
    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--source", SharedPostgres.uri("crypt_shop"), "--target", target,
        "--encrypt-to", publicKey.toString());
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();

    PackagedJar.Run noKey = PackagedJar.run(work, "restore", "--target", target, "--snapshot", id,
        "--destination", SharedPostgres.uri("crypt_nokey"));
    assertThat(noKey.exit()).as(noKey.toString()).isEqualTo(2);
    assertThat(noKey.errLines()).hasSize(1);
    assertThat(noKey.err()).contains("is encrypted to the key with fingerprint").contains("--private-key");

    PackagedJar.Run wrongKey = PackagedJar.run(work, "restore", "--target", target, "--snapshot", id,
        "--destination", SharedPostgres.uri("crypt_wrong"), "--private-key", work.resolve("other").resolve("lifeboat-private-key.json").toString());
    assertThat(wrongKey.exit()).as(wrongKey.toString()).isEqualTo(3);
    assertThat(wrongKey.errLines()).hasSize(1);

    PackagedJar.Run noPassphrase = PackagedJar.run(work, Map.of("LIFEBOAT_PRIVATE_KEY", privateKey.toString()), "restore",
        "--target", target, "--snapshot", id, "--destination", SharedPostgres.uri("crypt_copy"));
    assertThat(noPassphrase.exit()).as(noPassphrase.toString()).isEqualTo(2);
    assertThat(noPassphrase.err()).contains("LIFEBOAT_KEY_PASSPHRASE");

    PackagedJar.Run restore = PackagedJar.run(work, Map.of("LIFEBOAT_PRIVATE_KEY", privateKey.toString(),
        "LIFEBOAT_KEY_PASSPHRASE", PASSPHRASE), "restore", "--target", target, "--snapshot", id,
        "--destination", SharedPostgres.uri("crypt_copy"), "--verify");
    assertThat(restore.exit()).as(restore.toString()).isZero();
    assertThat(restore.out()).contains("VERIFIED").doesNotContain("FAIL");
    assertThat(count("crypt_copy", "SELECT count(*) FROM orders")).isEqualTo(80);

    for (PackagedJar.Run r : List.of(generate, other, backup, noKey, wrongKey, noPassphrase, restore)) {
      assertThat(r.out() + r.err()).as(r.toString()).doesNotContain(PASSPHRASE);
      assertThat(r.err()).as("no library log lines: " + r).doesNotContain("WARN").doesNotContain("SLF4J");
    }
  }

  private static long count(String database, String sql) throws SQLException {
    try (Connection c = pg.getDatabase("postgres", database).getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
