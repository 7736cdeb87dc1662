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
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Drills of MongoDB snapshots: into a scratch database on a MongoDB server (mongo-java-server,
 * through the real driver) and into a scratch JSONB standby database on PostgreSQL; both are
 * dropped afterwards.
 */
class MongoDrillTest {
  static MongoServer server;
  static MongoClient client;
  static String base;
  static EmbeddedPostgres pg;
  static String target;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    server = new MongoServer(new MemoryBackend());
    InetSocketAddress address = server.bind();
    base = "mongodb://" + address.getHostString() + ":" + address.getPort();
    client = MongoClients.create(base);
    MongoDatabase shop = client.getDatabase("shop");
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      docs.add(new Document("_id", new ObjectId()).append("n", i));
    }
    shop.getCollection("orders").insertMany(docs);
    shop.getCollection("customers").insertMany(List.of(new Document("_id", 1).append("name", "Ada")));
    pg = EmbeddedPostgres.builder().start();
    target = "file:" + work.resolve("store");
    Cli.Result backup = Cli.run("backup", "--source", base + "/shop", "--target", target);
    assertThat(backup.exit()).as(backup.toString()).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.shutdownNow();
    pg.close();
  }

  @Test
  void drillIntoAScratchMongoDatabase() throws Exception {
    Cli.Result r = Cli.run("drill", "--target", target, "--into", base + "/admin", "--report-dir", work.resolve("r1").toString(), "--json");
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode report = Json.mapper().readTree(r.out());
    assertThat(report.get("passed").asBoolean()).isTrue();
    assertThat(report.get("destination").asText()).startsWith(base + "/lifeboat_drill_");
    List<String> checks = new ArrayList<>();
    report.get("checks").forEach(c -> checks.add(c.get("name").asText() + "=" + c.get("expected").asText()));
    assertThat(checks).contains("count orders=150", "count customers=1");
    assertThat(report.get("cleanedUp").asBoolean()).isTrue();
    List<String> names = new ArrayList<>();
    client.listDatabaseNames().forEach(names::add);
    assertThat(names).noneMatch(n -> n.startsWith("lifeboat_drill_"));
  }

  @Test
  void drillIntoAJsonbStandbyScratchDatabase() throws Exception {
    String into = "postgresql://postgres@localhost:" + pg.getPort() + "/postgres";
    Cli.Result r = Cli.run("drill", "--target", target, "--into", into, "--report-dir", work.resolve("r2").toString(), "--json");
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode report = Json.mapper().readTree(r.out());
    assertThat(report.get("passed").asBoolean()).isTrue();
    List<String> checks = new ArrayList<>();
    report.get("checks").forEach(c -> checks.add(c.get("name").asText()));
    assertThat(checks).anyMatch(c -> c.startsWith("count ") && c.contains("orders"));
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE 'lifeboat\\_drill\\_%'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }
}
