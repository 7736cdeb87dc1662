package dev.lifeboat.s3;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Redactor;
import dev.lifeboat.spi.Blob;
import dev.lifeboat.spi.BlobOutput;
import dev.lifeboat.spi.BlobStore;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * A bucket prefix as a {@link BlobStore}: blob key {@code K} is the object {@code PREFIX/K}. Core
 * keeps snapshots in it with its commit protocol (archive first, manifest last); this class only
 * puts, gets, lists and deletes objects.
 *
 * <p>Puts stream with bounded memory ({@link S3Upload}); gets stream the object once. Multipart
 * uploads that never completed are listed as hidden blobs {@code DIR/.NAME.partial-UPLOAD} (size 0,
 * modified when started), so that the snapshot protocol sees them and removes them with the
 * snapshot they belong to: deleting such a key aborts the upload. Besides, the first put of a store
 * aborts every multipart upload under the prefix started more than a day ago.
 */
public final class S3BlobStore implements BlobStore {
  private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);
  /** Multipart uploads older than this under the prefix belong to no running backup. */
  static final Duration STALE_UPLOAD = Duration.ofDays(1);
  private static final String PARTIAL = ".partial-";
  private static final int ABORT_ATTEMPTS = 5;

  private final Location location;
  private final S3Location where;
  private final S3Client client;
  private final int partSize;
  private final boolean ownsClient;
  private final Clock clock;
  private final AtomicBoolean swept = new AtomicBoolean();
  private volatile boolean credentialsChecked;

  S3BlobStore(Location location, S3Location where, S3Client client, int partSize, boolean ownsClient, Clock clock) {
    this.location = location;
    this.where = where;
    this.client = client;
    this.partSize = partSize;
    this.ownsClient = ownsClient;
    this.clock = clock;
  }

  /** A store for {@code location} with the default part size, credentials from the AWS default chain. */
  public static S3BlobStore open(Location location) {
    return open(location, S3Settings.DEFAULT_PART_SIZE);
  }

  /** A store for {@code location} that uploads in parts of {@code partSize} bytes (two part buffers of memory). */
  public static S3BlobStore open(Location location, int partSize) {
    S3Location where = S3Location.parse(location);
    return new S3BlobStore(location, where, S3Clients.create(where), S3Settings.checkPartSize(partSize), true, Clock.systemUTC());
  }

  @Override
  public Location location() {
    return location;
  }

  /** The parsed location. */
  public S3Location where() {
    return where;
  }

  S3Client client() {
    return client;
  }

  /** Parts are this many bytes (the last smaller); an upload holds at most two part buffers. */
  public int partSize() {
    return partSize;
  }

  /**
   * Checks that credentials are found and that the bucket exists and answers, creating nothing
   * (and, before a backup, that two part buffers fit in the heap): a
   * missing bucket is {@link ErrorCode#CONFIGURATION} when writing ({@link ErrorCode#NOT_FOUND}
   * when reading), refused credentials {@link ErrorCode#AUTHENTICATION}, an unreachable endpoint
   * {@link ErrorCode#CONNECTION}.
   */
  @Override
  public void checkUsable(boolean forWriting) {
    if (forWriting) {
      S3Settings.checkFitsHeap(partSize, Runtime.getRuntime().maxMemory());
    }
    registerSecrets();
    try {
      client.headBucket(HeadBucketRequest.builder().bucket(where.bucket()).build());
    } catch (SdkException e) {
      throw S3Errors.map(where, "cannot use bucket " + where.bucket(), e, !forWriting);
    }
  }

  /** Resolves the credentials once, so that a missing one fails clearly first and the secret is redacted from every output. */
  private void registerSecrets() {
    if (credentialsChecked) {
      return;
    }
    try {
      AwsCredentials credentials = S3Clients.credentials(client);
      Redactor.register(credentials.secretAccessKey());
      if (credentials instanceof AwsSessionCredentials session) {
        Redactor.register(session.sessionToken());
      }
      credentialsChecked = true;
    } catch (SdkException e) {
      throw S3Errors.map(where, "cannot find credentials", e);
    }
  }

  @Override
  public BlobOutput put(String key) {
    checkKey(key);
    registerSecrets();
    if (swept.compareAndSet(false, true)) {
      abortStaleUploads();
    }
    return new S3Upload(this, key, partSize);
  }

  @Override
  public InputStream get(String key) {
    checkKey(key);
    if (isPartial(key)) {
      throw new LifeboatException(ErrorCode.NOT_FOUND, "No " + key + " in " + where.describe() + " (an unfinished upload).");
    }
    registerSecrets();
    try {
      return new S3Download(this, key);
    } catch (NoSuchKeyException e) {
      throw new LifeboatException(ErrorCode.NOT_FOUND, "No " + key + " in " + where.describe() + ".", e);
    } catch (SdkException e) {
      throw S3Errors.map(where, "cannot read " + key, e, true);
    }
  }

  /**
   * The objects under {@code prefix}, and the multipart uploads in progress under it as hidden
   * {@code .NAME.partial-UPLOAD} blobs; every page of both listings is read.
   */
  @Override
  public List<Blob> list(String prefix) {
    registerSecrets();
    String full = where.keyPrefix() + prefix;
    List<Blob> out = new ArrayList<>();
    try {
      Set<String> tokens = new HashSet<>();
      String token = null;
      do {
        ListObjectsV2Response page = client.listObjectsV2(ListObjectsV2Request.builder().bucket(where.bucket()).prefix(full)
            .continuationToken(token).build());
        for (S3Object o : page.contents()) {
          String key = where.blobKey(o.key());
          if (!key.isEmpty() && !key.endsWith("/")) {
            out.add(new Blob(key, o.size() == null ? 0 : o.size(), o.lastModified() == null ? Instant.EPOCH : o.lastModified()));
          }
        }
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        if (token != null && !tokens.add(token)) {
          throw repeatedMarker("continuation token", token);
        }
      } while (token != null);
      for (MultipartUpload u : uploads(full)) {
        String key = where.blobKey(u.key());
        if (!key.isEmpty()) {
          out.add(new Blob(partialKey(key, u.uploadId()), 0, u.initiated() == null ? Instant.EPOCH : u.initiated()));
        }
      }
    } catch (SdkException e) {
      throw S3Errors.map(where, "cannot list " + where.describe(), e, true);
    }
    return out;
  }

  /** Deletes {@code key}; for a {@code .NAME.partial-UPLOAD} key, aborts that multipart upload. */
  @Override
  public void delete(String key) {
    checkKey(key);
    registerSecrets();
    try {
      int slash = key.lastIndexOf('/');
      String name = key.substring(slash + 1);
      int partial = name.indexOf(PARTIAL);
      if (name.startsWith(".") && partial > 0) {
        Optional<String> uploadId = decodeUploadId(name.substring(partial + PARTIAL.length()));
        if (uploadId.isPresent()) {
          abortMultipart(where.objectKey(key.substring(0, slash + 1) + name.substring(1, partial)), uploadId.get());
          return;
        }
      }
      client.deleteObject(b -> b.bucket(where.bucket()).key(where.objectKey(key)));
    } catch (SdkException e) {
      throw S3Errors.map(where, "cannot delete " + key, e);
    }
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "S3BlobStore[" + where.describe() + "]";
  }

  // --- what S3Upload calls ---------------------------------------------------------------------

  String startMultipart(String objectKey) {
    try {
      CreateMultipartUploadRequest.Builder b = CreateMultipartUploadRequest.builder().bucket(where.bucket()).key(objectKey)
          .contentType("application/octet-stream");
      where.storageClass().ifPresent(b::storageClass);
      where.sse().ifPresent(s -> b.serverSideEncryption(ServerSideEncryption.fromValue(s)));
      where.kmsKeyId().ifPresent(b::ssekmsKeyId);
      return client.createMultipartUpload(b.build()).uploadId();
    } catch (SdkException e) {
      throw S3Errors.map(where, "cannot start uploading " + where.blobKey(objectKey), e);
    }
  }

  void putWhole(String objectKey, byte[] bytes, int length) {
    PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(where.bucket()).key(objectKey)
        .contentType("application/octet-stream").contentLength((long) length);
    where.storageClass().ifPresent(b::storageClass);
    where.sse().ifPresent(s -> b.serverSideEncryption(ServerSideEncryption.fromValue(s)));
    where.kmsKeyId().ifPresent(b::ssekmsKeyId);
    client.putObject(b.build(), RequestBody.fromContentProvider(() -> new java.io.ByteArrayInputStream(bytes, 0, length), length,
        "application/octet-stream"));
  }

  void completeMultipart(String objectKey, String uploadId, CompletedMultipartUpload parts) {
    client.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(where.bucket()).key(objectKey)
        .uploadId(uploadId).multipartUpload(parts).build());
  }

  /**
   * Aborts a multipart upload; an upload that is already gone is fine. A part still arriving (the
   * one in flight when a backup was stopped) can make the server refuse or leave that part: as S3
   * advises, the abort is repeated until it succeeds and no part is left.
   */
  void abortMultipart(String objectKey, String uploadId) {
    AbortMultipartUploadRequest request = AbortMultipartUploadRequest.builder().bucket(where.bucket()).key(objectKey).uploadId(uploadId).build();
    for (int attempt = 1; ; attempt++) {
      try {
        client.abortMultipartUpload(request);
        if (noPartsLeft(objectKey, uploadId)) {
          return;
        }
      } catch (NoSuchUploadException e) {
        return;
      } catch (SdkException e) {
        if (attempt >= ABORT_ATTEMPTS) {
          throw S3Errors.map(where, "cannot abort the upload of " + where.blobKey(objectKey), e);
        }
      }
      if (attempt >= ABORT_ATTEMPTS) {
        return;
      }
      try {
        Thread.sleep(500L * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LifeboatException(ErrorCode.ABORTED, "Interrupted while aborting the upload of " + where.blobKey(objectKey) + ".", e);
      }
    }
  }

  /** Whether an aborted upload is gone; a server that cannot say (an error) is taken at its word that the abort worked. */
  private boolean noPartsLeft(String objectKey, String uploadId) {
    try {
      return client.listParts(b -> b.bucket(where.bucket()).key(objectKey).uploadId(uploadId)).parts().isEmpty();
    } catch (SdkException e) {
      return true;
    }
  }

  /** One line for an SDK failure inside an upload or a download (it ends up in an IOException). */
  String describeFailure(String what, SdkException e) {
    return S3Errors.map(where, what, e).getMessage();
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** Aborts the multipart uploads under the prefix started more than {@link #STALE_UPLOAD} ago; never fails a backup. */
  private void abortStaleUploads() {
    Instant limit = clock.instant().minus(STALE_UPLOAD);
    try {
      for (MultipartUpload u : uploads(where.keyPrefix())) {
        if (u.initiated() != null && u.initiated().isBefore(limit)) {
          LOG.info("Aborting the multipart upload of {} in {}, started {} and never completed", where.blobKey(u.key()), where.describe(),
              u.initiated());
          abortMultipart(u.key(), u.uploadId());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not abort stale multipart uploads in {}: {}", where.describe(), e.getMessage());
    }
  }

  private List<MultipartUpload> uploads(String fullPrefix) {
    List<MultipartUpload> out = new ArrayList<>();
    Set<String> markers = new HashSet<>();
    String keyMarker = null;
    String uploadIdMarker = null;
    while (true) {
      ListMultipartUploadsResponse page = client.listMultipartUploads(ListMultipartUploadsRequest.builder().bucket(where.bucket())
          .prefix(fullPrefix).keyMarker(keyMarker).uploadIdMarker(uploadIdMarker).build());
      for (MultipartUpload u : page.uploads()) {
        if (u.key() != null && u.key().startsWith(fullPrefix)) {
          out.add(u);
        }
      }
      if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextKeyMarker() == null) {
        return out;
      }
      keyMarker = page.nextKeyMarker();
      uploadIdMarker = page.nextUploadIdMarker();
      if (!markers.add(keyMarker + "\u0000" + uploadIdMarker)) {
        throw repeatedMarker("key marker", keyMarker);
      }
    }
  }

  /**
   * A listing whose server hands back a page marker it gave before. Following it would loop for
   * ever; stopping would leave a list that retention might prune from as if it were whole. So the
   * listing fails, saying what went wrong.
   */
  private LifeboatException repeatedMarker(String kind, String marker) {
    String shown = Redactor.serverLine(marker, 80);
    return new LifeboatException(ErrorCode.TARGET_FAILED, "S3 target " + where.describe() + ": the server handed back the "
        + kind + " '" + shown + "' a second time, so the listing would never end. This is a fault of the S3-compatible server;"
        + " upgrade it or report it to its maker.");
  }

  /** The hidden key under which an upload in progress of {@code key} is listed. */
  static String partialKey(String key, String uploadId) {
    int slash = key.lastIndexOf('/');
    return key.substring(0, slash + 1) + "." + key.substring(slash + 1) + PARTIAL
        + Base64.getUrlEncoder().withoutPadding().encodeToString(uploadId.getBytes(StandardCharsets.UTF_8));
  }

  /** The upload id in a partial key, or empty when the text is not one of ours (a plain object with a partial-like name). */
  private static Optional<String> decodeUploadId(String encoded) {
    try {
      return Optional.of(new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean isPartial(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    return name.startsWith(".") && name.indexOf(PARTIAL) > 0;
  }

  private static void checkKey(String key) {
    if (key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
      throw new IllegalArgumentException("Not a blob key: '" + key + "'");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("Not a blob key: '" + key + "'");
      }
    }
  }
}
