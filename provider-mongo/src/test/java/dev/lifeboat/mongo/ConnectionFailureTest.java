package dev.lifeboat.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.VerifyRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MongoDB deployments that cannot be reached fail in seconds, with one line naming the host and
 * why, as CONNECTION errors; the wait is the {@code mongo.serverSelectionTimeoutMs} setting (5 s by
 * default) for sources, restorers and verifiers alike, SRV lookups included. Passwords never show.
 */
class ConnectionFailureTest {
  private static final String SHORT_WAIT = "1500";
  private static MongoFixture mongo;
  @TempDir
  static Path backups;
  private static Snapshot snapshot;
  private static int closedPort;

  @BeforeAll
  static void start() throws IOException {
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

  private static Lifeboat lifeboat(Map<String, String> settings, Map<String, String> secrets) {
    return Lifeboat.builder().settings(settings).secrets(n -> Optional.ofNullable(secrets.get(n))).build();
  }

  /** Runs {@code action}, which must fail, and returns its error after checking how long it took. */
  private static LifeboatException failsWithin(Duration min, Duration max, Runnable action) {
    long started = System.nanoTime();
    LifeboatException e = catchThrowableOfType(action::run, LifeboatException.class);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(e).as("expected a LifeboatException").isNotNull();
    assertThat(took).as("time to fail").isBetween(min, max);
    assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.CONNECTION);
    assertThat(e.code().exitStatus()).isEqualTo(1);
    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
    return e;
  }

  @Test
  void aBackupFromAClosedPortFailsAfterAboutFiveSecondsByDefaultNamingTheHost() {
    String source = "mongodb://app:Sup3r-Secret@127.0.0.1:" + closedPort + "/shop";
    try (Lifeboat lb = lifeboat(Map.of(), Map.of())) {
      LifeboatException e = failsWithin(Duration.ofSeconds(4), Duration.ofSeconds(12),
          () -> lb.backup(BackupRequest.builder(source, "file:" + backups).build()));
      assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort).contains("connection refused").contains("5000 ms")
          .contains("mongo.serverSelectionTimeoutMs").doesNotContain("Sup3r-Secret");
    }
  }

  @Test
  void aRestoreIntoAClosedPortWaitsOnlyAsLongAsTheSetting() {
    try (Lifeboat lb = lifeboat(Map.of("mongo.serverSelectionTimeoutMs", SHORT_WAIT), Map.of())) {
      LifeboatException e = failsWithin(Duration.ofMillis(1000), Duration.ofSeconds(4), () -> lb.restore(
          RestoreRequest.builder("file:" + backups, snapshot.id(), "mongodb://127.0.0.1:" + closedPort + "/copy").build()));
      assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort).contains("connection refused").contains(SHORT_WAIT + " ms");
    }
  }

  @Test
  void verifyingAgainstAnUnresolvableHostIsAConnectionErrorNotAFailedVerification() {
    try (Lifeboat lb = lifeboat(Map.of("mongo.serverSelectionTimeoutMs", SHORT_WAIT),
        Map.of("MONGODB_USERNAME", "app", "MONGODB_PASSWORD", "secret-from-env"))) {
      LifeboatException e = failsWithin(Duration.ofMillis(1000), Duration.ofSeconds(4), () -> lb.verify(
          VerifyRequest.builder("file:" + backups, snapshot.id()).destination("mongodb://no-such-host.invalid:27017/copy").build()));
      assertThat(e.getMessage()).contains("no-such-host.invalid").contains("unknown host").doesNotContain("secret-from-env");
    }
  }

  @Test
  void anSrvNameWithoutSrvRecordsFailsWithinTheSettingNamingTheName() {
    try (Lifeboat lb = lifeboat(Map.of("mongo.serverSelectionTimeoutMs", SHORT_WAIT), Map.of())) {
      LifeboatException e = failsWithin(Duration.ofMillis(500), Duration.ofSeconds(4), () -> lb.backup(
          BackupRequest.builder("mongodb+srv://ops:Srv-Passw0rd@cluster0.no-such-domain.invalid/shop", "file:" + backups).build()));
      assertThat(e.getMessage()).contains("cluster0.no-such-domain.invalid").contains("SRV record _mongodb._tcp.cluster0.no-such-domain.invalid failed")
          .doesNotContain("Srv-Passw0rd");
    }
  }

  @Test
  void aServerSelectionTimeoutInTheUriWinsOverTheSetting() {
    try (Lifeboat lb = lifeboat(Map.of(), Map.of())) {
      LifeboatException e = failsWithin(Duration.ofMillis(500), Duration.ofSeconds(3), () -> lb.verify(
          VerifyRequest.builder("file:" + backups, snapshot.id())
              .destination("mongodb://127.0.0.1:" + closedPort + "/copy?serverSelectionTimeoutMS=800").build()));
      assertThat(e.getMessage()).contains("800 ms");
    }
  }
}
