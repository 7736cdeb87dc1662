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
import dev.lifeboat.Snapshot;
import dev.lifeboat.mongo.archive.ArchiveVisitor;
import dev.lifeboat.mongo.archive.MongoArchiveReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * header's {@code concurrent_collections} record.
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
}
