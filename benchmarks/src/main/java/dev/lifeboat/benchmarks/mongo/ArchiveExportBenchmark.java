package dev.lifeboat.benchmarks.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCursor;
import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Location;
import dev.lifeboat.mongo.MongoProvider;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.Dump;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.RawBsonDocument;

/**
 * Archive export against a raw driver drain of the same collections, alternating, median of 3.
 *
 * <p>The server runs in a child JVM ({@link MongoBenchServer}); this JVM is the one to limit:
 * <pre>
 * java -Xmx128m -cp benchmarks/target/classes:$(cat /tmp/bench-cp.txt) dev.lifeboat.benchmarks.mongo.ArchiveExportBenchmark [collections] [docsPerCollection]
 * </pre>
 * The raw drain reads every collection with {@code RawBsonDocument} and the same batch size and
 * parallelism as the dump ({@code mongo.batchSize}, {@code mongo.parallelCollections}) and only
 * sums document sizes; the export reads Lifeboat's whole archive stream (framing, CRC-64, bounded
 * queue) and discards it.
 */
public final class ArchiveExportBenchmark {
  private static final int BATCH = 1000;
  private static final int PARALLEL = 4;

  private ArchiveExportBenchmark() {}

  public static void main(String[] args) throws Exception {
    int collections = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int perCollection = args.length > 1 ? Integer.parseInt(args[1]) : 250_000;
    long total = (long) collections * perCollection;
    Process server = startServer(collections, perCollection);
    try {
      int port = awaitReady(server);
      String uri = "mongodb://127.0.0.1:" + port + "/bench";
      System.out.printf("client max heap %d MB, %d collections x %d documents = %d documents, batch %d, parallel %d%n",
          Runtime.getRuntime().maxMemory() >> 20, collections, perCollection, total, BATCH, PARALLEL);
      // Warm-up of both paths (JIT, connections).
      rawDrain(uri, collections);
      export(uri);
      double[] raw = new double[3];
      double[] lifeboat = new double[3];
      for (int round = 0; round < 3; round++) {
        raw[round] = rawDrain(uri, collections);
        lifeboat[round] = export(uri);
        System.out.printf("round %d: raw drain %.2f s, archive export %.2f s%n", round + 1, raw[round], lifeboat[round]);
      }
      double rawMedian = median(raw);
      double exportMedian = median(lifeboat);
      System.out.printf("raw drain median      %.2f s  %,.0f docs/s%n", rawMedian, total / rawMedian);
      System.out.printf("archive export median %.2f s  %,.0f docs/s%n", exportMedian, total / exportMedian);
      System.out.printf("export throughput / raw drain throughput = %.2fx (target >= 0.90x)%n", rawMedian / exportMedian);
    } finally {
      server.getOutputStream().close();
      server.waitFor();
    }
  }

  /** Drains every collection with the driver, PARALLEL at a time; returns seconds. */
  static double rawDrain(String uri, int collections) throws InterruptedException {
    long start = System.nanoTime();
    AtomicLong bytes = new AtomicLong();
    AtomicLong docs = new AtomicLong();
    try (MongoClient client = MongoClients.create(uri)) {
      java.util.concurrent.ConcurrentLinkedQueue<Integer> pending = new java.util.concurrent.ConcurrentLinkedQueue<>();
      for (int c = 0; c < collections; c++) {
        pending.add(c);
      }
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < Math.min(PARALLEL, collections); t++) {
        Thread th = new Thread(() -> {
          Integer c;
          while ((c = pending.poll()) != null) {
            try (MongoCursor<RawBsonDocument> cur = client.getDatabase("bench").getCollection("c" + c, RawBsonDocument.class)
                .find().batchSize(BATCH).cursor()) {
              while (cur.hasNext()) {
                bytes.addAndGet(cur.next().getByteBuffer().remaining());
                docs.incrementAndGet();
              }
            }
          }
        });
        threads.add(th);
        th.start();
      }
      for (Thread th : threads) {
        th.join();
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Reads Lifeboat's archive stream of the database to its end; returns seconds. */
  static double export(String uri) throws Exception {
    long start = System.nanoTime();
    MongoProvider provider = new MongoProvider();
    long n = 0;
    try (Lifeboat lifeboat = Lifeboat.builder().setting("mongo.batchSize", Integer.toString(BATCH))
            .setting("mongo.parallelCollections", Integer.toString(PARALLEL)).build();
        BackupSource source = provider.source(Location.parse(uri), lifeboat.providerContext()).orElseThrow();
        Dump dump = source.dump(DumpOptions.builder().compression(Compression.NONE).build())) {
      byte[] buf = new byte[1 << 20];
      InputStream in = dump.stream();
      int r;
      while ((r = in.read(buf)) >= 0) {
        n += r;
      }
      dump.finish();
      if (dump.inventory().totalCount() <= 0) {
        throw new IllegalStateException("the dump wrote no documents");
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  static Process startServer(int collections, int perCollection) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx6g", "-cp", System.getProperty("java.class.path"),
        MongoBenchServer.class.getName(), "bench", Integer.toString(collections), Integer.toString(perCollection));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    return pb.start();
  }

  static int awaitReady(Process server) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("READY ")) {
        return Integer.parseInt(line.substring(6).trim());
      }
    }
    throw new IllegalStateException("the benchmark server exited before it was ready");
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
