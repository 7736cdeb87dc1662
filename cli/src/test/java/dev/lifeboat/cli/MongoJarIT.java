package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.lifeboat.Json;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MongoDB through the packaged jar, whose MongoDB driver must be inside it: a backup of a
 * wire-protocol server running in this JVM on its own port, restored into another MongoDB
 * database and into a PostgreSQL JSONB standby; and unreachable deployments failing fast in one
 * line.
 */
class MongoJarIT {
  static MongoServer server;
  static MongoClient client;
  static String base;
  static EmbeddedPostgres pg;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    server = new MongoServer(new MemoryBackend());
    InetSocketAddress address = server.bind();
    base = "mongodb://" + address.getHostString() + ":" + address.getPort();
    client = MongoClients.create(base);
    MongoDatabase shop = client.getDatabase("shop");
    MongoCollection<Document> orders = shop.getCollection("orders");
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      docs.add(new Document("_id", i).append("n", i).append("total", i * 1.5).append("tags", List.of("a", "b" + i % 3)));
    }
    orders.insertMany(docs);
    orders.createIndex(Indexes.ascending("n"));
    shop.getCollection("customers").insertMany(List.of(new Document("_id", 1).append("name", "Ada"),
        new Document("_id", 2).append("name", "Grace")));
    pg = SharedPostgres.get();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.shutdownNow();
  }

  @Test
  void backupThenRestoreIntoMongoAndIntoAJsonbStandby() throws Exception {
    String target = "file:" + work.resolve("store");
    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--source", base + "/shop", "--target", target);
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();

    PackagedJar.Run list = PackagedJar.run(work, "list", "--target", target, "--json");
    assertThat(list.exit()).as(list.toString()).isZero();
    JsonNode manifest = Json.mapper().readTree(list.out()).get(0).get("manifest");
    assertThat(manifest.get("format").asText()).isEqualTo("mongo-archive");
    List<String> counts = new ArrayList<>();
    manifest.get("inventory").get("items").forEach(i -> counts.add(i.get("name").asText() + "=" + i.get("count").asLong()));
    assertThat(counts).containsExactlyInAnyOrder("customers=2", "orders=250");

    PackagedJar.Run toMongo = PackagedJar.run(work, "restore", "--target", target, "--snapshot", id,
        "--destination", base + "/shop_copy", "--verify");
    assertThat(toMongo.exit()).as(toMongo.toString()).isZero();
    assertThat(toMongo.out()).contains("VERIFIED");
    assertThat(client.getDatabase("shop_copy").getCollection("orders").countDocuments()).isEqualTo(250);
    assertThat(client.getDatabase("shop_copy").getCollection("customers").find(new Document("_id", 2)).first())
        .containsEntry("name", "Grace");

    String standby = "postgresql://postgres@localhost:" + pg.getPort() + "/standby";
    PackagedJar.Run toJsonb = PackagedJar.run(work, "restore", "--target", target, "--snapshot", id,
        "--destination", standby, "--verify");
    assertThat(toJsonb.exit()).as(toJsonb.toString()).isZero();
    assertThat(toJsonb.out()).contains("VERIFIED");
    try (Connection c = pg.getDatabase("postgres", "standby").getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE (data->>'n')::int = 7) FROM orders")) {
      r.next();
      assertThat(r.getLong(1)).isEqualTo(250);
      assertThat(r.getLong(2)).isEqualTo(1);
    }
    for (PackagedJar.Run r : List.of(backup, list, toMongo, toJsonb)) {
      assertThat(r.err()).as("no driver log lines: " + r).doesNotContain("INFO").doesNotContain("WARN").doesNotContain("SLF4J");
    }
  }

  @Test
  void aFlippedByteEndsAReplacingRestoreWithExit3AndTheDestinationAsItWas() throws Exception {
    Path store = work.resolve("flipped-store");
    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--source", base + "/shop", "--target", "file:" + store);
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();
    String dest = base + "/shop_replaced";
    assertThat(PackagedJar.run(work, "restore", "--target", "file:" + store, "--snapshot", id, "--destination", dest).exit())
        .isZero();
    client.getDatabase("shop_replaced").getCollection("orders").insertOne(new Document("_id", "written after the snapshot"));

    Path archive;
    try (var files = java.nio.file.Files.walk(store)) {
      archive = files.filter(p -> p.getFileName().toString().startsWith("archive.")).findFirst().orElseThrow();
    }
    byte[] bytes = java.nio.file.Files.readAllBytes(archive);
    bytes[bytes.length - 12] ^= 0x40;
    java.nio.file.Files.write(archive, bytes);
    PackagedJar.Run replace = PackagedJar.run(work, "restore", "--target", "file:" + store, "--snapshot", id,
        "--destination", dest, "--replace");
    assertThat(replace.exit()).as(replace.toString()).isEqualTo(3);
    assertThat(client.getDatabase("shop_replaced").listCollectionNames().into(new ArrayList<>()))
        .containsExactlyInAnyOrder("orders", "customers");
    assertThat(client.getDatabase("shop_replaced").getCollection("orders").countDocuments()).isEqualTo(251);
  }

  /**
   * What the driver or a MongoDB source would ignore is refused before anything is stored: a
   * misspelt option (the driver would connect without TLS), a collection in the path (the whole
   * database would be dumped), an option that only pg_dump knows (a full dump for --schema-only).
   */
  @Test
  void optionsAMongoSourceWouldIgnoreAreUsageErrorsAndStoreNothing() throws Exception {
    Path store = work.resolve("ignored-options");
    String target = "file:" + store;
    List<PackagedJar.Run> runs = List.of(
        PackagedJar.run(work, "backup", "--source", base.replace("mongodb://", "mongodb://ops:n0t-shown-pw@")
            + "/shop?tsl=true", "--target", target),
        PackagedJar.run(work, "backup", "--source", base + "/shop.orders", "--target", target),
        PackagedJar.run(work, "backup", "--source", base + "/shop", "--target", target, "--schema-only"),
        PackagedJar.run(work, "restore", "--target", target, "--snapshot", "latest",
            "--destination", base + "/shop_copy?authSoruce=admin"));
    for (PackagedJar.Run r : runs) {
      assertThat(r.exit()).as(r.toString()).isEqualTo(2);
      assertThat(r.out() + r.err()).as(r.toString()).doesNotContain("n0t-shown-pw");
    }
    assertThat(runs.get(0).err()).contains("unknown option 'tsl'");
    assertThat(runs.get(1).err()).contains("--table orders");
    assertThat(runs.get(2).err()).contains("--schema-only");
    PackagedJar.Run list = PackagedJar.run(work, "list", "--target", target);
    assertThat(list.out()).as(list.toString()).doesNotContain("mongo-archive");

    assertThat(PackagedJar.run(work, "backup", "--source", base + "/shop", "--target", target).exit()).isZero();
    PackagedJar.Run restore = PackagedJar.run(work, "restore", "--target", target, "--snapshot", "latest",
        "--destination", base + "/shop_typo?authSoruce=admin");
    assertThat(restore.exit()).as(restore.toString()).isEqualTo(2);
    assertThat(restore.err()).contains("unknown option 'authSoruce'");
    assertThat(client.listDatabaseNames().into(new ArrayList<>())).doesNotContain("shop_typo");
  }

  /**
   * {@code backup --jobs N} is how many collections are read at once (the manifest records it);
   * without it, {@code mongo.parallelCollections} (default 4); both on one command line with
   * different numbers is a one-line error, exit 2, with nothing stored.
   */
  @Test
  void backupJobsIsHowManyCollectionsAreReadAtOnceAndMustAgreeWithTheSetting() throws Exception {
    String target = "file:" + work.resolve("backup-jobs");
    List<String> ids = new ArrayList<>();
    for (String[] extra : List.of(new String[0], new String[] {"--jobs", "1"}, new String[] {"--jobs", "2"},
        new String[] {"--setting", "mongo.parallelCollections=3"},
        new String[] {"--jobs", "3", "--setting", "mongo.parallelCollections=3"})) {
      List<String> args = new ArrayList<>(List.of("backup", "--source", base + "/shop", "--target", target));
      args.addAll(List.of(extra));
      PackagedJar.Run backup = PackagedJar.run(work, args.toArray(new String[0]));
      assertThat(backup.exit()).as(backup.toString()).isZero();
      ids.add(backup.lastOutLine());
    }
    Map<String, String> readersById = new HashMap<>();
    for (JsonNode snapshot : Json.mapper().readTree(PackagedJar.run(work, "list", "--target", target, "--json").out())) {
      readersById.put(snapshot.get("manifest").get("id").asText(),
          snapshot.get("manifest").get("properties").get("mongo.parallelCollections").asText());
    }
    assertThat(ids.stream().map(readersById::get)).containsExactly("4", "1", "2", "3", "3");

    PackagedJar.Run disagree = PackagedJar.run(work, "backup", "--source", base + "/shop", "--target", target,
        "--jobs", "2", "--setting", "mongo.parallelCollections=8");
    assertThat(disagree.exit()).as(disagree.toString()).isEqualTo(2);
    assertThat(disagree.errLines()).as(disagree.toString()).singleElement().satisfies(line -> assertThat(line)
        .contains("--jobs 2 and mongo.parallelCollections=8 both set how many collections a MongoDB backup reads at once"));
    assertThat(disagree.out()).isEmpty();
    assertThat(Json.mapper().readTree(PackagedJar.run(work, "list", "--target", target, "--json").out())).hasSize(5);
  }

  /**
   * {@code restore --jobs N} into MongoDB loads N collections at once (the verbose log says how
   * many loaders ran); a JSONB standby loads in one transaction on one connection, so there it is
   * a one-line error, exit 2, before the database is created.
   */
  @Test
  void restoreJobsLoadsCollectionsAtOnceIntoMongoAndIsRefusedForAJsonbStandby() throws Exception {
    String target = "file:" + work.resolve("restore-jobs");
    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--source", base + "/shop", "--target", target);
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();

    PackagedJar.Run toMongo = PackagedJar.run(work, "restore", "--target", target, "--snapshot", id,
        "--destination", base + "/shop_jobs", "--jobs", "2", "--verify", "--verbose");
    assertThat(toMongo.exit()).as(toMongo.toString()).isZero();
    assertThat(toMongo.out()).contains("VERIFIED");
    assertThat(toMongo.err()).as(toMongo.toString()).contains("Loading 2 collections into " + base + "/shop_jobs with 2 loaders");
    assertThat(client.getDatabase("shop_jobs").getCollection("orders").countDocuments()).isEqualTo(250);
    assertThat(client.getDatabase("shop_jobs").getCollection("customers").countDocuments()).isEqualTo(2);

    PackagedJar.Run toJsonb = PackagedJar.run(work, "restore", "--target", target, "--snapshot", id,
        "--destination", "postgresql://postgres@localhost:" + pg.getPort() + "/standby_jobs", "--jobs", "2");
    assertThat(toJsonb.exit()).as(toJsonb.toString()).isEqualTo(2);
    assertThat(toJsonb.errLines()).as(toJsonb.toString()).singleElement()
        .satisfies(line -> assertThat(line).contains("A JSONB standby loads in one transaction on one connection, so --jobs 2 cannot apply"));
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'standby_jobs'")) {
      r.next();
      assertThat(r.getLong(1)).as("no database created").isZero();
    }
  }

  /**
   * A misspelt destination names a database that does not exist (MongoDB has no empty ones): the
   * verification could not run, exit 1 in one line as for PostgreSQL, not a list of failed checks.
   */
  @Test
  void verifyingADatabaseThatDoesNotExistFailsInOneLineWithExit1() throws Exception {
    String target = "file:" + work.resolve("verify-missing");
    assertThat(PackagedJar.run(work, "backup", "--source", base + "/shop", "--target", target).exit()).isZero();
    PackagedJar.Run verify = PackagedJar.run(work, "verify", "--target", target, "--snapshot", "latest",
        "--destination", base + "/shop_cpoy");
    assertThat(verify.exit()).as(verify.toString()).isEqualTo(1);
    assertThat(verify.errLines()).as(verify.toString()).singleElement()
        .satisfies(line -> assertThat(line).contains("'shop_cpoy' does not exist"));
  }

  /**
   * A misspelt source names a database that does not exist: refused in one line (exit 2, as for
   * PostgreSQL) instead of an empty snapshot that every later check would pass.
   */
  @Test
  void aBackupOfADatabaseThatDoesNotExistStoresNothing() throws Exception {
    String target = "file:" + work.resolve("missing-source");
    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--source", base + "/shpo", "--target", target);
    assertThat(backup.exit()).as(backup.toString()).isEqualTo(2);
    assertThat(backup.errLines()).as(backup.toString()).singleElement()
        .satisfies(line -> assertThat(line).contains("'shpo' does not exist"));
    assertThat(backup.out()).isEmpty();
  }

  /**
   * A restore runs inside the JVM, so a signal must stop its load: SIGTERM mid-load ends it at
   * once with the staging collections dropped and the destination untouched; SIGKILL leaves them,
   * and the next restore drops them and succeeds. One document per insert keeps the load running
   * for seconds after its first document is seen, far longer than a shutdown hook takes to run.
   */
  @Test
  void aRestoreStoppedMidLoadLeavesTheDestinationUnchangedAndAKilledOneIsCleanedByTheNext() throws Exception {
    MongoCollection<Document> events = client.getDatabase("bulk").getCollection("events");
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      docs.add(new Document("_id", i).append("kind", "e" + i % 7));
    }
    events.insertMany(docs);
    String target = "file:" + work.resolve("bulk-store");
    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--source", base + "/bulk", "--target", target);
    assertThat(backup.exit()).as(backup.toString()).isZero();
    MongoDatabase dest = client.getDatabase("bulk_stopped");
    dest.getCollection("kept").insertOne(new Document("_id", "there before"));

    PackagedJar.Running restore = PackagedJar.spawn(work, "restore", "--target", target, "--snapshot", "latest",
        "--destination", base + "/bulk_stopped", "--setting", "mongo.insertBatch=1");
    awaitStagedDocuments(dest, restore);
    restore.process().destroy();
    PackagedJar.Run stopped = restore.await();
    assertThat(stopped.exit()).as(stopped.toString()).isEqualTo(143);
    assertThat(stopped.errLines()).as(stopped.toString()).singleElement()
        .satisfies(line -> assertThat(line).startsWith("lifeboat: restore interrupted by a signal").contains("unchanged"));
    assertThat(dest.listCollectionNames().into(new ArrayList<>())).containsExactly("kept");

    PackagedJar.Running killed = PackagedJar.spawn(work, "restore", "--target", target, "--snapshot", "latest",
        "--destination", base + "/bulk_stopped", "--setting", "mongo.insertBatch=1");
    awaitStagedDocuments(dest, killed);
    killed.process().destroyForcibly();
    assertThat(killed.await().exit()).isEqualTo(137);
    assertThat(dest.listCollectionNames().into(new ArrayList<>())).anyMatch(n -> n.startsWith("lifeboat.restoring."));

    PackagedJar.Run retry = PackagedJar.run(work, "restore", "--target", target, "--snapshot", "latest",
        "--destination", base + "/bulk_stopped");
    assertThat(retry.exit()).as(retry.toString()).isZero();
    assertThat(dest.listCollectionNames().into(new ArrayList<>())).containsExactlyInAnyOrder("kept", "events");
    assertThat(dest.getCollection("events").countDocuments()).isEqualTo(20_000);
  }

  /**
   * The JSONB standby load runs inside the JVM too: SIGTERM while COPY runs rolls it back and drops
   * the database the restore created. The signal is sent once COPY has stored rows; the rest of the
   * 80 MB load takes far longer than a shutdown hook needs to run.
   */
  @Test
  void aStandbyRestoreStoppedDuringCopyDropsTheDatabaseItCreated() throws Exception {
    MongoCollection<Document> wide = client.getDatabase("wide").getCollection("pages");
    String body = "p".repeat(4000);
    for (int start = 0; start < 20_000; start += 1000) {
      List<Document> docs = new ArrayList<>();
      for (int i = start; i < start + 1000; i++) {
        docs.add(new Document("_id", i).append("body", body));
      }
      wide.insertMany(docs);
    }
    String target = "file:" + work.resolve("wide-store");
    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--source", base + "/wide", "--target", target);
    assertThat(backup.exit()).as(backup.toString()).isZero();
    client.getDatabase("wide").drop();

    PackagedJar.Running restore = PackagedJar.spawn(work, "restore", "--target", target, "--snapshot", "latest",
        "--destination", "postgresql://postgres@localhost:" + pg.getPort() + "/standby_stopped");
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      boolean copying = false;
      while (!copying && System.nanoTime() < deadline) {
        assertThat(restore.process().isAlive()).as("the restore is still loading").isTrue();
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_progress_copy p JOIN pg_database d ON d.oid = p.datid"
            + " WHERE d.datname = 'standby_stopped' AND p.tuples_processed > 0")) {
          r.next();
          copying = r.getLong(1) > 0;
        }
        Thread.sleep(10);
      }
      assertThat(copying).as("COPY stored rows within 60 s").isTrue();
      restore.process().destroy();
      PackagedJar.Run stopped = restore.await();
      assertThat(stopped.exit()).as(stopped.toString()).isEqualTo(143);
      assertThat(stopped.errLines()).as(stopped.toString()).singleElement()
          .satisfies(line -> assertThat(line).startsWith("lifeboat: restore interrupted by a signal").contains("rolled back"));
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'standby_stopped'")) {
        r.next();
        assertThat(r.getLong(1)).as("the database the restore created").isZero();
      }
    }
  }

  /** Waits until a staging collection of {@code db} holds a document, i.e. the restore is loading. */
  private static void awaitStagedDocuments(MongoDatabase db, PackagedJar.Running restore) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(restore.process().isAlive()).as("the restore is still loading").isTrue();
      for (String name : db.listCollectionNames()) {
        if (name.startsWith("lifeboat.restoring.") && db.getCollection(name).estimatedDocumentCount() > 0) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no staged document within 60 s");
  }

  /**
   * A closed port and a host name that does not resolve: each fails within seconds (the driver's
   * server selection would wait 30 s by default), exit 1, one line naming the host. Both run at
   * once to keep the build short.
   */
  @Test
  void unreachableDeploymentsFailFastInOneLine() throws Exception {
    int port = PackagedJar.closedPort();
    String target = "file:" + work.resolve("unreachable");
    ExecutorService both = Executors.newFixedThreadPool(2);
    PackagedJar.Run closedRun;
    PackagedJar.Run unresolvableRun;
    try {
      Future<PackagedJar.Run> closed = both.submit(() -> PackagedJar.run(work,
          "backup", "--source", "mongodb://127.0.0.1:" + port + "/shop", "--target", target));
      Future<PackagedJar.Run> unresolvable = both.submit(() -> PackagedJar.run(work,
          "backup", "--source", "mongodb://no-such-host.invalid/shop", "--target", target));
      closedRun = closed.get();
      unresolvableRun = unresolvable.get();
    } finally {
      both.shutdownNow();
    }
    for (PackagedJar.Run r : List.of(closedRun, unresolvableRun)) {
      assertThat(r.elapsed()).as(r.toString()).isLessThan(Duration.ofSeconds(15));
      assertThat(r.exit()).as(r.toString()).isEqualTo(1);
      assertThat(r.errLines()).as(r.toString()).hasSize(1);
      assertThat(r.err()).startsWith("lifeboat: backup failed: ");
    }
    assertThat(closedRun.err()).contains("127.0.0.1:" + port);
    assertThat(unresolvableRun.err()).contains("no-such-host.invalid");
  }
}
