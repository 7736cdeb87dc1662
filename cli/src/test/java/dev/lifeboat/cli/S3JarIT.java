package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.s3.S3ProxyServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 through the packaged jar, against a real S3 API server (s3proxy, in this JVM): a PostgreSQL
 * backup into s3://, list, verify, restore with verification, a drill and a deep health check; a flipped byte in the stored
 * archive refused by verify and restore; a missing bucket and a location with credentials as
 * one-line usage errors. Credentials reach the jar the way a user gives them: AWS_* variables.
 */
class S3JarIT {
  private static final String BUCKET = "jar-backups";
  static EmbeddedPostgres pg;
  static S3ProxyServer s3;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    pg = SharedPostgres.get();
    SharedPostgres.createDemoDatabase("s3shop", 80);
    s3 = S3ProxyServer.start(work.resolve("s3"));
    s3.createBucket(BUCKET);
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  static Map<String, String> credentials() {
    return Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
  }

  @Test
  void backupListVerifyRestoreThroughTheJar() throws Exception {
    String target = s3.location(BUCKET, "nightly/shop");

    PackagedJar.Run backup = PackagedJar.run(work, credentials(), "backup", "--source", SharedPostgres.uri("s3shop"),
        "--target", target, "--label", "via=s3");
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();
    assertThat(id).matches("\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f]{8}");

    PackagedJar.Run list = PackagedJar.run(work, credentials(), "list", "--target", target);
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out()).contains(id).contains("pg-custom+zstd").contains("via=s3").contains("1 snapshot in " + target);

    PackagedJar.Run verify = PackagedJar.run(work, credentials(), "verify", "--target", target, "--snapshot", id);
    assertThat(verify.exit()).as(verify.toString()).isZero();
    assertThat(verify.out()).startsWith("VERIFIED").contains("PASS  size and sha256");

    PackagedJar.Run restore = PackagedJar.run(work, credentials(), "restore", "--target", target, "--snapshot", "latest",
        "--destination", SharedPostgres.uri("s3shop_copy"), "--verify", "--no-orphans");
    assertThat(restore.exit()).as(restore.toString()).isZero();
    assertThat(restore.out()).contains("VERIFIED").doesNotContain("FAIL");
    assertThat(count("s3shop_copy", "SELECT count(*) FROM order_items")).isEqualTo(160);

    // A drill keeps its record beside the snapshots, in the bucket; health reads the archive and that record.
    PackagedJar.Run drill = PackagedJar.run(work, credentials(), "drill", "--target", target, "--into", SharedPostgres.uri("postgres"),
        "--report-dir", work.resolve("drills").toString());
    assertThat(drill.exit()).as(drill.toString()).isZero();
    assertThat(drill.out()).contains("of snapshot " + id + ": PASSED");
    PackagedJar.Run health = PackagedJar.run(work, credentials(), "health", "--target", target, "--max-age", "48h", "--deep");
    assertThat(health.exit()).as(health.toString()).isZero();
    assertThat(health.out()).contains("intact, read whole").contains("HEALTHY");
    PackagedJar.Run listAgain = PackagedJar.run(work, credentials(), "list", "--target", target);
    assertThat(listAgain.out()).as("the drill record is no snapshot").contains("1 snapshot in " + target);

    for (PackagedJar.Run r : List.of(backup, list, verify, restore, drill, health)) {
      assertThat(r.err()).as("no library log lines: " + r).doesNotContain("WARN").doesNotContain("INFO").doesNotContain("SLF4J");
      assertThat(r.out() + r.err()).as("no credential in any output").doesNotContain(S3ProxyServer.SECRET_KEY);
    }

    // One byte of the stored archive flipped, as a faulty disk behind the server would.
    Path archive;
    try (Stream<Path> files = Files.list(s3.dataDir().resolve(BUCKET).resolve("nightly/shop").resolve(id))) {
      archive = files.filter(p -> p.getFileName().toString().startsWith("archive")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(archive);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(archive, bytes);

    PackagedJar.Run damaged = PackagedJar.run(work, credentials(), "verify", "--target", target, "--snapshot", id);
    assertThat(damaged.exit()).as(damaged.toString()).isEqualTo(3);
    assertThat(damaged.out() + damaged.err()).contains("sha256");

    PackagedJar.Run refused = PackagedJar.run(work, credentials(), "restore", "--target", target, "--snapshot", id,
        "--destination", SharedPostgres.uri("s3shop_flipped"));
    assertThat(refused.exit()).as(refused.toString()).isEqualTo(3);
    assertThat(databaseExists("s3shop_flipped")).as("refused before the destination was touched").isFalse();
  }

  @Test
  void aMissingBucketIsAUsageErrorInOneLine() throws Exception {
    PackagedJar.Run backup = PackagedJar.run(work, credentials(), "backup", "--source", SharedPostgres.uri("s3shop"),
        "--target", s3.location("no-such-bucket", "p"));
    assertThat(backup.exit()).as(backup.toString()).isEqualTo(2);
    assertThat(backup.errLines()).as(backup.toString()).hasSize(1);
    assertThat(backup.err()).contains("S3 bucket 'no-such-bucket' does not exist at " + s3.endpoint()).contains("Create it first");
    assertThat(backup.out()).isEmpty();
  }

  @Test
  void aHeapTooSmallForTwoPartsIsRefusedBeforeTheDump() throws Exception {
    List<String> smallHeap = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", PackagedJar.jar().toString());
    PackagedJar.Run backup = PackagedJar.start(work, credentials(), smallHeap, "backup", "--source", SharedPostgres.uri("s3shop"),
        "--target", s3.location(BUCKET, "small-heap"));
    assertThat(backup.exit()).as(backup.toString()).isEqualTo(2);
    assertThat(backup.errLines()).as(backup.toString()).hasSize(1);
    assertThat(backup.err()).contains("s3.part-size=64MiB").contains("JAVA_OPTS=-Xmx");
    assertThat(s3.dataDir().resolve(BUCKET).resolve("small-heap")).as("nothing written").doesNotExist();
  }

  @Test
  void credentialsInTheLocationAreRefusedWithoutBeingPrinted() throws Exception {
    PackagedJar.Run list = PackagedJar.run(work, credentials(), "list", "--target",
        "s3://AKIAEXAMPLEKEY:" + S3ProxyServer.SECRET_KEY + "@" + BUCKET + "/p?endpoint=" + s3.endpoint());
    assertThat(list.exit()).as(list.toString()).isEqualTo(2);
    assertThat(list.errLines()).as(list.toString()).hasSize(1);
    assertThat(list.err()).contains("carries credentials").contains("AWS default chain")
        .doesNotContain(S3ProxyServer.SECRET_KEY).doesNotContain("AKIAEXAMPLEKEY");
  }

  @Test
  void refusedCredentialsFailInOneLineWithoutTheSecret() throws Exception {
    String wrong = "wrong-secret-" + System.nanoTime();
    PackagedJar.Run list = PackagedJar.run(work, Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", wrong),
        "list", "--target", s3.location(BUCKET, "nightly/shop"));
    assertThat(list.exit()).as(list.toString()).isEqualTo(1);
    assertThat(list.errLines()).as(list.toString()).hasSize(1);
    assertThat(list.err()).contains("S3 ").doesNotContain(wrong);
  }

  @Test
  void anEncryptedBackupInS3IsUnreadableWithoutItsKeyAndRestoresWithIt() throws Exception {
    String target = s3.location(BUCKET, "encrypted/shop");
    PackagedJar.Run keys = PackagedJar.run(work, Map.of(), "keys", "generate", "--out", work.resolve("s3-keys").toString());
    assertThat(keys.exit()).as(keys.toString()).isZero();
    String publicKey = work.resolve("s3-keys").resolve(dev.lifeboat.crypto.KeyPairFiles.PUBLIC_FILE).toString();
    String privateKey = work.resolve("s3-keys").resolve(dev.lifeboat.crypto.KeyPairFiles.PRIVATE_FILE).toString();

    PackagedJar.Run backup = PackagedJar.run(work, credentials(), "backup", "--source", SharedPostgres.uri("s3shop"),
        "--target", target, "--encrypt-to", publicKey);
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();

    PackagedJar.Run keyless = PackagedJar.run(work, credentials(), "restore", "--target", target, "--snapshot", id,
        "--destination", SharedPostgres.uri("s3shop_keyless"));
    assertThat(keyless.exit()).as(keyless.toString()).isEqualTo(2);
    assertThat(keyless.err()).contains("fingerprint");

    PackagedJar.Run restore = PackagedJar.run(work, credentials(), "restore", "--target", target, "--snapshot", id,
        "--destination", SharedPostgres.uri("s3shop_decrypted"), "--private-key", privateKey, "--verify");
    assertThat(restore.exit()).as(restore.toString()).isZero();
    assertThat(count("s3shop_decrypted", "SELECT count(*) FROM order_items")).isEqualTo(160);
  }

  private static long count(String database, String sql) throws SQLException {
    try (Connection c = pg.getDatabase("postgres", database).getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static boolean databaseExists(String database) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + database + "'")) {
      rs.next();
      return rs.getLong(1) > 0;
    }
  }
}
