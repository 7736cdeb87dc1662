package dev.lifeboat.mongo.tck;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.lifeboat.Location;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;

/** A seeded in-process MongoDB server for the contract tests. */
final class MongoSeed implements AutoCloseable {
  static final Map<String, Long> COUNTS = Map.of("shop.orders", 3L, "shop.customers", 2L, "shop.empty", 0L);
  final MongoServer server;
  final String hostPort;
  final MongoClient client;
  private final AtomicInteger n = new AtomicInteger();

  MongoSeed() {
    server = new MongoServer(new MemoryBackend());
    InetSocketAddress a = server.bind();
    hostPort = a.getHostString() + ":" + a.getPort();
    client = MongoClients.create("mongodb://" + hostPort);
    MongoDatabase shop = client.getDatabase("shop");
    shop.getCollection("orders").insertMany(List.of(new Document("_id", 1).append("total", 10),
        new Document("_id", 2).append("total", 20), new Document("_id", 3).append("total", 30)));
    shop.getCollection("orders").createIndex(Indexes.ascending("total"), new IndexOptions().unique(true));
    shop.getCollection("customers").insertMany(List.of(new Document("_id", "ada"), new Document("_id", "bob")));
    shop.createCollection("empty");
  }

  Location source() {
    return Location.parse("mongodb://" + hostPort + "/shop");
  }

  Location fresh() {
    return Location.parse("mongodb://" + hostPort + "/restored_" + n.incrementAndGet());
  }

  /**
   * A database holding a collection named like one of the source's, with one document; the same
   * one however often it is asked for, since the contract classes share this server.
   */
  Location busy() {
    Document kept = new Document("_id", "already here");
    client.getDatabase("busy").getCollection("orders")
        .replaceOne(Filters.eq("_id", kept.get("_id")), kept, new ReplaceOptions().upsert(true));
    return Location.parse("mongodb://" + hostPort + "/busy");
  }

  /** Every collection's count, keyed as the source's {@code shop.collection}. */
  Map<String, Long> count(Location destination) {
    String db = databaseOf(destination);
    Map<String, Long> out = new LinkedHashMap<>();
    for (String name : client.getDatabase(db).listCollectionNames().into(new ArrayList<>())) {
      out.put("shop." + name, client.getDatabase(db).getCollection(name).countDocuments());
    }
    return out;
  }

  /** Deletes the first document of the destination's collection. */
  void removeOne(Location destination, String collection) {
    MongoCollection<Document> coll = client.getDatabase(databaseOf(destination)).getCollection(collection);
    Document first = coll.find().first();
    coll.deleteOne(Filters.eq("_id", first.get("_id")));
  }

  private static String databaseOf(Location destination) {
    return destination.raw().substring(destination.raw().lastIndexOf('/') + 1);
  }

  @Override
  public void close() {
    client.close();
    server.shutdownNow();
  }
}
