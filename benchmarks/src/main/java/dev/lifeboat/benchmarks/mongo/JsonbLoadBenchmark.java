package dev.lifeboat.benchmarks.mongo;

import dev.lifeboat.Compression;
import dev.lifeboat.Inventory;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.SnapshotKind;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.file.FileBlobStore;
import dev.lifeboat.io.DigestingOutputStream;
import dev.lifeboat.mongo.archive.ArchiveHeader;
import dev.lifeboat.mongo.archive.ArchiveVisitor;
import dev.lifeboat.mongo.archive.CollectionMetadata;
import dev.lifeboat.mongo.archive.MongoArchiveReader;
import dev.lifeboat.mongo.archive.MongoArchiveWriter;
import dev.lifeboat.mongo.archive.Namespace;
import dev.lifeboat.mongo.jsonb.StandbyJson;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.SnapshotTarget;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * JSONB standby load: Lifeboat's restore into PostgreSQL (COPY) against a batched INSERT loader
 * (100 rows per statement, the usual script) of the same archive, alternating, median of 3. Both
 * read the same stored archive and produce the same {@code _id}/{@code data} values with
 * {@link StandbyJson}; Lifeboat's figure also includes its SHA-256 and CRC checks of the archive
 * before loading. PostgreSQL 15 runs embedded (zonky).
 *
 * <pre>
 * java -Xmx128m -cp benchmarks/target/classes:$(cat /tmp/bench-cp.txt) dev.lifeboat.benchmarks.mongo.JsonbLoadBenchmark [documents]
 * </pre>
 */
public final class JsonbLoadBenchmark {
  private static final int ROWS_PER_INSERT = 100;

  private JsonbLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int documents = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    Path work = Files.createTempDirectory("lifeboat-jsonb-bench");
    Location target = Location.of(work.resolve("snapshots"));
    String id = writeSnapshot(target, documents);
    Path archive = SnapshotTarget.over(FileBlobStore.open(target)).localFile(id).orElseThrow();
    System.out.printf("client max heap %d MB, %d documents, archive %d bytes%n",
        Runtime.getRuntime().maxMemory() >> 20, documents, Files.size(archive));
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start(); Lifeboat lifeboat = Lifeboat.builder().build()) {
      String base = "postgresql://postgres@localhost:" + pg.getPort() + "/postgres";
      copyLoad(lifeboat, target, id, base, "warm_copy");
      insertLoad(pg, archive, "warm_insert", true);
      double[] copy = new double[3];
      double[] insert = new double[3];
      double[] script = new double[3];
      for (int round = 0; round < 3; round++) {
        insert[round] = insertLoad(pg, archive, "insert_" + round, true);
        copy[round] = copyLoad(lifeboat, target, id, base, "copy_" + round);
        script[round] = insertLoad(pg, archive, "script_" + round, false);
        System.out.printf("round %d: batched INSERT (Lifeboat's JSON encoder) %.2f s, Lifeboat COPY %.2f s, "
            + "batched INSERT (driver toJson) %.2f s%n", round + 1, insert[round], copy[round], script[round]);
      }
      double insertMedian = ArchiveExportBenchmark.median(insert);
      double scriptMedian = ArchiveExportBenchmark.median(script);
      double copyMedian = ArchiveExportBenchmark.median(copy);
      System.out.printf("batched INSERT, 100 rows/statement, Lifeboat's JSON encoder: median %.2f s  %,.0f docs/s%n", insertMedian, documents / insertMedian);
      System.out.printf("batched INSERT, 100 rows/statement, driver relaxed toJson:   median %.2f s  %,.0f docs/s%n", scriptMedian, documents / scriptMedian);
      System.out.printf("Lifeboat JSONB restore (COPY, checks included):             median %.2f s  %,.0f docs/s%n", copyMedian, documents / copyMedian);
      System.out.printf("COPY speed-up over batched INSERT with the same encoder = %.2fx; over the driver-toJson script = %.2fx (target >= 5x)%n",
          insertMedian / copyMedian, scriptMedian / copyMedian);
    }
  }

  /** Stores an archive of {@code documents} benchmark documents as a snapshot; returns its id. */
  static String writeSnapshot(Location target, int documents) throws Exception {
    SnapshotTarget files = SnapshotTarget.over(FileBlobStore.open(target));
    String id = SnapshotIds.next(Instant.now());
    Namespace ns = new Namespace("bench", "orders");
    try (PendingSnapshot pending = files.create(id, "archive.mongo-archive")) {
      DigestingOutputStream out = new DigestingOutputStream(pending.output());
      BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
      MongoArchiveWriter writer = new MongoArchiveWriter(buffered);
      writer.writePrelude(new ArchiveHeader(1, ArchiveHeader.FORMAT_VERSION, "7.0.0", "benchmark"),
          List.of(CollectionMetadata.of("bench", "orders", "collection", null, List.of(), "")));
      BsonDocumentCodec codec = new BsonDocumentCodec();
      for (int i = 0; i < documents; i++) {
        writer.writeDocument(ns, new RawBsonDocument(BenchDocuments.document(0, i), codec));
      }
      writer.endNamespace(ns);
      writer.finish();
      buffered.flush();
      pending.commit(Manifest.builder().id(id).kind(SnapshotKind.ARCHIVE).format("mongo-archive")
          .compression(Compression.NONE).size(out.count()).sha256(out.sha256Hex()).createdAt(Instant.now())
          .consistentAt(Instant.now()).source(new SourceFingerprint("mongodb", "7.0.0", "bench", "mongodb://bench/bench"))
          .inventory(new Inventory(List.of(InventoryItem.of("bench", "orders", "collection", documents)))).build());
    }
    return id;
  }

  static double copyLoad(Lifeboat lifeboat, Location target, String id, String base, String schema) {
    long start = System.nanoTime();
    RestoreResult r = lifeboat.restore(RestoreRequest.builder(target, id, Location.parse(base + "?currentSchema=" + schema)).build());
    if (!"COPY FROM STDIN".equals(r.details().get("loader"))) {
      throw new IllegalStateException("the restore did not use COPY");
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * The usual standby script: one multi-row INSERT per 100 documents, primary key declared up front,
   * JSON from Lifeboat's encoder ({@code sameEncoder}) or from the driver's relaxed {@code toJson()}.
   */
  static double insertLoad(EmbeddedPostgres pg, Path archive, String schema, boolean sameEncoder) throws Exception {
    long start = System.nanoTime();
    try (Connection c = pg.getPostgresDatabase().getConnection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("CREATE SCHEMA " + schema);
        st.execute("CREATE TABLE " + schema + ".orders (_id text PRIMARY KEY, data jsonb NOT NULL)");
      }
      StringBuilder sql = new StringBuilder("INSERT INTO " + schema + ".orders (_id, data) VALUES ");
      for (int i = 0; i < ROWS_PER_INSERT; i++) {
        sql.append(i == 0 ? "" : ", ").append("(?, ?::jsonb)");
      }
      try (PreparedStatement full = c.prepareStatement(sql.toString()); InputStream in = Files.newInputStream(archive)) {
        List<String[]> rows = new ArrayList<>(ROWS_PER_INSERT);
        MongoArchiveReader.read(in, new ArchiveVisitor() {
          @Override
          public void document(Namespace ns, byte[] bson) {
            RawBsonDocument doc = new RawBsonDocument(bson);
            rows.add(new String[] {StandbyJson.id(doc.get("_id")), sameEncoder ? StandbyJson.data(bson) : doc.toJson()});
            if (rows.size() == ROWS_PER_INSERT) {
              execute(full, rows);
            }
          }
        });
        if (!rows.isEmpty()) {
          StringBuilder rest = new StringBuilder("INSERT INTO " + schema + ".orders (_id, data) VALUES ");
          for (int i = 0; i < rows.size(); i++) {
            rest.append(i == 0 ? "" : ", ").append("(?, ?::jsonb)");
          }
          try (PreparedStatement last = c.prepareStatement(rest.toString())) {
            execute(last, rows);
          }
        }
      }
      c.commit();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static void execute(PreparedStatement ps, List<String[]> rows) {
    try {
      int p = 1;
      for (String[] row : rows) {
        ps.setString(p++, row[0]);
        ps.setString(p++, row[1]);
      }
      ps.executeUpdate();
      rows.clear();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
