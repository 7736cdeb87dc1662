package dev.lifeboat.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.MongoSocketException;
import com.mongodb.ServerAddress;
import dev.lifeboat.BackupRequest;
import dev.lifeboat.Check;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.Verification;
import dev.lifeboat.VerifyRequest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MongoDB and standby passwords, from a URI or from the MONGODB_PASSWORD / PGPASSWORD secrets,
 * never appear in an error message or a check's detail, even when a driver or server echoes them.
 */
class SecretsInMessagesTest {
  private static final String URI_PASSWORD = "Uri:Pass@93";
  private static final String SECRET_PASSWORD = "Env-Secret-4711";
  private static final String PG_SECRET = "Pg-Secret-0815";
  private static MongoFixture mongo;
  @TempDir
  static Path backups;
  private static Snapshot snapshot;
  private static int closedPort;

  @BeforeAll
  static void start() throws Exception {
    mongo = new MongoFixture();
    mongo.client.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 1));
    try (Lifeboat lb = Lifeboat.builder().secrets(n -> Optional.empty()).build()) {
      snapshot = lb.backup(BackupRequest.builder(mongo.uri("shop"), "file:" + backups).build());
    }
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
  }

  @AfterAll
  static void stop() {
    mongo.close();
  }

  private static Lifeboat lifeboat() {
    Map<String, String> secrets = Map.of("MONGODB_USERNAME", "ops", "MONGODB_PASSWORD", SECRET_PASSWORD, "PGPASSWORD", PG_SECRET);
    return Lifeboat.builder().setting("mongo.serverSelectionTimeoutMs", "800").secrets(n -> Optional.ofNullable(secrets.get(n))).build();
  }

  private static void assertFree(String text) {
    for (String secret : List.of(URI_PASSWORD, SECRET_PASSWORD, PG_SECRET)) {
      assertThat(text).doesNotContain(secret).doesNotContain(URLEncoder.encode(secret, StandardCharsets.UTF_8));
    }
  }

  private static LifeboatException failure(Runnable action) {
    LifeboatException e = catchThrowableOfType(action::run, LifeboatException.class);
    assertThat(e).as("expected a LifeboatException").isNotNull();
    assertFree(e.getMessage());
    assertFree(e.toString());
    return e;
  }

  @Test
  void passwordsInMongoUrisAndSecretsNeverShowWhenTheServerIsUnreachable() {
    String withPassword = "mongodb://app:" + URLEncoder.encode(URI_PASSWORD, StandardCharsets.UTF_8) + "@127.0.0.1:" + closedPort + "/shop";
    String userOnly = "mongodb://ops@127.0.0.1:" + closedPort + "/shop";
    String noUser = "mongodb://127.0.0.1:" + closedPort + "/shop";
    try (Lifeboat lb = lifeboat()) {
      for (String uri : List.of(withPassword, userOnly, noUser)) {
        assertThat(failure(() -> lb.backup(BackupRequest.builder(uri, "file:" + backups).build())).code()).isEqualTo(ErrorCode.CONNECTION);
        assertThat(failure(() -> lb.restore(RestoreRequest.builder("file:" + backups, snapshot.id(), uri.replace("/shop", "/copy")).build()))
            .code()).isEqualTo(ErrorCode.CONNECTION);
        assertThat(failure(() -> lb.verify(VerifyRequest.builder("file:" + backups, snapshot.id()).destination(uri).build())).code())
            .isEqualTo(ErrorCode.CONNECTION);
      }
      failure(() -> lb.backup(BackupRequest.builder(withPassword.replace(":" + closedPort, ":99999"), "file:" + backups).build()));
    }
  }

  @Test
  void aDriverMessageEchoingTheConnectionStringOrThePasswordIsRedacted() {
    try (Lifeboat lb = lifeboat()) {
      // Resolving the secret through the context registers it, as every read of a secret does.
      assertThat(lb.providerContext().secrets().resolve("MONGODB_PASSWORD")).contains(SECRET_PASSWORD);
      dev.lifeboat.Location.parse("mongodb://app:" + URLEncoder.encode(URI_PASSWORD, StandardCharsets.UTF_8) + "@db.example.net/shop");
      MongoSocketException echo = new MongoSocketException("Exception opening socket for mongodb://app:"
          + URLEncoder.encode(URI_PASSWORD, StandardCharsets.UTF_8) + "@db.example.net/shop (user ops, password " + SECRET_PASSWORD
          + ", uri password " + URI_PASSWORD + ")", new ServerAddress("db.example.net"));
      LifeboatException e = MongoErrors.wrap(echo, "Dumping", "mongodb://db.example.net/shop", ErrorCode.SOURCE_FAILED);
      assertFree(e.getMessage());
      assertFree(MongoErrors.text(echo));
      assertThat(e.getMessage()).contains("db.example.net/shop").contains("***");
    }
  }

  @Test
  void aStandbyQueryEchoingThePasswordDoesNotPutItInTheChecksDetail() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start(); Lifeboat lb = lifeboat()) {
      String dest = "postgresql://postgres@localhost:" + pg.getPort() + "/postgres?currentSchema=echo";
      lb.restore(RestoreRequest.builder("file:" + backups, snapshot.id(), dest).build());
      Verification v = lb.verify(VerifyRequest.builder("file:" + backups, snapshot.id()).destination(dest)
          .expect(Expectation.queryIsTrue("echo", "SELECT '" + PG_SECRET + "'::int = 1")).build());
      Check echo = v.checks().stream().filter(c -> c.name().equals("query echo")).findFirst().orElseThrow();
      assertThat(echo.status()).isEqualTo(Check.Status.FAILED);
      assertThat(echo.detail()).contains("invalid input syntax");
      assertFree(echo.detail());
    }
  }
}
