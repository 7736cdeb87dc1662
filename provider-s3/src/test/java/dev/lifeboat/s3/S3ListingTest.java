package dev.lifeboat.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.spi.Blob;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Listing pages as an S3-compatible server may legally (or, for the repeated marker, wrongly)
 * send them, from a small stub server: s3proxy always answers well. An empty page that is
 * truncated is not the end; a page marker handed back twice fails the listing instead of looping.
 */
class S3ListingTest {
  private static final String BUCKET = "stub-bucket";
  private static final String EMPTY_UPLOADS = "<ListMultipartUploadsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>"
      + BUCKET + "</Bucket><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>";

  private StubS3Server server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /** A store on a stub that answers every GET on the bucket with {@code answer(query parameters)}. */
  private S3BlobStore storeAnswering(Function<Map<String, String>, String> answer) throws IOException {
    server = new StubS3Server(answer);
    S3Stores.useServerCredentials();
    return S3BlobStore.open(Location.parse("s3://" + BUCKET + "/p?endpoint=http://127.0.0.1:" + server.port() + "&region=us-east-1"),
        5 * 1024 * 1024);
  }

  private static String objects(String next, String... keys) {
    StringBuilder b = new StringBuilder("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" + BUCKET
        + "</Name><Prefix>p/</Prefix><KeyCount>" + keys.length + "</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>" + (next != null)
        + "</IsTruncated>");
    if (next != null) {
      b.append("<NextContinuationToken>").append(next).append("</NextContinuationToken>");
    }
    for (String k : keys) {
      b.append("<Contents><Key>p/").append(k).append("</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>")
          .append("<ETag>\"0\"</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents>");
    }
    return b.append("</ListBucketResult>").toString();
  }

  @Test
  void anEmptyTruncatedPageIsNotTheEnd() throws IOException {
    try (S3BlobStore store = storeAnswering(q -> {
      if (q.containsKey("uploads")) {
        return EMPTY_UPLOADS;
      }
      return switch (q.getOrDefault("continuation-token", "")) {
        case "" -> objects("t1", "a/manifest.json");
        case "t1" -> objects("t2");
        default -> objects(null, "b/manifest.json");
      };
    })) {
      assertThat(store.list("")).extracting(Blob::key).containsExactly("a/manifest.json", "b/manifest.json");
    }
  }

  @Test
  void aContinuationTokenHandedBackTwiceFailsTheListingInsteadOfLooping() throws IOException {
    try (S3BlobStore store = storeAnswering(q -> q.containsKey("uploads") ? EMPTY_UPLOADS
        : objects("same-token", q.containsKey("continuation-token") ? "b/manifest.json" : "a/manifest.json"))) {
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> store.list(""))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TARGET_FAILED))
          .hasMessageContaining("same-token").hasMessageContaining("a second time"));
    }
    assertThat(server.requests()).isEqualTo(2);
  }

  @Test
  void anUploadMarkerHandedBackTwiceFailsTheListingInsteadOfLooping() throws IOException {
    String page = "<ListMultipartUploadsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>" + BUCKET + "</Bucket>"
        + "<NextKeyMarker>p/a/archive.bin</NextKeyMarker><NextUploadIdMarker>u-1</NextUploadIdMarker><MaxUploads>1000</MaxUploads>"
        + "<IsTruncated>true</IsTruncated><Upload><Key>p/a/archive.bin</Key><UploadId>u-1</UploadId>"
        + "<Initiated>2026-01-01T00:00:00.000Z</Initiated></Upload></ListMultipartUploadsResult>";
    try (S3BlobStore store = storeAnswering(q -> q.containsKey("uploads") ? page : objects(null, "a/manifest.json"))) {
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> store.list(""))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TARGET_FAILED))
          .hasMessageContaining("key marker").hasMessageContaining("a second time"));
    }
  }

  @Test
  void listedKeysKeepTheirOrderAcrossPages() throws IOException {
    try (S3BlobStore store = storeAnswering(q -> q.containsKey("uploads") ? EMPTY_UPLOADS
        : q.containsKey("continuation-token") ? objects(null, "c") : objects("t1", "a", "b"))) {
      List<Blob> blobs = store.list("");
      assertThat(blobs).extracting(Blob::key).containsExactly("a", "b", "c");
    }
  }
}
