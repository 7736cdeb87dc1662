package dev.lifeboat.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Redactor;
import dev.lifeboat.spi.Blob;
import dev.lifeboat.spi.BlobOutput;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link S3BlobStore} itself against s3proxy: parts, unfinished uploads, stale uploads, and errors as one clear line. */
class S3BlobStoreTest {
  private static final String BUCKET = "store";
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
  void anObjectOfSeveralPartsReadsBackByteForByte() throws IOException {
    byte[] data = new byte[(PART * 2) + 12345];
    new Random(7).nextBytes(data);
    try (S3BlobStore store = S3Stores.open(server, BUCKET, "parts", PART)) {
      try (BlobOutput out = store.put("a/archive.bin")) {
        for (int off = 0; off < data.length; off += 100_000) {
          out.write(data, off, Math.min(100_000, data.length - off));
        }
      }
      assertThat(store.list("a/")).containsExactly(new Blob("a/archive.bin", data.length, store.list("a/").get(0).modifiedAt()));
      try (InputStream in = store.get("a/archive.bin")) {
        assertThat(in.readAllBytes()).isEqualTo(data);
      }
      assertThat(uploads(store)).isZero();
      assertThat(store.list("a")).hasSize(1);
      assertThat(store.list("b")).isEmpty();
    }
  }

  /**
   * With the SDK's defaults for Amazon S3 (a CRC trailer on every upload since SDK 2.30), s3proxy
   * refuses the parts, as several S3-compatible servers do: the reason Lifeboat sends checksums
   * only when required to any {@code endpoint=}. The refused part fails the upload in one line, and
   * the multipart upload is aborted, leaving nothing behind.
   */
  @Test
  void aPartTheServerRefusesFailsTheUploadAndAbortsIt() throws IOException {
    Location location = Location.parse(server.location(BUCKET, "aws-defaults"));
    S3Location where = S3Location.parse(location);
    try (S3BlobStore amazonDefaults = new S3BlobStore(location, where, S3Clients.create(where, false), PART, true, Clock.systemUTC());
        S3BlobStore compatible = S3Stores.open(server, BUCKET, "aws-defaults", PART)) {
      BlobOutput out = amazonDefaults.put("id/archive.bin");
      byte[] chunk = new byte[1 << 16];
      assertThatThrownBy(() -> {
        for (int i = 0; i < 3 * PART / chunk.length; i++) {
          out.write(chunk);
        }
        out.close();
      }).isInstanceOf(IOException.class).hasMessageContaining("cannot upload a part of id/archive.bin")
          .hasMessageContaining("XAmzContentSHA256Mismatch").hasMessageNotContaining("\n");
      assertThat(uploads(compatible)).as("the failed upload was aborted").isZero();
      out.abort();
      assertThat(compatible.list("")).isEmpty();

      // The same bytes with the settings Lifeboat uses for this endpoint.
      try (BlobOutput ok = compatible.put("id/archive.bin")) {
        for (int i = 0; i < 3 * PART / chunk.length; i++) {
          ok.write(chunk);
        }
      }
      assertThat(compatible.list("id/")).extracting(Blob::size).containsExactly(3L * PART);
    }
  }

  @Test
  void aDownloadWhoseConnectionBreaksGoesOnFromTheByteItReached() throws IOException {
    byte[] data = new byte[3 << 20];
    new Random(3).nextBytes(data);
    try (S3BlobStore direct = S3Stores.open(server, BUCKET, "resume", PART); CuttingProxy proxy = new CuttingProxy(server.endpoint().getPort());
        S3BlobStore viaProxy = S3BlobStore.open(Location.parse("s3://" + BUCKET + "/resume?endpoint=http://127.0.0.1:" + proxy.port()), PART)) {
      try (BlobOutput out = direct.put("id/archive.bin")) {
        out.write(data);
      }
      proxy.cutAfter(1 << 20);
      try (InputStream in = viaProxy.get("id/archive.bin")) {
        assertThat(in.readAllBytes()).isEqualTo(data);
      }
      assertThat(proxy.cuts()).as("the connection was dropped half-way").isEqualTo(1);

      // Replaced while being read: an error, never the tail of another object.
      proxy.cutAfter(64 << 10);
      try (InputStream in = viaProxy.get("id/archive.bin")) {
        in.readNBytes(1000);
        try (BlobOutput out = direct.put("id/archive.bin")) {
          out.write(new byte[3 << 20]);
        }
        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("was replaced while being read");
      }
    }
  }

  @Test
  void anUnfinishedUploadIsListedAsAHiddenPartialAndDeletingItAbortsIt() throws IOException {
    try (S3BlobStore store = S3Stores.open(server, BUCKET, "unfinished", PART)) {
      BlobOutput out = store.put("id/archive.bin");
      out.write(new byte[PART + 1]);
      assertThat(store.list("id/")).singleElement().satisfies(b -> {
        assertThat(b.key()).startsWith("id/.archive.bin.partial-");
        assertThat(b.modifiedAt()).isAfter(Instant.now().minus(Duration.ofMinutes(5)));
      });
      assertThat(uploads(store)).isEqualTo(1);
      assertThatThrownBy(() -> store.get(store.list("id/").get(0).key()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));

      awaitFirstPart(store, "unfinished/id/archive.bin");
      store.delete(store.list("id/").get(0).key());
      assertThat(uploads(store)).isZero();
      assertThat(store.list("id/")).isEmpty();
      out.abort();
    }
  }

  @Test
  void anAbortedUploadLeavesNeitherObjectNorMultipartUpload() throws Exception {
    try (S3BlobStore store = S3Stores.open(server, BUCKET, "aborted", PART)) {
      BlobOutput out = store.put("id/archive.bin");
      byte[] chunk = new byte[1 << 16];
      for (int i = 0; i < (2 * PART) / chunk.length + 3; i++) {
        out.write(chunk);
      }
      assertThat(uploads(store)).isEqualTo(1);
      // Aborted from another thread, as a signal handler does.
      CompletableFuture.runAsync(out::abort).get();
      assertThatThrownBy(() -> out.write(chunk)).isInstanceOf(IOException.class).hasMessageContaining("aborted");
      out.close();
      assertThat(uploads(store)).isZero();
      assertThat(store.list("")).isEmpty();
    }
  }

  @Test
  void theFirstPutAbortsMultipartUploadsUnderThePrefixOlderThanADay() throws IOException {
    try (S3BlobStore store = S3Stores.open(server, BUCKET, "stale", PART)) {
      store.client().createMultipartUpload(b -> b.bucket(BUCKET).key("stale/old/archive.bin"));
      store.client().createMultipartUpload(b -> b.bucket(BUCKET).key("elsewhere/archive.bin"));
      // Today's backup leaves a fresh upload alone.
      store.put("x").close();
      assertThat(uploads(store)).isEqualTo(1);
    }
    try (S3BlobStore root = S3Stores.open(server, BUCKET, "stale", PART);
        S3BlobStore later = new S3BlobStore(root.location(), root.where(), root.client(), PART, false,
            Clock.offset(Clock.system(ZoneOffset.UTC), Duration.ofDays(2)))) {
      later.put("y").close();
      assertThat(uploads(root)).as("two days later the upload is stale").isZero();
      assertThat(root.client().listMultipartUploads(b -> b.bucket(BUCKET).prefix("elsewhere/")).uploads())
          .as("outside the prefix: not this store's").hasSize(1);
    }
  }

  @Test
  void aMissingBucketIsAConfigurationErrorForABackupAndNotFoundForAList() {
    try (S3BlobStore store = S3Stores.open(server, "no-such-bucket", "p", PART)) {
      assertThatThrownBy(() -> store.checkUsable(true)).isInstanceOfSatisfying(LifeboatException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
        assertThat(e.getMessage()).isEqualTo("S3 bucket 'no-such-bucket' does not exist at " + server.endpoint()
            + ". Create it first (Lifeboat never creates buckets), or check the bucket name and endpoint.");
      });
      assertThatThrownBy(() -> store.checkUsable(false)).isInstanceOfSatisfying(LifeboatException.class,
          e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
  }

  @Test
  void refusedCredentialsAreAnAuthenticationFailureThatShowsNoSecret() {
    String wrong = "not-the-secret-" + System.nanoTime();
    System.setProperty("aws.secretAccessKey", wrong);
    try (S3BlobStore store = S3BlobStore.open(Location.parse(server.location(BUCKET, "p")), PART)) {
      assertThatThrownBy(() -> store.checkUsable(true)).isInstanceOfSatisfying(LifeboatException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION);
        assertThat(e.code().exitStatus()).isEqualTo(1);
        assertThat(e.getMessage()).startsWith("S3 ").contains(BUCKET).doesNotContain(wrong).doesNotContain("\n");
      });
      assertThat(Redactor.redact("echo " + wrong)).isEqualTo("echo ***");
    } finally {
      S3Stores.useServerCredentials();
    }
  }

  @Test
  void anEndpointNobodyListensOnIsAConnectionFailure() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (S3BlobStore store = S3BlobStore.open(Location.parse("s3://nowhere/p?endpoint=http://127.0.0.1:" + port), PART)) {
      assertThatThrownBy(() -> store.checkUsable(true)).isInstanceOfSatisfying(LifeboatException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
        assertThat(e.getMessage()).startsWith("S3 endpoint http://127.0.0.1:" + port + " cannot be reached").doesNotContain("\n");
      });
    }
  }

  @Test
  void missingCredentialsAreAConfigurationErrorSayingWhereTheyComeFrom() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    try (S3BlobStore store = S3BlobStore.open(Location.parse(server.location(BUCKET, "p") + "&region=eu-west-1"), PART)) {
      // Only when this machine has no AWS credentials of its own (a CI runner): otherwise they are found.
      org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_PROFILE") == null
          && !java.nio.file.Files.exists(Path.of(System.getProperty("user.home"), ".aws")), "this machine has AWS credentials of its own");
      assertThatThrownBy(() -> store.checkUsable(true)).isInstanceOfSatisfying(LifeboatException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
        assertThat(e.getMessage()).startsWith("No AWS credentials found for s3://" + BUCKET + "/p").contains("AWS_ACCESS_KEY_ID");
      });
    } finally {
      S3Stores.useServerCredentials();
    }
  }

  /** Waits until the part sent in the background arrived, as it has when a killed writer's upload is removed. */
  private static void awaitFirstPart(S3BlobStore store, String key) {
    String uploadId = store.client().listMultipartUploads(b -> b.bucket(BUCKET).prefix(key)).uploads().get(0).uploadId();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try {
        if (!store.client().listParts(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)).parts().isEmpty()) {
          return;
        }
      } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
        // s3proxy's filesystem store answers 400 while a part is being written.
      }
      assertThat(System.nanoTime()).as("the first part arrives").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static long uploads(S3BlobStore store) {
    return store.client().listMultipartUploads(b -> b.bucket(BUCKET).prefix(store.where().keyPrefix())).uploads().size();
  }
}
