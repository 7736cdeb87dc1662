package dev.lifeboat.junit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.lifeboat.BackupRequest;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Snapshot;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * The MongoDB parts the tests share: an in-process MongoDB wire-protocol server (mongo-java-server,
 * memory backend) for the test JVM holding the source database {@code shop} ({@value #ORDERS}
 * orders), and a snapshot store with one backup of it made by {@link Lifeboat#backup}. The sample
 * classes find both through {@value #TARGET_PROPERTY} and {@value #SERVER_PROPERTY}.
 */
public final class MongoFixture {
  public static final int ORDERS = 30;
  public static final String SOURCE = "shop";
  public static final String TARGET_PROPERTY = "lifeboat.sample.mongoTarget";
  public static final String SERVER_PROPERTY = "lifeboat.sample.mongoServer";
  private static MongoServer server;
  private static String hostPort;
  private static MongoClient client;
  private static Snapshot snapshot;

  private MongoFixture() {}

  /** Starts the server, seeds {@code shop}, backs it up once, and sets the samples' properties. */
  public static synchronized Snapshot snapshot() {
    if (snapshot == null) {
      server = new MongoServer(new MemoryBackend());
      InetSocketAddress address = server.bind();
      hostPort = address.getHostString() + ":" + address.getPort();
      client = MongoClients.create("mongodb://" + hostPort);
      List<Document> orders = new ArrayList<>();
      for (int i = 1; i <= ORDERS; i++) {
        orders.add(new Document("_id", i).append("total", i * 1.5));
      }
      client.getDatabase(SOURCE).getCollection("orders").insertMany(orders);
      try (Lifeboat lifeboat = Lifeboat.builder().build()) {
        String target = "file:" + Files.createTempDirectory("lifeboat-junit-mongo-store");
        snapshot = lifeboat.backup(BackupRequest.builder("mongodb://" + hostPort + "/" + SOURCE, target).build());
        System.setProperty(TARGET_PROPERTY, target);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      System.setProperty(SERVER_PROPERTY, "mongodb://" + hostPort);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        client.close();
        server.shutdownNow();
      }, "fixture-mongo-stop"));
    }
    return snapshot;
  }

  /** A client of the fixture's server. */
  public static MongoClient client() {
    return client;
  }

  /** The databases on the fixture's server whose names start with {@code lifeboat_}. */
  public static List<String> lifeboatDatabases() {
    List<String> out = new ArrayList<>();
    client.listDatabaseNames().forEach(n -> {
      if (n.startsWith("lifeboat_")) {
        out.add(n);
      }
    });
    return out;
  }
}
