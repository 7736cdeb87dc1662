package dev.lifeboat.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.lifeboat.BackupRequest;
import dev.lifeboat.Formats;
import dev.lifeboat.Inventory;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.Verification;
import dev.lifeboat.spi.RestoreJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with the real MongoDB database tools 100.8.0, both ways, against
 * mongo-java-server: {@code mongorestore} loads a Lifeboat backup, and Lifeboat restores what
 * {@code mongodump} wrote, each with the same documents (byte for byte) and indexes.
 */
class RealToolsInteropTest {
  private static final List<String> COLLECTIONS = List.of("everything", "orders", "empty");
  private static MongoFixture mongo;
  private static Lifeboat lifeboat;
  @TempDir
  static Path work;

  @BeforeAll
  static void start() {
    mongo = new MongoFixture();
    MongoDatabase shop = mongo.client.getDatabase("shop");
    shop.getCollection("everything", BsonDocument.class).insertMany(BsonSamples.everyType());
    var orders = shop.getCollection("orders");
    orders.createIndex(Indexes.ascending("sku"), new IndexOptions().unique(true));
    orders.createIndex(Indexes.compoundIndex(Indexes.ascending("shop"), Indexes.descending("at")), new IndexOptions().name("shop_recent"));
    orders.createIndex(Indexes.ascending("expires"), new IndexOptions().expireAfter(3600L, TimeUnit.SECONDS));
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      docs.add(new Document("_id", i).append("sku", "sku-" + i).append("shop", i % 7).append("at", new Date(1_700_000_000_000L + i))
          .append("lines", List.of(new Document("qty", i % 5).append("price", i * 0.25))).append("note", "n".repeat(i % 300)));
    }
    orders.insertMany(docs);
    shop.createCollection("empty");
    lifeboat = Lifeboat.builder().secrets(n -> Optional.empty()).build();
  }

  @AfterAll
  static void stop() {
    lifeboat.close();
    mongo.close();
  }

  private static String server() {
    return "mongodb://" + mongo.hostPort + "/";
  }

  /** Index specifications by name, without the fields that name the database ({@code ns}). */
  private static Map<String, BsonDocument> indexes(String db, String collection) {
    Map<String, BsonDocument> out = new TreeMap<>();
    for (BsonDocument spec : mongo.client.getDatabase(db).getCollection(collection).listIndexes(BsonDocument.class)) {
      BsonDocument copy = spec.clone();
      copy.remove("ns");
      out.put(copy.getString("name").getValue(), copy);
    }
    return out;
  }

  private static void assertSameCollections(String expectedDb, String actualDb) {
    assertThat(mongo.client.getDatabase(actualDb).listCollectionNames().into(new ArrayList<>()))
        .containsExactlyInAnyOrderElementsOf(COLLECTIONS);
    for (String c : COLLECTIONS) {
      List<byte[]> expected = mongo.rawById(expectedDb, c);
      List<byte[]> actual = mongo.rawById(actualDb, c);
      assertThat(actual).as("documents of %s", c).hasSameSizeAs(expected);
      for (int i = 0; i < expected.size(); i++) {
        assertThat(actual.get(i)).as("document %d of %s", i, c).isEqualTo(expected.get(i));
      }
      assertThat(indexes(actualDb, c)).as("indexes of %s", c).isEqualTo(indexes(expectedDb, c));
    }
    assertThat(indexes(actualDb, "orders")).containsKeys("_id_", "sku_1", "shop_recent", "expires_1");
  }

  @Test
  void realMongorestoreLoadsALifeboatBackupWithTheSameDocumentsAndIndexes() throws Exception {
    Path store = Files.createDirectory(work.resolve("lifeboat-backups"));
    Snapshot s = lifeboat.backup(BackupRequest.builder(mongo.uri("shop"), "file:" + store).build());
    Path archive;
    try (var files = Files.list(store.resolve(s.id()))) {
      archive = files.filter(f -> f.getFileName().toString().startsWith("archive.")).findFirst().orElseThrow();
    }
    assertThat(archive.getFileName().toString()).as("Lifeboat's default MongoDB compression is gzip").endsWith(".gz");

    MongoTools.Run run = MongoTools.run(List.of(MongoTools.tool("mongorestore").toString(), "--uri=" + server(),
        "--archive=" + archive, "--gzip", "--nsFrom=shop.*", "--nsTo=other.*"));
    assertThat(run.exitStatus()).as("mongorestore output:\n%s", run.output()).isZero();
    assertThat(run.output()).contains((700 + BsonSamples.everyType().size()) + " document(s) restored successfully").contains("0 document(s) failed to restore");

    assertSameCollections("shop", "other");
  }

  @Test
  void lifeboatRestoresAnArchiveWrittenByRealMongodumpWithTheSameDocumentsAndIndexes() throws Exception {
    Path archive = work.resolve("mongodump.archive.gz");
    MongoTools.Run run = MongoTools.run(List.of(MongoTools.tool("mongodump").toString(), "--uri=" + server(),
        "--archive=" + archive, "--gzip", "--db=shop"));
    assertThat(run.exitStatus()).as("mongodump output:\n%s", run.output()).isZero();
    assertThat(Files.size(archive)).isPositive();

    List<InventoryItem> items = new ArrayList<>();
    for (String c : COLLECTIONS) {
      items.add(new InventoryItem("shop", c, "collection", mongo.client.getDatabase("shop").getCollection(c).countDocuments(),
          List.of(), List.copyOf(indexes("shop", c).keySet()), null));
    }
    Manifest manifest = Manifest.builder().id("20240101T000000Z-mongodump").format(Formats.MONGO_ARCHIVE)
        .source(new SourceFingerprint("mongodb", "4.2.0", "shop", "mongodb://elsewhere.example.net/shop"))
        .inventory(new Inventory(items)).build();
    BytesArchive bytes = new BytesArchive(manifest, Files.readAllBytes(archive));
    MongoRestorer restorer = new MongoRestorer(lifeboat.providerContext());
    assertThat(restorer.readArchive(bytes)).startsWith("3 namespaces, " + (700 + BsonSamples.everyType().size()) + " documents");
    assertThat(restorer.checkArchive(bytes)).contains("CRC-64 checked");

    RestoreResult r = restorer.restore(new RestoreJob(bytes, Location.parse(mongo.uri("fromMongodump")), RestoreOptions.defaults(), null));
    assertThat(r.restored()).containsExactlyInAnyOrderElementsOf(COLLECTIONS);
    assertSameCollections("shop", "fromMongodump");
    Verification v = new MongoVerifier(lifeboat.providerContext()).verify(manifest, Location.parse(mongo.uri("fromMongodump")),
        List.of(), List.of());
    assertThat(v.passed()).as(v.toString()).isTrue();
  }
}
