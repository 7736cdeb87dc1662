package dev.lifeboat.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Manifest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.SnapshotTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code s3://} through the {@link Lifeboat} facade: the provider is found, its setting read, its client shared and closed. */
class S3LifeboatTest {
  private static final String BUCKET = "facade";
  static S3ProxyServer server;
  @TempDir static Path data;

  @BeforeAll
  static void start() throws Exception {
    server = S3ProxyServer.start(data.resolve("s3"));
    server.createBucket(BUCKET);
    S3Stores.useServerCredentials();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void listAndDeleteThroughTheFacade() throws Exception {
    String target = server.location(BUCKET, "shop");
    String id = SnapshotIds.next(Instant.now());
    byte[] bytes = "archive".getBytes(StandardCharsets.UTF_8);
    try (SnapshotTarget t = SnapshotTarget.over(S3Stores.open(server, BUCKET, "shop", 5 << 20)); PendingSnapshot p = t.create(id, "archive.bin")) {
      p.output().write(bytes);
      p.commit(Manifest.builder().id(id).format("test").size(bytes.length)
          .sha256(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
          .createdAt(Instant.now()).consistentAt(Instant.now()).label("via", "facade").build());
    }
    try (Lifeboat lifeboat = Lifeboat.builder().setting(S3Settings.PART_SIZE, "8MiB").build()) {
      assertThat(lifeboat.list(target)).extracting(Snapshot::id).containsExactly(id);
      assertThat(lifeboat.list(target).get(0).manifest().labels()).containsEntry("via", "facade");
      lifeboat.delete(target, id);
      assertThat(lifeboat.list(target)).isEmpty();
    }
  }

  @Test
  void aBadPartSizeSettingAndAMissingBucketAreUsageErrors() {
    try (Lifeboat lifeboat = Lifeboat.builder().setting(S3Settings.PART_SIZE, "1MiB").build()) {
      assertThatThrownBy(() -> lifeboat.list(server.location(BUCKET, "x"))).isInstanceOfSatisfying(LifeboatException.class,
          e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION));
    }
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      assertThatThrownBy(() -> lifeboat.list(server.location("missing-bucket", "x"))).isInstanceOfSatisfying(LifeboatException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(e.code().exitStatus()).isEqualTo(2);
        assertThat(e.getMessage()).contains("'missing-bucket' does not exist");
      });
    }
  }
}
