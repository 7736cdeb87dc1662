package dev.lifeboat.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.Location;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.Manifest;
import dev.lifeboat.spi.Blob;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.BufferedReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads in JVMs of their own against s3proxy: a 200 MiB archive streamed with a 64 MiB heap
 * (bounded memory: two 5 MiB part buffers, nothing staged on disk), and an upload killed half-way,
 * which lists nothing and whose multipart upload and objects the next backup removes.
 */
class S3StreamingTest {
  private static final String BUCKET = "streaming";
  private static final int PART = 5 << 20;
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
  void aTwoHundredMebibyteArchiveStreamsThroughASixtyFourMebibyteHeap(@TempDir Path work) throws Exception {
    String location = server.location(BUCKET, "big");
    Process child = ChildJvm.start(work, List.of("-Xmx64m", "-XX:+UseSerialGC"), StreamedUploadMain.class,
        location, "200", String.valueOf(PART), "0");
    String committed;
    try (BufferedReader out = ChildJvm.lines(child)) {
      assertThat(out.readLine()).startsWith("STARTED ");
      committed = out.readLine();
    }
    assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(child.exitValue()).as(Files.readString(work.resolve("child-err.txt"))).isZero();
    assertThat(committed).as(Files.readString(work.resolve("child-err.txt"))).startsWith("COMMITTED ");
    String[] parts = committed.split(" ");
    String id = parts[1];
    assertThat(Long.parseLong(parts[2])).isEqualTo(200L << 20);
    assertThat(Long.parseLong(parts[4].substring("maxHeap=".length()))).as("the child's heap was capped").isLessThan(70L << 20);

    try (SnapshotTarget target = SnapshotTarget.over(S3BlobStore.open(Location.parse(location), PART))) {
      Snapshot snapshot = target.get(id).orElseThrow();
      assertThat(snapshot.isDamaged()).isFalse();
      assertThat(snapshot.manifest().size()).isEqualTo(200L << 20);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(target.open(id), sha)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(parts[3]).isEqualTo(snapshot.manifest().sha256());
    }
    // 40 parts of 5 MiB, stitched by the server into one object.
    assertThat(server.dataDir().resolve(BUCKET).resolve("big").resolve(id).resolve("archive.bin")).hasSize(200L << 20);
  }

  @Test
  void anUploadKilledHalfWayListsNothingAndTheNextBackupRemovesIt(@TempDir Path work) throws Exception {
    String location = server.location(BUCKET, "killed");
    Process child = ChildJvm.start(work, List.of("-Xmx128m"), StreamedUploadMain.class, location, "100", String.valueOf(PART), "12");
    String id;
    try (BufferedReader out = ChildJvm.lines(child)) {
      id = out.readLine().substring("STARTED ".length());
      assertThat(out.readLine()).as("the child wrote 12 MiB: two parts sent, a multipart upload open").isEqualTo("PAUSED");
      try (S3BlobStore store = S3BlobStore.open(Location.parse(location), PART)) {
        // The second part may still be on its way; the upload exists once the first was sent.
        assertThat(store.list(id + "/")).extracting(Blob::key).contains(id + "/writer.json")
            .anyMatch(k -> k.startsWith(id + "/.archive.bin.partial-"));
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    try (SnapshotTarget target = SnapshotTarget.over(S3BlobStore.open(Location.parse(location), PART));
        S3BlobStore store = S3BlobStore.open(Location.parse(location), PART)) {
      assertThat(target.list()).as("a killed upload is no snapshot, and no damaged one either").isEmpty();
      assertThat(target.get(id)).isEmpty();
      assertThat(uploads(store)).as("the killed process left its multipart upload").isEqualTo(1);

      // The next backup on this machine sees the writer is gone and removes what it left.
      String next = SnapshotIds.next(Instant.now());
      byte[] bytes = "next".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      try (PendingSnapshot p = target.create(next, "archive.bin")) {
        p.output().write(bytes);
        p.commit(Manifest.builder().id(next).format("test").size(bytes.length)
            .sha256(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
            .createdAt(Instant.now()).consistentAt(Instant.now()).build());
      }
      assertThat(store.list(id + "/")).as("the killed upload's objects and upload").isEmpty();
      assertThat(uploads(store)).as("its multipart upload was aborted").isZero();
      assertThat(target.list()).extracting(Snapshot::id).containsExactly(next);
    }
  }

  private static long uploads(S3BlobStore store) {
    return store.client().listMultipartUploads(b -> b.bucket(store.where().bucket()).prefix(store.where().keyPrefix()))
        .uploads().size();
  }
}
