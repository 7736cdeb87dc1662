package dev.lifeboat.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import dev.lifeboat.BackupRequest;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.mongo.archive.ArchiveVisitor;
import dev.lifeboat.mongo.archive.MongoArchiveReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many collections a backup reads at once: {@code jobs} when given, else
 * {@code mongo.parallelCollections}, else 4; the two given with different numbers are refused.
 * The number is what the manifest's {@code mongo.parallelCollections} property and the archive
 * header's {@code concurrent_collections} record. A restore into MongoDB loads {@code jobs}
 * collections at once (at most as many as it restores); a JSONB standby refuses more than one.
 */
class ParallelismTest {
  private static final int DOCUMENTS = 50;
  private static MongoFixture mongo;

  @BeforeAll
  static void start() {
    mongo = new MongoFixture();
    MongoDatabase shop = mongo.client.getDatabase("shop");
    for (String name : List.of("orders", "customers", "items", "payments", "returns")) {
      List<Document> docs = new ArrayList<>();
      for (int i = 0; i < DOCUMENTS; i++) {
        docs.add(new Document("_id", i).append("of", name).append("n", i % 7));
      }
      shop.getCollection(name).insertMany(docs);
    }
    shop.getCollection("orders").createIndex(Indexes.ascending("n"));
  }

  @AfterAll
  static void stop() {
    mongo.close();
  }

  private static Snapshot backup(Lifeboat lb, Path dir, DumpOptions options) {
    return lb.backup(BackupRequest.builder(mongo.uri("shop"), "file:" + dir).options(options).build());
  }

  /** The collections read at once, as the stored manifest and the stored archive's header say. */
  private static int readers(Snapshot s, Path dir) throws Exception {
    Path archive;
    try (Stream<Path> files = Files.walk(dir.resolve(s.id()))) {
      archive = files.filter(p -> p.getFileName().toString().startsWith("archive.mongo-archive")).findFirst().orElseThrow();
    }
    int header;
    try (InputStream in = Files.newInputStream(archive)) {
      header = MongoArchiveReader.read(in, ArchiveVisitor.NONE).prelude().header().concurrentCollections();
    }
    assertThat(s.manifest().properties().get("mongo.parallelCollections")).as("manifest").isEqualTo(Integer.toString(header));
    return header;
  }

  @Test
  void jobsIsHowManyCollectionsABackupReadsAtOnce(@TempDir Path dir) throws Exception {
    try (Lifeboat lb = Lifeboat.builder().build()) {
      assertThat(readers(backup(lb, dir, DumpOptions.defaults()), dir)).as("default").isEqualTo(4);
      assertThat(readers(backup(lb, dir, DumpOptions.builder().jobs(1).build()), dir)).as("--jobs 1").isEqualTo(1);
      assertThat(readers(backup(lb, dir, DumpOptions.builder().jobs(3).build()), dir)).as("--jobs 3").isEqualTo(3);
      Snapshot many = backup(lb, dir, DumpOptions.builder().jobs(16).build());
      assertThat(readers(many, dir)).as("--jobs 16").isEqualTo(16);
      assertThat(many.manifest().inventory().items()).hasSize(5).allSatisfy(i -> assertThat(i.count()).isEqualTo(DOCUMENTS));
    }
  }

  @Test
  void theSettingAppliesWithoutJobsAndAJobsThatAgreesWithItIsAccepted(@TempDir Path dir) throws Exception {
    try (Lifeboat lb = Lifeboat.builder().setting("mongo.parallelCollections", "2").build()) {
      assertThat(readers(backup(lb, dir, DumpOptions.defaults()), dir)).isEqualTo(2);
      assertThat(readers(backup(lb, dir, DumpOptions.builder().jobs(2).build()), dir)).isEqualTo(2);
    }
  }

  @Test
  void jobsAndASettingThatDisagreeAreRefusedBeforeAnythingIsStored(@TempDir Path dir) {
    try (Lifeboat lb = Lifeboat.builder().setting("mongo.parallelCollections", "2").build()) {
      assertThatThrownBy(() -> backup(lb, dir, DumpOptions.builder().jobs(3).build()))
          .isInstanceOf(LifeboatException.class)
          .hasMessage("--jobs 3 and mongo.parallelCollections=2 both set how many collections a MongoDB backup reads at once,"
              + " and they disagree. Give one of them.")
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION);
      assertThat(lb.list("file:" + dir)).isEmpty();
    }
    try (Lifeboat lb = Lifeboat.builder().build()) {
      assertThatThrownBy(() -> backup(lb, dir, DumpOptions.builder().jobs(3).extra("mongo.parallelCollections", "5").build()))
          .isInstanceOf(LifeboatException.class).hasMessageStartingWith("--jobs 3 and mongo.parallelCollections=5 ")
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION);
      assertThat(lb.list("file:" + dir)).isEmpty();
    }
  }

  /** Small insert batches, so that every collection's documents reach the loaders in several batches. */
  private static Lifeboat recording(List<String> restoreThreads) {
    return Lifeboat.builder().setting("mongo.insertBatch", "7").progress(p -> {
      if (p.phase().equals("restore")) {
        synchronized (restoreThreads) {
          restoreThreads.add(Thread.currentThread().getName());
        }
      }
    }).build();
  }

  private static RestoreResult restore(Lifeboat lb, Path dir, Snapshot s, String db, RestoreOptions options) {
    return lb.restore(RestoreRequest.builder("file:" + dir, s.id(), mongo.uri(db)).options(options).verify().build());
  }

  @Test
  void restoreJobsIsHowManyCollectionsLoadAtOnce(@TempDir Path dir) {
    List<String> threads = new ArrayList<>();
    try (Lifeboat lb = recording(threads)) {
      Snapshot s = backup(lb, dir, DumpOptions.defaults());

      RestoreResult one = restore(lb, dir, s, "shop_one", RestoreOptions.defaults());
      assertThat(one.details()).containsEntry("jobs", "1");
      assertThat(threads).as("one job loads on the thread that reads the archive").isNotEmpty()
          .noneMatch(t -> t.startsWith("lifeboat-mongo-load-"));

      threads.clear();
      RestoreResult three = restore(lb, dir, s, "shop_three", RestoreOptions.builder().jobs(3).build());
      assertThat(three.details()).containsEntry("jobs", "3").containsEntry("documents", Integer.toString(5 * DOCUMENTS));
      assertThat(three.verification().passed()).as(three.verification().toString()).isTrue();
      assertThat(threads).as("every batch loaded by one of three loader threads").hasSize(5 * 8)
          .allMatch(t -> t.startsWith("lifeboat-mongo-load-"));
      assertThat(new HashSet<>(threads)).hasSizeBetween(1, 3);
      for (String c : List.of("orders", "customers", "items", "payments", "returns")) {
        assertThat(mongo.rawById("shop_three", c)).as(c).hasSize(DOCUMENTS)
            .zipSatisfy(mongo.rawById("shop", c), (after, before) -> assertThat(after).isEqualTo(before));
      }
      assertThat(mongo.client.getDatabase("shop_three").listCollectionNames().into(new ArrayList<>()))
          .containsExactlyInAnyOrder("orders", "customers", "items", "payments", "returns");
      List<String> indexes = new ArrayList<>();
      mongo.client.getDatabase("shop_three").getCollection("orders").listIndexes().forEach(d -> indexes.add(d.getString("name")));
      assertThat(indexes).containsExactlyInAnyOrder("_id_", "n_1");

      RestoreResult capped = restore(lb, dir, s, "shop_capped", RestoreOptions.builder().jobs(16).table("orders").table("items").build());
      assertThat(capped.details()).as("no more loaders than collections").containsEntry("jobs", "2");
      assertThat(capped.verification().passed()).as(capped.verification().toString()).isTrue();
    }
  }

  @Test
  void aDamagedArchiveLoadedWithJobsLeavesNothingStagedAndTheReplacedDataAsItWas(@TempDir Path dir) throws Exception {
    try (Lifeboat lb = recording(new ArrayList<>())) {
      Snapshot s = backup(lb, dir, DumpOptions.defaults());
      restore(lb, dir, s, "shop_damaged", RestoreOptions.defaults());
      MongoDatabase db = mongo.client.getDatabase("shop_damaged");
      db.getCollection("orders").insertOne(new Document("_id", "written after the snapshot"));
      Path archive;
      try (Stream<Path> files = Files.walk(dir.resolve(s.id()))) {
        archive = files.filter(p -> p.getFileName().toString().startsWith("archive.mongo-archive")).findFirst().orElseThrow();
      }
      byte[] bytes = Files.readAllBytes(archive);
      bytes[bytes.length - 20] ^= 0x01;
      Files.write(archive, bytes);
      assertThatThrownBy(() -> restore(lb, dir, s, "shop_damaged", RestoreOptions.builder().jobs(4).replace(true).build()))
          .isInstanceOf(LifeboatException.class)
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
      assertThat(db.listCollectionNames().into(new ArrayList<>())).as("no staging collection left, none replaced")
          .containsExactlyInAnyOrder("orders", "customers", "items", "payments", "returns");
      assertThat(db.getCollection("orders").countDocuments()).isEqualTo(DOCUMENTS + 1);
    }
  }

  @Test
  void aJsonbStandbyRefusesMoreThanOneJobBeforeTouchingTheDestination(@TempDir Path dir) {
    try (Lifeboat lb = Lifeboat.builder().build()) {
      Snapshot s = backup(lb, dir, DumpOptions.defaults());
      // Nothing listens on port 1: the refusal comes before any connection.
      assertThatThrownBy(() -> lb.restore(RestoreRequest.builder("file:" + dir, s.id(), "postgresql://app:pw@127.0.0.1:1/standby")
          .options(RestoreOptions.builder().jobs(2).build()).build()))
          .isInstanceOf(LifeboatException.class)
          .hasMessage("A JSONB standby loads in one transaction on one connection, so --jobs 2 cannot apply to "
              + "postgresql://app@127.0.0.1:1/standby. Leave --jobs out; nothing was changed.")
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED);
    }
  }
}
