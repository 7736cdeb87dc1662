package dev.lifeboat.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.lifeboat.BackupRequest;
import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.Json;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.Verification;
import dev.lifeboat.VerifyRequest;
import dev.lifeboat.mongo.archive.ArchiveSummary;
import dev.lifeboat.mongo.archive.ArchiveVisitor;
import dev.lifeboat.mongo.archive.MongoArchiveReader;
import dev.lifeboat.mongo.archive.Namespace;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MongoDB → archive → MongoDB through the Lifeboat facade, against mongo-java-server. */
class MongoRoundTripTest {
  private static final int BULK = 3000;
  private static MongoFixture mongo;
  private static List<BsonDocument> samples;

  @BeforeAll
  static void start() {
    mongo = new MongoFixture();
    MongoDatabase shop = mongo.client.getDatabase("shop");
    samples = BsonSamples.everyType();
    shop.getCollection("everything", BsonDocument.class).insertMany(samples);
    shop.createCollection("empty");
    var indexed = shop.getCollection("indexed");
    indexed.createIndex(Indexes.ascending("sku"), new IndexOptions().unique(true));
    indexed.createIndex(Indexes.compoundIndex(Indexes.ascending("shop"), Indexes.descending("at")));
    indexed.createIndex(Indexes.ascending("expires"), new IndexOptions().expireAfter(3600L, TimeUnit.SECONDS));
    List<Document> items = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      items.add(new Document("_id", i).append("sku", "sku-" + i).append("shop", i % 3).append("at", new java.util.Date(1_700_000_000_000L + i)));
    }
    indexed.insertMany(items);
    List<Document> bulk = new ArrayList<>();
    for (int i = 0; i < BULK; i++) {
      bulk.add(new Document("_id", i).append("n", i).append("pad", "p".repeat(i % 200)));
    }
    shop.getCollection("bulk").insertMany(bulk);
  }

  @AfterAll
  static void stop() {
    mongo.close();
  }

  private static Lifeboat lifeboat() {
    // Small chunks and two readers so that namespaces interleave in the archive.
    return Lifeboat.builder().setting("mongo.chunkBytes", "4096").setting("mongo.parallelCollections", "2")
        .setting("mongo.batchSize", "100").secrets(name -> java.util.Optional.empty()).build();
  }

  private static Snapshot backup(Lifeboat lb, Path dir, DumpOptions options) {
    return lb.backup(BackupRequest.builder(mongo.uri("shop"), "file:" + dir).options(options).build());
  }

  @Test
  void roundTripKeepsEveryDocumentByteForByteWithIndexesAndCounts(@TempDir Path dir) throws Exception {
    try (Lifeboat lb = lifeboat()) {
      Snapshot s = backup(lb, dir, DumpOptions.defaults());
      assertThat(s.manifest().format()).isEqualTo("mongo-archive");
      assertThat(s.manifest().compression()).isEqualTo(Compression.GZIP);
      Map<String, Long> counts = new java.util.TreeMap<>();
      s.manifest().inventory().items().forEach(i -> counts.put(i.name(), i.count()));
      assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("everything", (long) samples.size(), "empty", 0L,
          "indexed", 20L, "bulk", (long) BULK));
      InventoryItem indexed = s.manifest().inventory().find("shop.indexed").orElseThrow();
      assertThat(indexed.kind()).isEqualTo("collection");
      assertThat(indexed.indexes()).containsExactlyInAnyOrder("_id_", "sku_1", "shop_1_at_-1", "expires_1");
      assertThat(Json.write(indexed.options())).contains("\"expireAfterSeconds\" : 3600").contains("\"unique\" : true");

      RestoreResult r = lb.restore(RestoreRequest.builder("file:" + dir, s.id(), mongo.uri("shop_copy")).verify().build());
      assertThat(r.restored()).containsExactlyInAnyOrder("everything", "empty", "indexed", "bulk");
      assertThat(r.verification().passed()).as(r.verification().toString()).isTrue();
      for (String c : List.of("everything", "indexed", "bulk")) {
        List<byte[]> before = mongo.rawById("shop", c);
        List<byte[]> after = mongo.rawById("shop_copy", c);
        assertThat(after).as(c).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
          assertThat(after.get(i)).as("%s document %d", c, i).isEqualTo(before.get(i));
        }
      }
      assertThat(mongo.client.getDatabase("shop_copy").listCollectionNames().into(new ArrayList<>())).contains("empty");
      List<String> indexNames = new ArrayList<>();
      mongo.client.getDatabase("shop_copy").getCollection("indexed").listIndexes().forEach(d -> indexNames.add(d.getString("name")));
      assertThat(indexNames).containsExactlyInAnyOrder("_id_", "sku_1", "shop_1_at_-1", "expires_1");
      Document ttl = mongo.client.getDatabase("shop_copy").getCollection("indexed").listIndexes().into(new ArrayList<>()).stream()
          .filter(d -> d.getString("name").equals("expires_1")).findFirst().orElseThrow();
      assertThat(((Number) ttl.get("expireAfterSeconds")).longValue()).isEqualTo(3600);
    }
  }

  @Test
  void archiveHoldsTheSourcesDocumentBytesUnchanged(@TempDir Path dir) throws Exception {
    try (Lifeboat lb = lifeboat()) {
      Snapshot s = backup(lb, dir, DumpOptions.builder().compression(Compression.ZSTD).build());
      Path file;
      try (Stream<Path> files = Files.walk(dir)) {
        file = files.filter(p -> p.getFileName().toString().startsWith("archive.mongo-archive")).findFirst().orElseThrow();
      }
      assertThat(file.getFileName().toString()).endsWith(".zst");
      List<byte[]> inArchive = new ArrayList<>();
      ArchiveSummary summary;
      try (InputStream in = Files.newInputStream(file)) {
        summary = MongoArchiveReader.read(in, new ArchiveVisitor() {
          @Override
          public boolean wants(Namespace ns) {
            return ns.collection().equals("everything");
          }

          @Override
          public void document(Namespace ns, byte[] bson) {
            inArchive.add(bson);
          }
        });
      }
      List<byte[]> source = mongo.rawById("shop", "everything");
      assertThat(inArchive).hasSameSizeAs(source);
      for (byte[] expected : source) {
        assertThat(inArchive).anySatisfy(actual -> assertThat(actual).isEqualTo(expected));
      }
      assertThat(summary.prelude().header().concurrentCollections()).isEqualTo(2);
      assertThat(summary.prelude().header().serverVersion()).isEqualTo("4.0.0");
      // The stored manifest agrees with what the archive holds.
      assertThat(summary.namespaces().get(new Namespace("shop", "bulk")).documents()).isEqualTo(BULK);
      assertThat(s.manifest().properties()).containsEntry("mongo.parallelCollections", "2");
    }
  }

  @Test
  void includeAndExcludeCollections(@TempDir Path dir) {
    try (Lifeboat lb = lifeboat()) {
      Snapshot only = backup(lb, dir, DumpOptions.builder().includeTable("ind*").build());
      assertThat(only.manifest().inventory().items()).extracting(InventoryItem::name).containsExactly("indexed");
      Snapshot without = backup(lb, dir, DumpOptions.builder().excludeTable("bulk").excludeTable("every?hing").build());
      assertThat(without.manifest().inventory().items()).extracting(InventoryItem::name).containsExactlyInAnyOrder("empty", "indexed");
      assertThatThrownBy(() -> backup(lb, dir, DumpOptions.builder().includeTable("nope").build()))
          .isInstanceOf(LifeboatException.class).hasMessageContaining("No collection")
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION);
    }
  }

  @Test
  void restoresSelectedCollectionsAndRefusesANonEmptyDestinationUnlessReplacing(@TempDir Path dir) {
    try (Lifeboat lb = lifeboat()) {
      Snapshot s = backup(lb, dir, DumpOptions.defaults());
      String dest = mongo.uri("shop_partial");
      RestoreResult r = lb.restore(RestoreRequest.builder("file:" + dir, s.id(), dest)
          .options(RestoreOptions.builder().table("indexed").build()).verify().build());
      assertThat(r.restored()).containsExactly("indexed");
      assertThat(r.verification().passed()).as(r.verification().toString()).isTrue();
      assertThat(r.verification().checks()).extracting(c -> c.name()).containsExactlyInAnyOrder("count indexed", "indexes indexed");
      assertThat(mongo.client.getDatabase("shop_partial").listCollectionNames().into(new ArrayList<>())).containsExactly("indexed");

      assertThatThrownBy(() -> lb.restore(RestoreRequest.builder("file:" + dir, s.id(), dest)
          .options(RestoreOptions.builder().table("indexed").build()).build()))
          .isInstanceOf(LifeboatException.class).hasMessageContaining("already holds [indexed]").hasMessageContaining("(--replace)")
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.DESTINATION_NOT_EMPTY);

      mongo.client.getDatabase("shop_partial").getCollection("indexed").insertOne(new Document("_id", 999));
      RestoreResult again = lb.restore(RestoreRequest.builder("file:" + dir, s.id(), dest)
          .options(RestoreOptions.builder().table("indexed").replace(true).build()).verify().build());
      assertThat(again.verification().passed()).isTrue();
      assertThat(mongo.client.getDatabase("shop_partial").getCollection("indexed").countDocuments()).isEqualTo(20);

      assertThatThrownBy(() -> lb.restore(RestoreRequest.builder("file:" + dir, s.id(), dest)
          .options(RestoreOptions.builder().table("missing").build()).build()))
          .isInstanceOf(LifeboatException.class).hasMessageContaining("no collection 'missing'");
    }
  }

  private static List<String> collections(String db) {
    return mongo.client.getDatabase(db).listCollectionNames().into(new ArrayList<>());
  }

  private static Path storedArchive(Path dir) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("archive.mongo-archive")).findFirst().orElseThrow();
    }
  }

  @Test
  void aDamagedArchiveLeavesAReplacedDestinationAsItWasAndNothingStaged(@TempDir Path dir) throws Exception {
    try (Lifeboat lb = lifeboat()) {
      Snapshot s = backup(lb, dir, DumpOptions.defaults());
      String dest = mongo.uri("shop_flipped");
      lb.restore(RestoreRequest.builder("file:" + dir, s.id(), dest).build());
      assertThat(collections("shop_flipped")).as("a restore renames every staged collection into place")
          .containsExactlyInAnyOrder("everything", "empty", "indexed", "bulk");
      MongoDatabase db = mongo.client.getDatabase("shop_flipped");
      db.getCollection("bulk").insertOne(new Document("_id", "written after the snapshot"));

      // One byte flipped near the end: every document before it reaches the loader first.
      Path archive = storedArchive(dir);
      byte[] bytes = Files.readAllBytes(archive);
      bytes[bytes.length - 20] ^= 0x01;
      Files.write(archive, bytes);
      assertThatThrownBy(() -> lb.restore(RestoreRequest.builder("file:" + dir, s.id(), dest)
          .options(RestoreOptions.builder().replace(true).build()).build()))
          .isInstanceOf(LifeboatException.class)
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
      assertThat(collections("shop_flipped")).as("no staging collection left, none replaced")
          .containsExactlyInAnyOrder("everything", "empty", "indexed", "bulk");
      assertThat(db.getCollection("bulk").countDocuments()).as("the replaced data is still there").isEqualTo(BULK + 1);
      assertThat(db.getCollection("bulk").countDocuments(Filters.eq("_id", "written after the snapshot"))).isEqualTo(1);
    }
  }

  @Test
  void stagingCollectionsAKilledRestoreLeftAreDroppedByTheNextRestore(@TempDir Path dir) {
    try (Lifeboat lb = lifeboat()) {
      Snapshot s = backup(lb, dir, DumpOptions.defaults());
      MongoDatabase db = mongo.client.getDatabase("shop_leftovers");
      db.getCollection(MongoRestorer.STAGING_PREFIX + "5eed.0").insertOne(new Document("_id", 1));
      RestoreResult r = lb.restore(RestoreRequest.builder("file:" + dir, s.id(), mongo.uri("shop_leftovers")).verify().build());
      assertThat(r.verification().passed()).as(r.verification().toString()).isTrue();
      assertThat(collections("shop_leftovers")).containsExactlyInAnyOrder("everything", "empty", "indexed", "bulk");
      List<String> indexNames = new ArrayList<>();
      db.getCollection("indexed").listIndexes().forEach(d -> indexNames.add(d.getString("name")));
      assertThat(indexNames).as("indexes built on the staged collection travel with the rename")
          .containsExactlyInAnyOrder("_id_", "sku_1", "shop_1_at_-1", "expires_1");
    }
  }

  @Test
  void replacingIsRefusedBeforeAnyChangeWhileTheDatabaseHoldsCollectionsTheSnapshotDoesNotHave(@TempDir Path dir) {
    try (Lifeboat lb = lifeboat()) {
      Snapshot s = backup(lb, dir, DumpOptions.defaults());
      String dest = mongo.uri("shop_extras");
      lb.restore(RestoreRequest.builder("file:" + dir, s.id(), dest).build());
      MongoDatabase db = mongo.client.getDatabase("shop_extras");
      db.getCollection("bulk").insertOne(new Document("_id", "added after the snapshot"));
      for (int i = 1; i <= 12; i++) {
        db.getCollection(String.format("legacy_%02d", i)).insertOne(new Document("_id", i));
      }
      for (RestoreOptions options : List.of(RestoreOptions.builder().replace(true).build(),
          RestoreOptions.builder().table("bulk").replace(true).build())) {
        assertThatThrownBy(() -> lb.restore(RestoreRequest.builder("file:" + dir, s.id(), dest).options(options).build()))
            .isInstanceOf(LifeboatException.class)
            .hasMessageContaining("holds 12 collections the snapshot does not have (legacy_01, legacy_02, legacy_03, legacy_04, "
                + "legacy_05, legacy_06, legacy_07, legacy_08, legacy_09, legacy_10 and 2 more)")
            .hasMessageContaining("Drop them first, or restore into an empty database")
            .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.DESTINATION_NOT_EMPTY);
      }
      assertThat(db.getCollection("bulk").countDocuments()).as("nothing changed").isEqualTo(BULK + 1);
      assertThat(db.listCollectionNames().into(new ArrayList<>())).hasSize(4 + 12);

      for (int i = 1; i <= 12; i++) {
        db.getCollection(String.format("legacy_%02d", i)).drop();
      }
      RestoreResult r = lb.restore(RestoreRequest.builder("file:" + dir, s.id(), dest)
          .options(RestoreOptions.builder().replace(true).build()).verify().build());
      assertThat(r.verification().passed()).as(r.verification().toString()).isTrue();
      assertThat(db.getCollection("bulk").countDocuments()).isEqualTo(BULK);
    }
  }

  @Test
  void refusesTheSourceDatabaseUnlessConfirmedWithItsName(@TempDir Path dir) {
    MongoDatabase src = mongo.client.getDatabase("precious");
    src.getCollection("c").insertMany(List.of(new Document("_id", 1), new Document("_id", 2)));
    try (Lifeboat lb = lifeboat()) {
      Snapshot s = lb.backup(BackupRequest.builder(mongo.uri("precious"), "file:" + dir).build());
      String sameWithOtherSpelling = "mongodb://" + mongo.hostPort.replace("127.0.0.1", "127.0.0.1") + "/precious?retryWrites=true";
      assertThatThrownBy(() -> lb.restore(RestoreRequest.builder("file:" + dir, s.id(), sameWithOtherSpelling)
          .options(RestoreOptions.builder().replace(true).build()).build()))
          .isInstanceOf(LifeboatException.class).hasMessageContaining("confirm")
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION);
      String otherLoopback = mongo.hostPort.startsWith("localhost") ? "127.0.0.1" : "localhost";
      String localhostSpelling = "mongodb://" + otherLoopback + mongo.hostPort.substring(mongo.hostPort.lastIndexOf(':')) + "/precious";
      assertThatThrownBy(() -> lb.restore(RestoreRequest.builder("file:" + dir, s.id(), localhostSpelling)
          .options(RestoreOptions.builder().replace(true).build()).build()))
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION);
      assertThatThrownBy(() -> lb.restore(RestoreRequest.builder("file:" + dir, s.id(), mongo.uri("precious"))
          .options(RestoreOptions.builder().replace(true).confirm("wrong").build()).build()))
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION);
      assertThat(src.getCollection("c").countDocuments()).isEqualTo(2);
      src.getCollection("c").deleteOne(Filters.eq("_id", 2));
      RestoreResult r = lb.restore(RestoreRequest.builder("file:" + dir, s.id(), mongo.uri("precious"))
          .options(RestoreOptions.builder().replace(true).confirm("precious").build()).verify().build());
      assertThat(r.verification().passed()).isTrue();
      assertThat(src.getCollection("c").countDocuments()).isEqualTo(2);
    }
  }

  @Test
  void verifierFailsOnAMissingDocumentAndAMissingIndex(@TempDir Path dir) {
    try (Lifeboat lb = lifeboat()) {
      Snapshot s = backup(lb, dir, DumpOptions.builder().includeTable("indexed").build());
      lb.restore(RestoreRequest.builder("file:" + dir, s.id(), mongo.uri("shop_damaged")).build());
      var coll = mongo.client.getDatabase("shop_damaged").getCollection("indexed");
      coll.deleteOne(Filters.eq("_id", 3));
      coll.dropIndex("sku_1");
      Verification v = lb.verify(VerifyRequest.builder("file:" + dir, s.id()).destination(mongo.uri("shop_damaged")).build());
      assertThat(v.passed()).isFalse();
      assertThat(v.failures()).extracting(c -> c.name()).containsExactlyInAnyOrder("count indexed", "indexes indexed");
      assertThat(v.failures().get(0).detail() + v.failures().get(1).detail()).contains("expected 20, found 19").contains("sku_1");
      Verification archive = lb.verify(VerifyRequest.builder("file:" + dir, s.id()).build());
      assertThat(archive.passed()).isTrue();
      assertThat(archive.checks().get(1).detail()).startsWith("1 namespaces, 20 documents (")
          .endsWith("every document decoded, every block's CRC-64 checked");
    }
  }

  @Test
  void freshnessExpectationReadsTheNewestDate(@TempDir Path dir) {
    try (Lifeboat lb = lifeboat()) {
      Snapshot s = backup(lb, dir, DumpOptions.builder().includeTable("indexed").build());
      lb.restore(RestoreRequest.builder("file:" + dir, s.id(), mongo.uri("shop_fresh")).build());
      Verification v = lb.verify(VerifyRequest.builder("file:" + dir, s.id()).destination(mongo.uri("shop_fresh"))
          .expect(dev.lifeboat.Expectation.freshWithin("indexed", "at", java.time.Duration.ofDays(1))).build());
      assertThat(v.failures()).extracting(c -> c.name()).containsExactly("fresh indexed.at");
      assertThat(v.failures().get(0).detail())
          .matches("newest 2023-11-14T22:13:20.019Z is \\d+d(\\d+h)?(\\d+m)?(\\d+s)? old, more than 1d");
    }
  }

  @Test
  void aUriWithoutADatabaseSaysHowToAddOne() {
    try (Lifeboat lb = lifeboat()) {
      assertThatThrownBy(() -> lb.backup(BackupRequest.builder("mongodb://" + mongo.hostPort, "file:/tmp/none").build()))
          .isInstanceOf(LifeboatException.class).hasMessageContaining("names no database")
          .hasMessageContaining("mongodb://host:27017/mydb")
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION);
    }
  }

  @Test
  void anUnreachableServerIsAConnectionError(@TempDir Path dir) {
    try (Lifeboat lb = Lifeboat.builder().setting("mongo.serverSelectionTimeoutMs", "300").build()) {
      assertThatThrownBy(() -> lb.backup(BackupRequest.builder("mongodb://u:s3cret@127.0.0.1:1/db", "file:" + dir).build()))
          .isInstanceOf(LifeboatException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"))
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CONNECTION);
      assertThat(lb.list("file:" + dir)).isEmpty();
    }
  }
}
