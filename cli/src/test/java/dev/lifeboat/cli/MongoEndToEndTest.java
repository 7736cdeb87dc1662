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

/**
 * The CLI end to end for MongoDB: backup of a real wire-protocol server (mongo-java-server, through
 * the real driver), restore into another database name, restore into a PostgreSQL JSONB standby,
 * and verification of both.
 */
class MongoEndToEndTest {
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
    for (int i = 0; i < 300; i++) {
      docs.add(new Document("_id", new ObjectId()).append("n", i).append("total", i * 1.5).append("tags", List.of("a", "b" + i % 3)));
    }
    orders.insertMany(docs);
    orders.createIndex(Indexes.ascending("n"));
    shop.getCollection("customers").insertMany(List.of(new Document("_id", 1).append("name", "Ada"), new Document("_id", 2).append("name", "Grace")));
    shop.createCollection("empty");
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.shutdownNow();
    pg.close();
  }

  @Test
  void backupRestoreIntoMongoAndIntoJsonbStandbyAndVerifyBoth() throws Exception {
    String target = "file:" + work.resolve("store");

    Cli.Result backup = Cli.run("backup", "--source", base + "/shop", "--target", target);
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();

    Cli.Result list = Cli.run("list", "--target", target, "--json");
    JsonNode manifest = Json.mapper().readTree(list.out()).get(0).get("manifest");
    assertThat(manifest.get("format").asText()).isEqualTo("mongo-archive");
    assertThat(manifest.get("compression").asText()).isEqualTo("GZIP");
    List<String> counts = new ArrayList<>();
    manifest.get("inventory").get("items").forEach(i -> counts.add(i.get("name").asText() + "=" + i.get("count").asLong()));
    assertThat(counts).containsExactlyInAnyOrder("customers=2", "empty=0", "orders=300");

    Cli.Result archive = Cli.run("verify", "--target", target, "--snapshot", id);
    assertThat(archive.exit()).as(archive.toString()).isZero();

    Cli.Result toMongo = Cli.run("restore", "--target", target, "--snapshot", id,
        "--destination", base + "/shop_copy", "--verify");
    assertThat(toMongo.exit()).as(toMongo.toString()).isZero();
    assertThat(client.getDatabase("shop_copy").getCollection("orders").countDocuments()).isEqualTo(300);
    assertThat(client.getDatabase("shop_copy").getCollection("customers").find(new Document("_id", 2)).first())
        .containsEntry("name", "Grace");

    Cli.Result again = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", base + "/shop_copy");
    assertThat(again.exit()).as("a destination holding the collections is refused").isEqualTo(2);

    Cli.Result ontoSource = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", base + "/shop", "--replace");
    assertThat(ontoSource.exit()).as("the source itself is refused without --confirm").isEqualTo(2);
    assertThat(ontoSource.err()).contains("confirm with its name (shop)");

    String standby = "postgresql://postgres@localhost:" + pg.getPort() + "/standby";
    Cli.Result toJsonb = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", standby, "--verify");
    assertThat(toJsonb.exit()).as(toJsonb.toString()).isZero();
    try (Connection c = pg.getDatabase("postgres", "standby").getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE (data->>'n')::int = 7) FROM orders")) {
      r.next();
      assertThat(r.getLong(1)).isEqualTo(300);
      assertThat(r.getLong(2)).isEqualTo(1);
    }

    try (Connection c = pg.getDatabase("postgres", "standby").getConnection(); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("DELETE FROM customers WHERE data->>'name' = 'Ada'")).isEqualTo(1);
    }
    Cli.Result drifted = Cli.run("verify", "--target", target, "--snapshot", id, "--destination", standby);
    assertThat(drifted.exit()).as(drifted.toString()).isEqualTo(3);
    assertThat(drifted.out()).contains("customers");
  }
}
