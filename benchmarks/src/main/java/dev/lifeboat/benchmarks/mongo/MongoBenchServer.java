package dev.lifeboat.benchmarks.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;

/**
 * A mongo-java-server (memory backend) in its own JVM, seeded with benchmark documents, so that
 * only the client JVM under test is limited to 128 MB. Prints {@code READY <port>} once seeded and
 * stops when its standard input closes.
 *
 * <p>Arguments: database, number of collections, documents per collection.
 */
public final class MongoBenchServer {
  private MongoBenchServer() {}

  public static void main(String[] args) throws Exception {
    String db = args[0];
    int collections = Integer.parseInt(args[1]);
    int perCollection = Integer.parseInt(args[2]);
    MongoServer server = new MongoServer(new MemoryBackend());
    InetSocketAddress address = server.bind();
    try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
      for (int c = 0; c < collections; c++) {
        MongoCollection<BsonDocument> coll = client.getDatabase(db).getCollection("c" + c, BsonDocument.class);
        List<BsonDocument> batch = new ArrayList<>();
        for (int i = 0; i < perCollection; i++) {
          batch.add(BenchDocuments.document(c, i));
          if (batch.size() == 10_000) {
            coll.insertMany(batch);
            batch.clear();
          }
        }
        if (!batch.isEmpty()) {
          coll.insertMany(batch);
        }
      }
    }
    System.out.println("READY " + address.getPort());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    while (in.readLine() != null) {
      // Runs until the parent closes our standard input.
    }
    server.shutdownNow();
  }
}
