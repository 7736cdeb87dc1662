package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdInputStream;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.lifeboat.BackupRequest;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Json;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.ManifestKeys;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.crypto.Encryption;
import dev.lifeboat.crypto.KeyPairFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted backups of a real PostgreSQL (zonky) and a real wire-protocol MongoDB server
 * (mongo-java-server) into the file target, through the CLI and the library: round trips with the
 * private key (one-read restore, --jobs 2, JSONB standby, drill), no key (exit 2 naming the
 * fingerprint), the wrong key (exit 3), changed and truncated ciphertext, and stored bytes that no
 * archive tool can read.
 */
class EncryptedBackupTest {
  static EmbeddedPostgres pg;
  static MongoServer mongo;
  static MongoClient client;
  static String mongoBase;
  @TempDir static Path work;
  static Path publicKey;
  static Path privateKey;
  static Path otherPrivateKey;
  static String fingerprint;

  @BeforeAll
  static void start() throws Exception {
    pg = SharedPostgres.get();
    SharedPostgres.createDemoDatabase("enc_shop", 150);
    mongo = new MongoServer(new MemoryBackend());
    InetSocketAddress address = mongo.bind();
    mongoBase = "mongodb://" + address.getHostString() + ":" + address.getPort();
    client = MongoClients.create(mongoBase);
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      docs.add(new Document("_id", i).append("n", i).append("secret", "mongo-plaintext-" + i));
    }
    client.getDatabase("enc_docs").getCollection("notes").insertMany(docs);

    Cli.Result generated = Cli.run("keys", "generate", "--out", work.resolve("keys").toString());
    assertThat(generated.exit()).as(generated.toString()).isZero();
    publicKey = work.resolve("keys").resolve(KeyPairFiles.PUBLIC_FILE);
    privateKey = work.resolve("keys").resolve(KeyPairFiles.PRIVATE_FILE);
    fingerprint = KeyPairFiles.readPublic(publicKey).fingerprint();
    assertThat(generated.out()).contains(publicKey.toString()).contains(privateKey.toString()).contains("Fingerprint: " + fingerprint);
    Cli.Result other = Cli.run("keys", "generate", "--out", work.resolve("other").toString());
    assertThat(other.exit()).isZero();
    otherPrivateKey = work.resolve("other").resolve(KeyPairFiles.PRIVATE_FILE);
  }

  @AfterAll
  static void stop() {
    client.close();
    mongo.shutdownNow();
  }

  @Test
  void keysGenerateRefusesToReplaceKeyFiles() throws IOException {
    byte[] before = Files.readAllBytes(privateKey);
    Cli.Result again = Cli.run("keys", "generate", "--out", work.resolve("keys").toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.errLines()).hasSize(1);
    assertThat(again.err()).contains("already exists");
    assertThat(Files.readAllBytes(privateKey)).isEqualTo(before);
  }

  @Test
  void badKeyFilesAreOneLineUsageErrors() throws IOException {
    String target = "file:" + work.resolve("bad-keys");
    Path garbage = Files.writeString(work.resolve("garbage.key"), "not a key");
    for (String[] args : List.of(
        new String[] {"backup", "--source", SharedPostgres.uri("enc_shop"), "--target", target, "--encrypt-to", garbage.toString()},
        new String[] {"backup", "--source", SharedPostgres.uri("enc_shop"), "--target", target, "--encrypt-to", privateKey.toString()},
        new String[] {"backup", "--source", SharedPostgres.uri("enc_shop"), "--target", target, "--encrypt-to", work.resolve("nope").toString()},
        new String[] {"verify", "--target", target, "--snapshot", "latest", "--private-key", publicKey.toString()})) {
      Cli.Result r = Cli.run(args);
      assertThat(r.exit()).as(r.toString()).isEqualTo(2);
      assertThat(r.errLines()).as(r.toString()).hasSize(1);
      assertThat(r.err()).startsWith("lifeboat: " + args[0] + " cannot start: ");
    }
    assertThat(Files.exists(work.resolve("bad-keys"))).as("nothing was stored").isFalse();
  }

  @Test
  void postgresThroughTheCli() throws Exception {
    Path store = work.resolve("pg-store");
    String target = "file:" + store;
    Cli.Result backup = Cli.run("backup", "--source", SharedPostgres.uri("enc_shop"), "--target", target, "--encrypt-to", publicKey.toString());
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();

    JsonNode manifest = Json.mapper().readTree(Cli.run("list", "--target", target, "--json").out()).get(0).get("manifest");
    assertThat(manifest.get("properties").get(ManifestKeys.ENCRYPTION).asText()).isEqualTo(Encryption.ALGORITHM);
    assertThat(manifest.get("properties").get(ManifestKeys.ENCRYPTION_KEY).asText()).isEqualTo(fingerprint);
    assertThat(manifest.toString()).as("the manifest stays readable").contains("\"order_items\"").contains("\"count\":300");
    assertThat(Cli.run("list", "--target", target).out()).contains("pg-custom+zstd+encrypted");
    Cli.Result health = Cli.run("health", "--target", target, "--deep");
    assertThat(health.exit()).as(health.toString()).isZero();
    assertThat(health.out()).contains("ciphertext intact");
    Path archive = archiveOf(store, id);
    byte[] stored = Files.readAllBytes(archive);
    assertThat(manifest.get("size").asLong()).isEqualTo(stored.length);
    assertThat(manifest.get("sha256").asText()).as("the checksum describes the ciphertext").isEqualTo(sha256(stored));
    assertNotReadableAsZstd(stored);
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("PGDMP").doesNotContain("order_items");

    Cli.Result keyless = Cli.run("verify", "--target", target, "--snapshot", id);
    assertThat(keyless.exit()).as(keyless.toString()).isZero();
    assertThat(keyless.out()).contains("PASS  size and sha256").contains("SKIP  archive readable as pg-custom")
        .contains("needs the private key with fingerprint " + fingerprint);
    Cli.Result keyed = Cli.run("verify", "--target", target, "--snapshot", id, "--private-key", privateKey.toString());
    assertThat(keyed.exit()).as(keyed.toString()).isZero();
    assertThat(keyed.out()).contains("PASS  archive readable as pg-custom");

    Cli.Result noKey = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", SharedPostgres.uri("enc_nokey"));
    assertThat(noKey.exit()).as(noKey.toString()).isEqualTo(2);
    assertThat(noKey.errLines()).hasSize(1);
    assertThat(noKey.err()).contains(fingerprint).contains("--private-key");
    assertThat(databaseExists("enc_nokey")).isFalse();

    Cli.Result wrongKey = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", SharedPostgres.uri("enc_wrong"),
        "--private-key", otherPrivateKey.toString());
    assertThat(wrongKey.exit()).as(wrongKey.toString()).isEqualTo(3);
    assertThat(wrongKey.err()).startsWith("lifeboat: restore decryption failed: ").contains(fingerprint);
    assertThat(databaseExists("enc_wrong")).isFalse();

    // One read: pg_restore --single-transaction reads the decrypted stream while the ciphertext is checked.
    Cli.Result oneRead = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", SharedPostgres.uri("enc_copy1"),
        "--private-key", privateKey.toString(), "--verify");
    assertThat(oneRead.exit()).as(oneRead.toString()).isZero();
    assertThat(count("enc_copy1", "SELECT count(*) FROM order_items")).isEqualTo(300);

    Cli.Result parallel = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", SharedPostgres.uri("enc_copy2"),
        "--private-key", privateKey.toString(), "--jobs", "2", "--verify");
    assertThat(parallel.exit()).as(parallel.toString()).isZero();
    assertThat(count("enc_copy2", "SELECT count(*) FROM orders")).isEqualTo(150);

    Path reports = work.resolve("drill-reports");
    Cli.Result drill = Cli.run("drill", "--target", target, "--snapshot", id, "--into", SharedPostgres.uri("postgres"),
        "--private-key", privateKey.toString(), "--report-dir", reports.toString(), "--json");
    assertThat(drill.exit()).as(drill.toString()).isZero();
    assertThat(Json.mapper().readTree(drill.out()).get("passed").asBoolean()).isTrue();
    Cli.Result drillNoKey = Cli.run("drill", "--target", target, "--snapshot", id, "--into", SharedPostgres.uri("postgres"),
        "--report-dir", reports.toString());
    assertThat(drillNoKey.exit()).as(drillNoKey.toString()).isEqualTo(2);
    assertThat(drillNoKey.err()).contains(fingerprint);
    Cli.Result drillWrongKey = Cli.run("drill", "--target", target, "--snapshot", id, "--into", SharedPostgres.uri("postgres"),
        "--private-key", otherPrivateKey.toString(), "--report-dir", reports.toString(), "--json");
    assertThat(drillWrongKey.exit()).as(drillWrongKey.toString()).isEqualTo(3);
    assertThat(drillWrongKey.out()).contains("private key");
  }

  @Test
  void changedAndTruncatedCiphertextIsRefusedBeforeTheDestinationIsTouched() throws Exception {
    Path store = work.resolve("tamper-store");
    String target = "file:" + store;
    Cli.Result backup = Cli.run("backup", "--source", SharedPostgres.uri("enc_shop"), "--target", target, "--encrypt-to", publicKey.toString());
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();
    Path archive = archiveOf(store, id);
    Path manifestFile = store.resolve(id).resolve("manifest.json");
    byte[] original = Files.readAllBytes(archive);
    String key = privateKey.toString();

    // A flipped byte: the ciphertext's SHA-256 catches it first.
    byte[] flipped = original.clone();
    flipped[flipped.length / 2] ^= 0x10;
    Files.write(archive, flipped);
    Cli.Result checksum = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", SharedPostgres.uri("enc_t1"), "--private-key", key);
    assertThat(checksum.exit()).as(checksum.toString()).isEqualTo(3);
    assertThat(checksum.err()).contains("integrity check failed");
    assertThat(databaseHasTables("enc_t1")).isFalse();

    // The same change with a manifest rewritten to match: only the authentication tag can catch it,
    // on each read path (one read, seekable copy, verify, drill).
    Reseal.toArchive(manifestFile, archive);
    for (String[] extra : List.of(new String[] {"--jobs", "1"}, new String[] {"--jobs", "2"})) {
      Cli.Result r = Cli.run(concat(new String[] {"restore", "--target", target, "--snapshot", id,
          "--destination", SharedPostgres.uri("enc_t2"), "--private-key", key}, extra));
      assertThat(r.exit()).as(r.toString()).isEqualTo(3);
      assertThat(r.err()).startsWith("lifeboat: restore decryption failed: ").contains("fails authentication");
      assertThat(databaseHasTables("enc_t2")).as("nothing committed").isFalse();
    }
    Cli.Result verify = Cli.run("verify", "--target", target, "--snapshot", id, "--private-key", key);
    assertThat(verify.exit()).as(verify.toString()).isEqualTo(3);
    assertThat(verify.out()).contains("PASS  size and sha256").contains("FAIL  decrypts");
    Cli.Result drill = Cli.run("drill", "--target", target, "--snapshot", id, "--into", SharedPostgres.uri("postgres"),
        "--private-key", key, "--report-dir", work.resolve("tamper-reports").toString(), "--json");
    assertThat(drill.exit()).as(drill.toString()).isEqualTo(3);
    assertThat(drill.out()).contains("decrypts");

    // Truncated, with a matching manifest: the missing last segment is detected.
    Files.write(archive, Arrays.copyOf(original, original.length - 40));
    Reseal.toArchive(manifestFile, archive);
    Cli.Result truncated = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", SharedPostgres.uri("enc_t3"), "--private-key", key);
    assertThat(truncated.exit()).as(truncated.toString()).isEqualTo(3);
    assertThat(truncated.err()).startsWith("lifeboat: restore decryption failed: ");
    assertThat(databaseHasTables("enc_t3")).isFalse();

    // Restored to its original bytes, it restores again: the failures above were the changes.
    Files.write(archive, original);
    Reseal.toArchive(manifestFile, archive);
    Cli.Result ok = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", SharedPostgres.uri("enc_t4"), "--private-key", key);
    assertThat(ok.exit()).as(ok.toString()).isZero();
  }

  @Test
  void postgresThroughTheLibrary() throws Exception {
    String target = "file:" + work.resolve("lib-store");
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      Snapshot snapshot = lifeboat.backup(BackupRequest.builder(SharedPostgres.uri("enc_shop"), target)
          .encryptTo(KeyPairFiles.readPublic(publicKey)).build());
      assertThat(Encryption.keyFingerprint(snapshot.manifest())).contains(fingerprint);
      assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder(target, snapshot.id(), SharedPostgres.uri("enc_lib0")).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION));
      RestoreResult result = lifeboat.restore(RestoreRequest.builder(target, snapshot.id(), SharedPostgres.uri("enc_lib1"))
          .privateKey(KeyPairFiles.readPrivate(privateKey, null)).verify().build());
      assertThat(result.verified()).hasValueSatisfying(v -> assertThat(v.passed()).isTrue());
    }
    assertThat(count("enc_lib1", "SELECT count(*) FROM orders")).isEqualTo(150);
  }

  @Test
  void mongoThroughTheCliIntoMongoAndAJsonbStandby() throws Exception {
    Path store = work.resolve("mongo-store");
    String target = "file:" + store;
    Cli.Result backup = Cli.run("backup", "--source", mongoBase + "/enc_docs", "--target", target, "--encrypt-to", publicKey.toString());
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();
    byte[] stored = Files.readAllBytes(archiveOf(store, id));
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("mongo-plaintext-");
    assertThatThrownBy(() -> new GZIPInputStream(new ByteArrayInputStream(stored)).readAllBytes())
        .as("the stored bytes are not a gzip stream").isInstanceOf(IOException.class);

    Cli.Result keyless = Cli.run("verify", "--target", target, "--snapshot", id);
    assertThat(keyless.exit()).as(keyless.toString()).isZero();
    assertThat(keyless.out()).contains("SKIP  archive readable as mongo-archive");

    Cli.Result noKey = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", mongoBase + "/enc_docs_copy");
    assertThat(noKey.exit()).as(noKey.toString()).isEqualTo(2);
    assertThat(noKey.err()).contains(fingerprint);
    Cli.Result wrongKey = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", mongoBase + "/enc_docs_copy",
        "--private-key", otherPrivateKey.toString());
    assertThat(wrongKey.exit()).as(wrongKey.toString()).isEqualTo(3);
    assertThat(client.getDatabase("enc_docs_copy").getCollection("notes").countDocuments()).isZero();

    Cli.Result toMongo = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", mongoBase + "/enc_docs_copy",
        "--private-key", privateKey.toString(), "--verify");
    assertThat(toMongo.exit()).as(toMongo.toString()).isZero();
    assertThat(client.getDatabase("enc_docs_copy").getCollection("notes").find(new Document("_id", 7)).first())
        .containsEntry("secret", "mongo-plaintext-7");

    // The JSONB standby reads the archive once, checked while it loads.
    String standby = SharedPostgres.uri("enc_standby");
    Cli.Result toJsonb = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", standby,
        "--private-key", privateKey.toString(), "--verify");
    assertThat(toJsonb.exit()).as(toJsonb.toString()).isZero();
    assertThat(count("enc_standby", "SELECT count(*) FROM notes")).isEqualTo(120);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  static Path archiveOf(Path store, String id) throws IOException {
    try (Stream<Path> files = Files.list(store.resolve(id))) {
      return files.filter(p -> p.getFileName().toString().startsWith("archive.")).findFirst().orElseThrow();
    }
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static void assertNotReadableAsZstd(byte[] stored) {
    assertThatThrownBy(() -> {
      try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(stored))) {
        in.readAllBytes();
      }
    }).as("zstd cannot decompress the stored bytes").isInstanceOf(IOException.class);
  }

  private static boolean databaseExists(String database) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + database + "'")) {
      rs.next();
      return rs.getLong(1) > 0;
    }
  }

  private static boolean databaseHasTables(String database) throws SQLException {
    if (!databaseExists(database)) {
      return false;
    }
    return count(database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") > 0;
  }

  private static long count(String database, String sql) throws SQLException {
    try (Connection c = pg.getDatabase("postgres", database).getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
