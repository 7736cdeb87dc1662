package dev.lifeboat.benchmarks.s3;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The baseline of {@link S3UploadBenchmark}: {@code pg_dump -Fc | upload}, streamed the way
 * {@code aws s3 cp - s3://…} does it: the standard input cut into parts, one part uploading while
 * the next fills (two part buffers), no checksum of Lifeboat's, no manifest and no commit
 * protocol. (The SDK's own multipart client sends a header, {@code x-amz-mp-object-size}, that
 * several S3-compatible servers, s3proxy among them, refuse.)
 * {@code SdkStreamUpload ENDPOINT BUCKET KEY PART_SIZE PG_DUMP_ARG...}; credentials from the
 * default chain.
 */
public final class SdkStreamUpload {
  private SdkStreamUpload() {}

  public static void main(String[] args) throws Exception {
    String bucket = args[1];
    String key = args[2];
    int part = Math.toIntExact(Long.parseLong(args[3]));
    List<String> dump = new ArrayList<>(List.of("pg_dump", "-Fc"));
    dump.addAll(List.of(args).subList(4, args.length));
    Process p = new ProcessBuilder(dump).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    ExecutorService uploader = Executors.newSingleThreadExecutor();
    try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(args[0])).region(Region.US_EAST_1).forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
        InputStream in = p.getInputStream()) {
      String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
      List<CompletedPart> parts = new ArrayList<>();
      Future<CompletedPart> inFlight = null;
      for (int number = 1; ; number++) {
        byte[] buffer = in.readNBytes(part);
        if (buffer.length == 0 && number > 1) {
          break;
        }
        if (inFlight != null) {
          parts.add(inFlight.get());
        }
        int n = number;
        inFlight = uploader.submit(() -> CompletedPart.builder().partNumber(n).eTag(
            s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(n), RequestBody.fromBytes(buffer)).eTag()).build());
        if (buffer.length < part) {
          break;
        }
      }
      parts.add(inFlight.get());
      s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload).multipartUpload(m -> m.parts(parts)));
    } finally {
      uploader.shutdownNow();
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("pg_dump failed with exit " + p.exitValue());
    }
  }
}
