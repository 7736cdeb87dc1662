package dev.lifeboat.mongo.jsonb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Check;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.Verification;
import dev.lifeboat.VerifyRequest;
import dev.lifeboat.mongo.BytesArchive;
import dev.lifeboat.mongo.MongoFixture;
import dev.lifeboat.mongo.archive.ArchiveHeader;
import dev.lifeboat.mongo.archive.CollectionMetadata;
import dev.lifeboat.mongo.archive.MongoArchiveWriter;
import dev.lifeboat.mongo.archive.Namespace;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.spi.RestoreJob;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSONB standby destination: URIs refused before any work, read-only SQL expectations,
 * verification outages as exit 1, a created database dropped after a failed restore, and
 * replacing refused while the schema holds tables the snapshot does not have.
 */
class StandbyDestinationTest {
  private static final String APP_PASSWORD = "Standby-Pw-71";
  private static MongoFixture mongo;
  private static EmbeddedPostgres pg;
  @TempDir
  static Path backups;
  @TempDir
  static Path config;
  private static Snapshot snapshot;
  private static Lifeboat lifeboat;

  @BeforeAll
  static void start() throws Exception {
    mongo = new MongoFixture();
    List<Document> orders = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      orders.add(new Document("_id", i).append("total", i));
    }
    mongo.client.getDatabase("shop").getCollection("orders").insertMany(orders);
    mongo.client.getDatabase("shop").getCollection("customers").insertOne(new Document("_id", "ada"));
    Path hba = config.resolve("pg_hba.conf");
    Files.writeString(hba, "local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\n"
        + "host all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n");
    pg = EmbeddedPostgres.builder().setServerConfig("hba_file", hba.toString())
        .setServerConfig("password_encryption", "scram-sha-256").start();
    sql("CREATE ROLE app LOGIN PASSWORD '" + APP_PASSWORD + "'");
    lifeboat = Lifeboat.builder().secrets(n -> Optional.empty()).build();
    snapshot = lifeboat.backup(BackupRequest.builder(mongo.uri("shop"), "file:" + backups).build());
  }

  @AfterAll
  static void stop() throws Exception {
    lifeboat.close();
    mongo.close();
    pg.close();
  }

  private static void sql(String... statements) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  private static long single(String query) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String uri(String database, String params) {
    return "postgresql://postgres@localhost:" + pg.getPort() + "/" + database + params;
  }

  private static ErrorCode codeOf(Runnable action) {
    try {
      action.run();
    } catch (LifeboatException e) {
      return e.code();
    }
    throw new AssertionError("expected a LifeboatException");
  }

  @Test
  void aUriWithoutADatabaseOrWithAPortOutOfRangeIsAUsageError() {
    int port = pg.getPort();
    for (String bad : List.of("postgresql://postgres@localhost:" + port, "postgresql://postgres@localhost:" + port + "/",
        "postgresql://postgres@localhost:" + port + "/?currentSchema=x", "postgres://localhost")) {
      assertThatThrownBy(() -> PgLocation.parse(Location.parse(bad), n -> Optional.empty()))
          .as(bad).isInstanceOf(LifeboatException.class).hasMessageContaining("names no database")
          .hasMessageContaining("postgresql://user@host:5432/DATABASE")
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION);
    }
    for (String badPort : List.of("0", "65536", "70000", "99999999999", "-1", "x1")) {
      String bad = "postgresql://postgres@localhost:" + badPort + "/standby";
      assertThatThrownBy(() -> PgLocation.parse(Location.parse(bad), n -> Optional.empty()))
          .as(bad).isInstanceOf(LifeboatException.class).hasMessageContaining("port")
          .hasMessageContaining(badPort.matches("-?[0-9]{1,9}") ? "1-65535" : "not a number")
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION);
    }
    assertThatThrownBy(() -> PgLocation.parse(Location.parse("postgresql://a:5432,b:65536/db"), n -> Optional.empty()))
        .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION);
    assertThat(PgLocation.parse(Location.parse("postgresql://[::1]:65535,b/db"), n -> Optional.empty()).database()).isEqualTo("db");

    // Through the facade: refused with exit 2, for a restore and for a verification.
    for (String bad : List.of("postgresql://postgres@localhost:" + port, "postgresql://postgres@localhost:65536/standby")) {
      ErrorCode restore = codeOf(() -> lifeboat.restore(RestoreRequest.builder("file:" + backups, snapshot.id(), bad).build()));
      ErrorCode verify = codeOf(() -> lifeboat.verify(VerifyRequest.builder("file:" + backups, snapshot.id()).destination(bad).build()));
      assertThat(List.of(restore, verify)).as(bad).containsOnly(ErrorCode.CONFIGURATION);
      assertThat(restore.exitStatus()).isEqualTo(2);
    }
  }

  @Test
  void sqlExpectationsRunReadOnlyAndCannotChangeTheStandby() throws Exception {
    String dest = uri("postgres", "?currentSchema=readonly");
    lifeboat.restore(RestoreRequest.builder("file:" + backups, snapshot.id(), dest).build());
    Verification v = lifeboat.verify(VerifyRequest.builder("file:" + backups, snapshot.id()).destination(dest)
        .expect(Expectation.queryIsTrue("sneaky delete", "WITH d AS (DELETE FROM readonly.orders RETURNING 1) SELECT true"))
        .expect(Expectation.queryIsTrue("plain read", "SELECT count(*) = 50 FROM readonly.orders"))
        .build());
    assertThat(single("SELECT count(*) FROM readonly.orders")).as("rows after the expectations ran").isEqualTo(50);
    Check sneaky = v.checks().stream().filter(c -> c.name().equals("query sneaky delete")).findFirst().orElseThrow();
    assertThat(sneaky.status()).isEqualTo(Check.Status.FAILED);
    assertThat(sneaky.detail()).contains("a check runs as one read-only SELECT");
    assertThat(v.failures()).extracting(Check::name).containsExactly("query sneaky delete");
  }

  @Test
  void verifyingADestinationThatIsDownRefusesTheLoginOrIsMissingFailsWithExitOneNeverThree() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String down = "postgresql://postgres@localhost:" + closed + "/postgres";
    String wrongPassword = "postgresql://app:not-" + APP_PASSWORD + "@localhost:" + pg.getPort() + "/postgres";
    String missing = uri("no_such_database", "");
    assertThat(codeOf(() -> lifeboat.verify(VerifyRequest.builder("file:" + backups, snapshot.id()).destination(down).build())))
        .isEqualTo(ErrorCode.CONNECTION);
    assertThatThrownBy(() -> lifeboat.verify(VerifyRequest.builder("file:" + backups, snapshot.id()).destination(wrongPassword).build()))
        .isInstanceOf(LifeboatException.class).satisfies(e -> assertThat(e.getMessage()).doesNotContain(APP_PASSWORD))
        .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.AUTHENTICATION);
    assertThatThrownBy(() -> lifeboat.verify(VerifyRequest.builder("file:" + backups, snapshot.id()).destination(missing).build()))
        .isInstanceOf(LifeboatException.class).hasMessageContaining("no_such_database")
        .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CONNECTION);
    for (ErrorCode code : List.of(ErrorCode.CONNECTION, ErrorCode.AUTHENTICATION)) {
      assertThat(code.exitStatus()).isEqualTo(1);
    }
    assertThat(single("SELECT count(*) FROM pg_database WHERE datname = 'no_such_database'")).as("verify creates nothing").isZero();
  }

  @Test
  void aConnectionLostWhileVerifyingIsExitOneNotAFailedCheck() throws Exception {
    String dest = uri("postgres", "?currentSchema=lost");
    lifeboat.restore(RestoreRequest.builder("file:" + backups, snapshot.id(), dest).build());
    // The server ends the verifier's session half-way, as a restart or failover would.
    assertThatThrownBy(() -> lifeboat.verify(VerifyRequest.builder("file:" + backups, snapshot.id()).destination(dest)
        .expect(Expectation.queryIsTrue("lost", "SELECT pg_terminate_backend(pg_backend_pid())")).build()))
        .isInstanceOf(LifeboatException.class).hasMessageContaining("terminating connection")
        .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CONNECTION);
  }

  @Test
  void aFailedRestoreDropsTheDatabaseItCreatedButNeverOneThatExisted() throws Exception {
    // A document without _id cannot be loaded: the restore fails after the database was created.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MongoArchiveWriter w = new MongoArchiveWriter(out);
    Namespace ns = new Namespace("lab", "noid");
    w.writePrelude(new ArchiveHeader(1, "0.1", "7.0.0", "test"), List.of(CollectionMetadata.of("lab", "noid", "collection", null, List.of(), "")));
    w.writeDocument(ns, RawBsonDocument.parse("{\"x\": 1}"));
    w.endNamespace(ns);
    w.finish();
    Manifest manifest = Manifest.builder().id("20240101T000000Z-noid").format("mongo-archive")
        .source(new SourceFingerprint("mongodb", "7.0.0", "lab", "mongodb://elsewhere/lab")).build();
    JsonbStandbyRestorer restorer = new JsonbStandbyRestorer(lifeboat.providerContext());
    for (String db : List.of("created_by_restore", "existed_before")) {
      if (db.equals("existed_before")) {
        sql("CREATE DATABASE existed_before");
      }
      assertThatThrownBy(() -> restorer.restore(new RestoreJob(new BytesArchive(manifest, out.toByteArray()),
          Location.parse(uri(db, "")), RestoreOptions.defaults(), null)))
          .isInstanceOf(LifeboatException.class).hasMessageContaining("has no _id");
    }
    assertThat(single("SELECT count(*) FROM pg_database WHERE datname = 'created_by_restore'")).isZero();
    assertThat(single("SELECT count(*) FROM pg_database WHERE datname = 'existed_before'")).isEqualTo(1);

    // And a restore that succeeds keeps the database it created.
    lifeboat.restore(RestoreRequest.builder("file:" + backups, snapshot.id(), uri("created_and_kept", "")).build());
    assertThat(single("SELECT count(*) FROM pg_database WHERE datname = 'created_and_kept'")).isEqualTo(1);
  }

  @Test
  void replacingIsRefusedBeforeAnyChangeWhileTheSchemaHoldsTablesTheSnapshotDoesNotHave() throws Exception {
    String dest = uri("postgres", "?currentSchema=replaced");
    lifeboat.restore(RestoreRequest.builder("file:" + backups, snapshot.id(), dest).build());
    sql("INSERT INTO replaced.orders VALUES ('\"added\"', '{}')", "CREATE TABLE replaced.legacy (id int)",
        "CREATE VIEW replaced.report AS SELECT 1 AS one");
    assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder("file:" + backups, snapshot.id(), dest)
        .options(RestoreOptions.builder().replace(true).build()).build()))
        .isInstanceOf(LifeboatException.class)
        .hasMessageContaining("holds 2 tables in schema replaced the snapshot does not have (legacy, report)")
        .hasMessageContaining("Drop them first, or restore into an empty database")
        .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.DESTINATION_NOT_EMPTY);
    assertThat(single("SELECT count(*) FROM replaced.orders")).as("nothing changed").isEqualTo(51);

    sql("DROP VIEW replaced.report", "DROP TABLE replaced.legacy");
    Verification v = lifeboat.restore(RestoreRequest.builder("file:" + backups, snapshot.id(), dest)
        .options(RestoreOptions.builder().replace(true).build()).verify().build()).verification();
    assertThat(v.passed()).as(v.toString()).isTrue();
    assertThat(single("SELECT count(*) FROM replaced.orders")).isEqualTo(50);
  }
}
