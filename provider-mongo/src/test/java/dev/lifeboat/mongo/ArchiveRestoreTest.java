package dev.lifeboat.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Inventory;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.Verification;
import dev.lifeboat.mongo.archive.ArchiveHeader;
import dev.lifeboat.mongo.archive.ArchiveSummary;
import dev.lifeboat.mongo.archive.ArchiveVisitor;
import dev.lifeboat.mongo.archive.CollectionMetadata;
import dev.lifeboat.mongo.archive.MongoArchiveReader;
import dev.lifeboat.mongo.archive.MongoArchiveWriter;
import dev.lifeboat.mongo.archive.Namespace;
import dev.lifeboat.spi.Archive;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.Dump;
import dev.lifeboat.spi.RestoreJob;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Restores of archives made by the real mongodump and of hand-made ones; dump abort and failure. */
class ArchiveRestoreTest {
  private static MongoFixture mongo;
  private static Lifeboat lifeboat;

  @BeforeAll
  static void start() {
    mongo = new MongoFixture();
    lifeboat = Lifeboat.builder().secrets(name -> Optional.empty()).build();
  }

  @AfterAll
  static void stop() {
    lifeboat.close();
    mongo.close();
  }

  private static Manifest manifestFor(String db, Inventory inventory) {
    return Manifest.builder().id("20240101T000000Z-" + db.toLowerCase()).format("mongo-archive")
        .source(new SourceFingerprint("mongodb", "8.0.3", db, "mongodb://elsewhere.example.net/" + db)).inventory(inventory).build();
  }

  @Test
  void restoresTheCollectionsOfAMongodumpArchiveByteForByteAndSkipsUsersAndRoles() {
    byte[] archive = TestData.bytes(TestData.MODERN);
    Manifest manifest = manifestFor("testDB", new Inventory(List.of(
        new InventoryItem("testDB", "testColl", "collection", 1500, List.of(), List.of("_id_"), null))));
    MongoRestorer restorer = new MongoRestorer(lifeboat.providerContext());
    BytesArchive a = new BytesArchive(manifest, archive);
    assertThat(restorer.checkArchive(a)).isEqualTo("4 namespaces, 1510 documents, CRC-64 checked");
    RestoreResult r = restorer.restore(new RestoreJob(a, Location.parse(mongo.uri("fromMongodump")), RestoreOptions.defaults(), null));
    assertThat(r.restored()).containsExactly("testColl");
    assertThat(r.details()).containsEntry("documents", "1500");
    assertThat(mongo.client.getDatabase("fromMongodump").listCollectionNames().into(new ArrayList<>())).containsExactly("testColl");

    List<byte[]> inArchive = new ArrayList<>();
    MongoArchiveReader.read(new ByteArrayInputStream(archive), new ArchiveVisitor() {
      @Override
      public boolean wants(Namespace ns) {
        return ns.equals(new Namespace("testDB", "testColl"));
      }

      @Override
      public void document(Namespace ns, byte[] bson) {
        inArchive.add(bson);
      }
    });
    List<byte[]> restored = mongo.rawById("fromMongodump", "testColl");
    inArchive.sort(Comparator.comparing(b -> new RawBsonDocument(b).get("_id").asObjectId().getValue()));
    assertThat(restored).hasSize(1500);
    for (int i = 0; i < restored.size(); i++) {
      assertThat(restored.get(i)).isEqualTo(inArchive.get(i));
    }
    Verification v = new MongoVerifier(lifeboat.providerContext()).verify(manifest, Location.parse(mongo.uri("fromMongodump")), List.of(), List.of());
    assertThat(v.passed()).as(v.toString()).isTrue();
  }

  /**
   * What core's checked stream does with a damaged archive: every byte but the last ones reaches
   * the reader, then the read fails with {@code CHECKSUM_MISMATCH}.
   */
  private static Archive failingAtItsEnd(Manifest manifest, byte[] bytes) {
    BytesArchive whole = new BytesArchive(manifest, bytes);
    return new Archive() {
      @Override
      public Manifest manifest() {
        return manifest;
      }

      @Override
      public java.nio.file.Path file(java.nio.file.Path scratch) {
        return whole.file(scratch);
      }

      @Override
      public Optional<java.nio.file.Path> localFile() {
        return Optional.empty();
      }

      @Override
      public InputStream open() {
        return new java.io.FilterInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 16)) {
          @Override
          public int read(byte[] b, int off, int len) throws java.io.IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
              throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "the stored archive does not match its SHA-256");
            }
            return n;
          }
        };
      }
    };
  }

  @Test
  void aRestoreLoadsIntoStagingCollectionsAndReplacesNothingUntilTheArchiveWasReadToItsEnd() {
    byte[] archive = TestData.bytes(TestData.MODERN);
    Manifest manifest = manifestFor("testDB", new Inventory(List.of(
        new InventoryItem("testDB", "testColl", "collection", 1500, List.of(), List.of("_id_"), null))));
    MongoRestorer restorer = new MongoRestorer(lifeboat.providerContext());
    assertThat(restorer.reading(manifest, RestoreOptions.defaults())).as("one checked read, no separate pass")
        .isEqualTo(dev.lifeboat.spi.Restorer.Reading.STREAM_COMMITTING_AT_END);
    Location dest = Location.parse(mongo.uri("stagedReplace"));
    restorer.restore(new RestoreJob(new BytesArchive(manifest, archive), dest, RestoreOptions.defaults(), null));
    var coll = mongo.client.getDatabase("stagedReplace").getCollection("testColl");
    coll.insertOne(new Document("_id", "written after the snapshot"));

    RestoreOptions replace = RestoreOptions.builder().replace(true).build();
    assertThatThrownBy(() -> restorer.restore(new RestoreJob(failingAtItsEnd(manifest, archive), dest, replace, null)))
        .isInstanceOf(LifeboatException.class)
        .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
    assertThat(mongo.client.getDatabase("stagedReplace").listCollectionNames().into(new ArrayList<>()))
        .as("the staging collection is dropped again").containsExactly("testColl");
    assertThat(coll.countDocuments()).as("the collection a replace would drop is still whole").isEqualTo(1501);

    restorer.restore(new RestoreJob(new BytesArchive(manifest, archive), dest, replace, null));
    assertThat(coll.countDocuments()).isEqualTo(1500);
    assertThat(mongo.client.getDatabase("stagedReplace").listCollectionNames().into(new ArrayList<>())).containsExactly("testColl");
  }

  @Test
  void aSnapshotWithATimeSeriesCollectionIsCheckedInASeparatePassAndLoadedInPlace() {
    Manifest manifest = manifestFor("lab", new Inventory(List.of(
        new InventoryItem("lab", "readings", CollectionMetadata.TIMESERIES, 10, List.of(), List.of(), null))));
    assertThat(new MongoRestorer(lifeboat.providerContext()).reading(manifest, RestoreOptions.defaults()))
        .isEqualTo(dev.lifeboat.spi.Restorer.Reading.STREAM);
  }

  @Test
  void restoresTheOplogArchivesCollectionAndLeavesTheOplogAlone() {
    Manifest manifest = manifestFor("test", Inventory.EMPTY);
    RestoreResult r = new MongoRestorer(lifeboat.providerContext()).restore(new RestoreJob(
        new BytesArchive(manifest, TestData.gzip(TestData.bytes(TestData.OPLOG))),
        Location.parse(mongo.uri("fromOplogArchive")), RestoreOptions.defaults(), null));
    assertThat(r.restored()).containsExactly("foo");
    assertThat(mongo.client.getDatabase("fromOplogArchive").getCollection("foo").countDocuments()).isEqualTo(25);
  }

  @Test
  void checkArchiveRefusesAnArchiveThatDisagreesWithItsManifest() {
    Manifest manifest = manifestFor("test", new Inventory(List.of(InventoryItem.of("test", "bar", "collection", 2))));
    assertThatThrownBy(() -> new MongoRestorer(lifeboat.providerContext()).checkArchive(new BytesArchive(manifest, TestData.bytes(TestData.BAR))))
        .isInstanceOf(LifeboatException.class).hasMessageContaining("holds 1 documents of test.bar but its manifest says 2")
        .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
  }

  @Test
  void viewsAreCreatedFromTheirOptionsAfterTheData() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MongoArchiveWriter w = new MongoArchiveWriter(out);
    Namespace orders = new Namespace("lab", "orders");
    Namespace view = new Namespace("lab", "big_orders");
    w.writePrelude(new ArchiveHeader(1, "0.1", "7.0.0", "t"), List.of(
        CollectionMetadata.of("lab", "big_orders", "view", BsonDocument.parse(
            "{\"viewOn\": \"orders\", \"pipeline\": [{\"$match\": {\"total\": {\"$gt\": 1}}}]}"), List.of(), ""),
        CollectionMetadata.of("lab", "orders", "collection", null,
            List.of(BsonDocument.parse("{\"v\": 2, \"key\": {\"_id\": 1}, \"name\": \"_id_\"}")), "")));
    w.endNamespace(view);
    w.writeDocument(orders, RawBsonDocument.parse("{\"_id\": 1, \"total\": 5}"));
    w.endNamespace(orders);
    w.finish();
    Manifest manifest = manifestFor("lab", new Inventory(List.of(
        new InventoryItem("lab", "orders", "collection", 1, List.of(), List.of("_id_"), null),
        InventoryItem.of("lab", "big_orders", "view", -1))));
    RestoreResult r = new MongoRestorer(lifeboat.providerContext()).restore(new RestoreJob(new BytesArchive(manifest, out.toByteArray()),
        Location.parse(mongo.uri("withView")), RestoreOptions.defaults(), null));
    assertThat(r.restored()).containsExactlyInAnyOrder("orders", "big_orders");
    // mongo-java-server accepts the create command of a view (it stores it as a collection).
    assertThat(mongo.client.getDatabase("withView").listCollectionNames().into(new ArrayList<>())).contains("big_orders", "orders");
    Verification v = new MongoVerifier(lifeboat.providerContext()).verify(manifest, Location.parse(mongo.uri("withView")), List.of(), List.of());
    assertThat(v.passed()).as(v.toString()).isTrue();
    assertThat(v.checks()).extracting(c -> c.name()).contains("view big_orders", "count orders");
  }

  @Test
  void aDumpClosedEarlyStopsItsReadersAndAnUnfinishedDumpFails() throws Exception {
    var shop = mongo.client.getDatabase("abort");
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      docs.add(new Document("_id", i).append("pad", "x".repeat(100)));
    }
    shop.getCollection("a").insertMany(docs);
    shop.getCollection("b").insertMany(docs);
    MongoProvider provider = new MongoProvider();
    try (Lifeboat small = Lifeboat.builder().setting("mongo.chunkBytes", "1024").setting("mongo.batchSize", "50")
            .secrets(n -> Optional.empty()).build();
        BackupSource source = provider.source(Location.parse(mongo.uri("abort")), small.providerContext()).orElseThrow()) {
      Dump dump = source.dump(DumpOptions.builder().compression(Compression.NONE).build());
      InputStream in = dump.stream();
      assertThat(in.readNBytes(10_000)).hasSize(10_000);
      assertThatThrownBy(dump::finish).isInstanceOf(LifeboatException.class)
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.SOURCE_FAILED);
      dump.close();
      long deadline = System.currentTimeMillis() + 10_000;
      while (readers() > 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(readers()).as("dump reader threads still running").isZero();

      // The source stays usable, and a complete dump counts what it wrote.
      try (Dump full = source.dump(DumpOptions.builder().compression(Compression.NONE).build())) {
        ArchiveSummary summary = MongoArchiveReader.read(full.stream(), ArchiveVisitor.NONE);
        full.finish();
        assertThat(summary.totalDocuments()).isEqualTo(10_000);
        assertThat(full.inventory().items()).extracting(InventoryItem::count).containsExactly(5000L, 5000L);
      }
    }
  }

  private static long readers() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("lifeboat-mongo-dump-")).count();
  }
}
