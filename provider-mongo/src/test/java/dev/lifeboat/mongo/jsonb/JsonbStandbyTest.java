package dev.lifeboat.mongo.jsonb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoDatabase;
import dev.lifeboat.BackupRequest;
import dev.lifeboat.Check;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.Inventory;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.Verification;
import dev.lifeboat.VerifyRequest;
import dev.lifeboat.mongo.BsonSamples;
import dev.lifeboat.mongo.BytesArchive;
import dev.lifeboat.mongo.MongoFixture;
import dev.lifeboat.mongo.archive.ArchiveHeader;
import dev.lifeboat.mongo.archive.CollectionMetadata;
import dev.lifeboat.mongo.archive.MongoArchiveWriter;
import dev.lifeboat.mongo.archive.Namespace;
import dev.lifeboat.postgres.Sql;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreJob;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MongoDB → archive → PostgreSQL JSONB standby, against mongo-java-server and an embedded PostgreSQL 15. */
class JsonbStandbyTest {
  static final String LONG_NAME = "events_" + "x".repeat(80) + "_é";
  private static MongoFixture mongo;
  private static EmbeddedPostgres pg;
  private static List<BsonDocument> samples;
  @TempDir
  static Path backups;
  private static Snapshot snapshot;

  @BeforeAll
  static void start() throws Exception {
    mongo = new MongoFixture();
    pg = EmbeddedPostgres.builder().setServerConfig("shared_preload_libraries", "pg_stat_statements").start();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE standby");
    }
    try (Connection c = standby(); Statement st = c.createStatement()) {
      st.execute("CREATE EXTENSION pg_stat_statements");
    }
    MongoDatabase shop = mongo.client.getDatabase("shop");
    samples = BsonSamples.everyType();
    shop.getCollection("everything", BsonDocument.class).insertMany(samples);
    shop.createCollection("empty");
    List<Document> orders = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      orders.add(new Document("_id", i).append("total", i * 1.5).append("at", new java.util.Date(1_700_000_000_000L + i * 1000L)));
    }
    shop.getCollection("orders").insertMany(orders);
    shop.getCollection(LONG_NAME).insertOne(new Document("_id", 1));
    shop.getCollection("Mixed Case.name\"quoted").insertOne(new Document("_id", 1));
    try (Lifeboat lb = Lifeboat.builder().build()) {
      snapshot = lb.backup(BackupRequest.builder(mongo.uri("shop"), "file:" + backups).build());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    mongo.close();
    pg.close();
  }

  static Connection standby() throws SQLException {
    return pg.getDatabase("postgres", "standby").getConnection();
  }

  static String standbyUri(String params) {
    return "postgresql://postgres@localhost:" + pg.getPort() + "/standby" + params;
  }

  private static String dataOf(Connection c, String table, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT data::text FROM " + table + " WHERE _id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("row %s in %s", id, table).isTrue();
        return rs.getString(1);
      }
    }
  }

  @Test
  void loadsEveryCollectionWithCopyAndTheDataRoundTripsExactly() throws Exception {
    try (Lifeboat lb = Lifeboat.builder().build()) {
      RestoreResult r = lb.restore(RestoreRequest.builder("file:" + backups, snapshot.id(), standbyUri("")).verify().build());
      assertThat(r.verification().passed()).as(r.verification().toString()).isTrue();
      assertThat(r.details()).containsEntry("loader", "COPY FROM STDIN");
      assertThat(r.restored()).containsExactlyInAnyOrder("everything", "empty", "orders", LONG_NAME, "Mixed Case.name\"quoted");
    }
    try (Connection c = standby(); Statement st = c.createStatement()) {
      for (BsonDocument expected : samples) {
        String id = StandbyJson.id(expected.get("_id"));
        BsonDocument actual = BsonDocument.parse(dataOf(c, "everything", id));
        assertThat(actual).as("document %s", id).isEqualTo(expected);
      }
      try (ResultSet rs = st.executeQuery("SELECT _id FROM everything ORDER BY _id")) {
        List<String> ids = new ArrayList<>();
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
        assertThat(ids).contains("\"string id\"", "{\"$oid\": \"65a000000000000000000001\"}", "{\"$numberLong\": \"70\"}",
            "{\"$numberInt\": \"1\"}", "{\"compound\": {\"$numberInt\": \"1\"}, \"k\": \"x\"}");
      }
      // _id is the primary key and data is jsonb.
      try (ResultSet rs = st.executeQuery("SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_index i "
          + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
          + "WHERE i.indrelid = 'public.orders'::regclass AND i.indisprimary")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("_id");
        assertThat(rs.getString(2)).isEqualTo("text");
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*), sum((data->>'total')::numeric) FROM orders")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(500);
        assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("187125.0");
      }
      // Values relaxed JSON would lose keep their Extended JSON form.
      assertThat(dataOf(c, "everything", "{\"$numberInt\": \"6\"}")).contains("{\"$numberLong\": \"9007199254740993\"}");
      assertThat(dataOf(c, "everything", "{\"$numberInt\": \"7\"}")).contains("{\"$numberDouble\": \"-0.0\"}")
          .contains("{\"$numberDouble\": \"NaN\"}").contains("1000000000000000000000.0");
      assertThat(dataOf(c, "everything", "{\"$numberInt\": \"4\"}")).contains("{\"$date\": {\"$numberLong\": \"-14182940000\"}}")
          .contains("{\"$date\": \"2023-11-14T22:13:20.123Z\"}");
      // Long and awkward collection names get safe table names.
      String longTable = TableNames.derive(List.of(LONG_NAME)).get(LONG_NAME);
      assertThat(longTable.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(63);
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + Sql.ident(longTable))) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM \"Mixed Case.name\"\"quoted\"")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
      // The load went through COPY, never INSERT.
      List<String> statements = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT query FROM pg_stat_statements")) {
        while (rs.next()) {
          statements.add(rs.getString(1));
        }
      }
      assertThat(statements).anyMatch(q -> q.startsWith("COPY \"public\".\"orders\" (_id, data) FROM STDIN"));
      assertThat(statements).noneMatch(q -> q.toUpperCase().startsWith("INSERT"));
    }
  }

  @Test
  void typesTheTestServerCannotHoldRoundTripThroughAnArchive() throws Exception {
    List<BsonDocument> extras = BsonSamples.beyondTestServer();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MongoArchiveWriter w = new MongoArchiveWriter(out);
    Namespace ns = new Namespace("lab", "extras");
    w.writePrelude(new ArchiveHeader(1, "0.1", "7.0.0", "test"), List.of(
        CollectionMetadata.of("lab", "extras", "collection", null, List.of(), ""),
        CollectionMetadata.of("lab", "extras_view", "view", BsonDocument.parse("{\"viewOn\": \"extras\", \"pipeline\": []}"), List.of(), "")));
    for (BsonDocument d : extras) {
      w.writeDocument(ns, new RawBsonDocument(d, new BsonDocumentCodec()));
    }
    w.endNamespace(ns);
    w.endNamespace(new Namespace("lab", "extras_view"));
    w.finish();
    Manifest manifest = Manifest.builder().id("20240101T000000Z-extras").format("mongo-archive")
        .source(new SourceFingerprint("mongodb", "7.0.0", "lab", "mongodb://elsewhere/lab"))
        .inventory(new Inventory(List.of(InventoryItem.of("lab", "extras", "collection", extras.size()),
            InventoryItem.of("lab", "extras_view", "view", -1))))
        .build();
    try (Lifeboat lb = Lifeboat.builder().build()) {
      ProviderContext ctx = context(lb);
      JsonbStandbyRestorer restorer = new JsonbStandbyRestorer(ctx);
      BytesArchive archive = new BytesArchive(manifest, out.toByteArray());
      assertThat(restorer.checkArchive(archive)).isEqualTo("2 namespaces, 5 documents, CRC-64 checked");
      RestoreResult r = restorer.restore(new RestoreJob(archive, dev.lifeboat.Location.parse(standbyUri("?currentSchema=lab")),
          RestoreOptions.defaults(), null));
      assertThat(r.details()).containsEntry("skippedViews", "extras_view").containsEntry("schema", "lab");
      Verification v = new JsonbStandbyVerifier(ctx).verify(manifest, dev.lifeboat.Location.parse(standbyUri("?currentSchema=lab")),
          List.of(), List.of());
      assertThat(v.passed()).as(v.toString()).isTrue();
      assertThat(v.checks()).extracting(Check::status).contains(Check.Status.SKIPPED);
    }
    try (Connection c = standby()) {
      for (BsonDocument expected : extras) {
        BsonDocument actual = BsonDocument.parse(dataOf(c, "lab.extras", StandbyJson.id(expected.get("_id"))));
        assertThat(actual).isEqualTo(expected);
      }
    }
  }

  /**
   * BSON strings may hold U+0000, which jsonb refuses: one such value used to fail the whole load.
   * It is stored as its parts between the NULs; the text _id column keeps the escape.
   */
  @Test
  void stringsHoldingNulLoadAsTheirPartsAndTheIdKeepsTheEscape() throws Exception {
    BsonDocument doc = new BsonDocument("_id", new BsonString("id\u0000x"))
        .append("s", new BsonString("a\u0000b\\\u0000"))
        .append("nested", new BsonArray(List.of(new BsonString("\u0000"), new BsonString("plain \"q\""))));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MongoArchiveWriter w = new MongoArchiveWriter(out);
    Namespace ns = new Namespace("lab", "nuls");
    w.writePrelude(new ArchiveHeader(1, "0.1", "7.0.0", "test"), List.of(CollectionMetadata.of("lab", "nuls", "collection", null, List.of(), "")));
    w.writeDocument(ns, new RawBsonDocument(doc, new BsonDocumentCodec()));
    w.endNamespace(ns);
    w.finish();
    Manifest manifest = Manifest.builder().id("20240101T000000Z-nuls").format("mongo-archive")
        .source(new SourceFingerprint("mongodb", "7.0.0", "lab", "mongodb://elsewhere/lab"))
        .inventory(new Inventory(List.of(InventoryItem.of("lab", "nuls", "collection", 1)))).build();
    try (Lifeboat lb = Lifeboat.builder().build()) {
      new JsonbStandbyRestorer(context(lb)).restore(new RestoreJob(new BytesArchive(manifest, out.toByteArray()),
          dev.lifeboat.Location.parse(standbyUri("?currentSchema=nuls")), RestoreOptions.defaults(), null));
    }
    try (Connection c = standby(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT _id, data->'s', data->'nested', data->'_id' FROM nuls.nuls")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(StandbyJson.id(doc.get("_id"))).isEqualTo("\"id\\u0000x\"");
      assertThat(rs.getString(2)).isEqualTo("{\"$stringWithNul\": [\"a\", \"b\\\\\", \"\"]}");
      assertThat(rs.getString(3)).isEqualTo("[{\"$stringWithNul\": [\"\", \"\"]}, \"plain \\\"q\\\"\"]");
      assertThat(rs.getString(4)).isEqualTo("{\"$stringWithNul\": [\"id\", \"x\"]}");
    }
  }

  private static ProviderContext context(Lifeboat lb) {
    return lb.providerContext();
  }

  @Test
  void selectedCollectionsIntoAnotherSchemaAndNonEmptyDestinationsAreRefused() throws Exception {
    String dest = standbyUri("?currentSchema=partial");
    try (Lifeboat lb = Lifeboat.builder().build()) {
      RestoreResult r = lb.restore(RestoreRequest.builder("file:" + backups, snapshot.id(), dest)
          .options(RestoreOptions.builder().table("orders").build())
          .verify(Expectation.queryIsTrue("orders loaded", "SELECT count(*) = 500 FROM partial.orders"),
              Expectation.queryIsTrue("wrong", "SELECT false"),
              Expectation.freshWithin("orders", "at", Duration.ofDays(36500)))
          .build());
      assertThat(r.restored()).containsExactly("orders");
      Verification v = r.verification();
      assertThat(v.failures()).extracting(Check::name).containsExactly("query wrong");
      assertThat(v.checks()).extracting(Check::name).contains("table orders", "count orders", "query orders loaded", "fresh orders.at");
      assertThat(v.checks().stream().filter(c -> c.name().equals("fresh orders.at")).findFirst().orElseThrow().detail())
          .contains("2023-11-14T22:21:39Z");

      assertThatThrownBy(() -> lb.restore(RestoreRequest.builder("file:" + backups, snapshot.id(), dest)
          .options(RestoreOptions.builder().table("orders").build()).build()))
          .isInstanceOf(LifeboatException.class).hasMessageContaining("already has tables [orders]").hasMessageContaining("(--replace)")
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.DESTINATION_NOT_EMPTY);

      try (Connection c = standby(); Statement st = c.createStatement()) {
        st.execute("DELETE FROM partial.orders WHERE _id = '{\"$numberInt\": \"3\"}'");
      }
      Verification damaged = lb.verify(VerifyRequest.builder("file:" + backups, snapshot.id()).destination(dest)
          .tables(List.of("orders")).build());
      assertThat(damaged.failures()).extracting(Check::detail).containsExactly("expected 500, found 499");

      RestoreResult again = lb.restore(RestoreRequest.builder("file:" + backups, snapshot.id(), dest)
          .options(RestoreOptions.builder().table("orders").replace(true).build()).verify().build());
      assertThat(again.verification().passed()).isTrue();
    }
  }

  @Test
  void verifierFailsWhenTheDataColumnIsNotJsonb() throws Exception {
    try (Connection c = standby(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA fake");
      st.execute("CREATE TABLE fake.orders (_id text primary key, data text)");
    }
    try (Lifeboat lb = Lifeboat.builder().build()) {
      Verification v = lb.verify(VerifyRequest.builder("file:" + backups, snapshot.id())
          .destination(standbyUri("?currentSchema=fake")).tables(List.of("orders")).build());
      assertThat(v.passed()).isFalse();
      assertThat(v.failures().get(0).detail()).contains("not jsonb");
    }
  }

  @Test
  void aFailedLoadLeavesNoTables() throws Exception {
    // A document without _id cannot get a primary key: the load fails and rolls back.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MongoArchiveWriter w = new MongoArchiveWriter(out);
    w.writePrelude(new ArchiveHeader(1, "0.1", "7.0.0", "test"), List.of(
        CollectionMetadata.of("lab", "fine", "collection", null, List.of(), ""),
        CollectionMetadata.of("lab", "noid", "collection", null, List.of(), "")));
    w.writeDocument(new Namespace("lab", "fine"), RawBsonDocument.parse("{\"_id\": 1}"));
    w.endNamespace(new Namespace("lab", "fine"));
    w.writeDocument(new Namespace("lab", "noid"), RawBsonDocument.parse("{\"x\": 1}"));
    w.endNamespace(new Namespace("lab", "noid"));
    w.finish();
    Manifest manifest = Manifest.builder().id("20240101T000000Z-noid").format("mongo-archive")
        .source(new SourceFingerprint("mongodb", "7.0.0", "lab", "mongodb://elsewhere/lab")).build();
    try (Lifeboat lb = Lifeboat.builder().build()) {
      JsonbStandbyRestorer restorer = new JsonbStandbyRestorer(context(lb));
      assertThatThrownBy(() -> restorer.restore(new RestoreJob(new BytesArchive(manifest, out.toByteArray()),
          dev.lifeboat.Location.parse(standbyUri("?currentSchema=rollback")), RestoreOptions.defaults(), null)))
          .isInstanceOf(LifeboatException.class).hasMessageContaining("has no _id");
    }
    try (Connection c = standby(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = 'rollback'")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
  }

  @Test
  void aCrcErrorFoundWhileLoadingLeavesNothingBehind() throws Exception {
    // Restoring without checkArchive first, the CRC error surfaces only at the namespace's EOF, after
    // its table was created and its COPY begun: the transaction must roll all of it back.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MongoArchiveWriter w = new MongoArchiveWriter(out);
    Namespace ns = new Namespace("lab", "flipped");
    w.writePrelude(new ArchiveHeader(1, "0.1", "7.0.0", "test"), List.of(CollectionMetadata.of("lab", "flipped", "collection", null, List.of(), "")));
    for (int i = 0; i < 50; i++) {
      w.writeDocument(ns, RawBsonDocument.parse("{\"_id\": " + i + ", \"s\": \"value-" + i + "-zzzz\"}"));
    }
    w.endNamespace(ns);
    w.finish();
    byte[] bytes = out.toByteArray();
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    int at = text.indexOf("value-7-zzzz");
    assertThat(at).isPositive();
    bytes[at + 8] = 'y'; // still valid BSON, different bytes
    Manifest manifest = Manifest.builder().id("20240101T000000Z-flipped").format("mongo-archive")
        .source(new SourceFingerprint("mongodb", "7.0.0", "lab", "mongodb://elsewhere/lab"))
        .inventory(new Inventory(List.of(InventoryItem.of("lab", "flipped", "collection", 50)))).build();
    BytesArchive archive = new BytesArchive(manifest, bytes);
    try (Lifeboat lb = Lifeboat.builder().build()) {
      JsonbStandbyRestorer restorer = new JsonbStandbyRestorer(context(lb));
      assertThatThrownBy(() -> restorer.checkArchive(archive)).isInstanceOf(LifeboatException.class)
          .hasMessageContaining("CRC mismatch");
      assertThatThrownBy(() -> restorer.restore(new RestoreJob(archive,
          dev.lifeboat.Location.parse(standbyUri("?currentSchema=crcflip")), RestoreOptions.defaults(), null)))
          .isInstanceOf(LifeboatException.class).hasMessageContaining("CRC mismatch")
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
    }
    try (Connection c = standby(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE n.nspname = 'crcflip' OR c.relname = 'flipped'")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
  }

  @Test
  void freshnessIsMeasuredAgainstTheDatabasesClockNotTheLifeboatInstances() {
    String dest = standbyUri("?currentSchema=clock");
    // By this instance's clock the newest order (2023-11-14T22:21:39Z) is nine minutes old; by the database's, years.
    Clock shortlyAfter = Clock.fixed(Instant.parse("2023-11-14T22:30:00Z"), ZoneOffset.UTC);
    try (Lifeboat lb = Lifeboat.builder().clock(shortlyAfter).build()) {
      lb.restore(RestoreRequest.builder("file:" + backups, snapshot.id(), dest)
          .options(RestoreOptions.builder().table("orders").build()).build());
      Verification v = lb.verify(VerifyRequest.builder("file:" + backups, snapshot.id()).destination(dest)
          .tables(List.of("orders")).expect(Expectation.freshWithin("orders", "at", Duration.ofHours(1))).build());
      Check fresh = v.checks().stream().filter(c -> c.name().equals("fresh orders.at")).findFirst().orElseThrow();
      assertThat(fresh.status()).as(fresh.detail()).isEqualTo(Check.Status.FAILED);
      assertThat(fresh.detail()).startsWith("newest 2023-11-14T22:21:39Z is ").endsWith("old, limit 1h");
    }
  }
}
