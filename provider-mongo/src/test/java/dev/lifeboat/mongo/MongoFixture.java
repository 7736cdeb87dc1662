package dev.lifeboat.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bson.RawBsonDocument;

/** An in-process MongoDB wire-protocol server (mongo-java-server, memory backend) and a driver client. */
public final class MongoFixture implements AutoCloseable {
  public final MongoServer server;
  public final String hostPort;
  public final MongoClient client;

  public MongoFixture() {
    server = new MongoServer(new MemoryBackend());
    InetSocketAddress address = server.bind();
    hostPort = address.getHostString() + ":" + address.getPort();
    client = MongoClients.create("mongodb://" + hostPort);
  }

  public String uri(String db) {
    return "mongodb://" + hostPort + "/" + db;
  }

  /** Every document's exact bytes, ordered by _id. */
  public List<byte[]> rawById(String db, String collection) {
    MongoCollection<RawBsonDocument> c = client.getDatabase(db).getCollection(collection, RawBsonDocument.class);
    List<byte[]> out = new ArrayList<>();
    for (RawBsonDocument d : c.find().sort(Sorts.ascending("_id"))) {
      out.add(bytes(d));
    }
    return out;
  }

  public static byte[] bytes(RawBsonDocument d) {
    ByteBuffer b = d.getByteBuffer().asNIO();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Override
  public void close() {
    client.close();
    server.shutdownNow();
  }
}
