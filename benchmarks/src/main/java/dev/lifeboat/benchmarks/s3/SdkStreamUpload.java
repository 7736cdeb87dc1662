package dev.lifeboat.benchmarks.s3;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The baseline of {@link S3UploadBenchmark}: {@code pg_dump -Fc | upload}, streamed with the AWS
 * SDK's own multipart client as its documentation shows (an input stream of unknown length, a
 * buffer of two parts), with no checksum of Lifeboat's, no manifest and no commit protocol.
 * {@code SdkStreamUpload ENDPOINT BUCKET KEY PART_SIZE PG_DUMP_ARG...}; credentials from the
 * default chain.
 */
public final class SdkStreamUpload {
  private SdkStreamUpload() {}

  public static void main(String[] args) throws Exception {
    long part = Long.parseLong(args[3]);
    List<String> dump = new ArrayList<>(List.of("pg_dump", "-Fc"));
    dump.addAll(List.of(args).subList(4, args.length));
    Process p = new ProcessBuilder(dump).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try (S3AsyncClient s3 = S3AsyncClient.builder().endpointOverride(URI.create(args[0])).region(Region.US_EAST_1).forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .multipartEnabled(true)
        .multipartConfiguration(c -> c.minimumPartSizeInBytes(part).thresholdInBytes(part).apiCallBufferSizeInBytes(2 * part))
        .build(); InputStream in = p.getInputStream()) {
      s3.putObject(b -> b.bucket(args[1]).key(args[2]), AsyncRequestBody.fromInputStream(in, null, reader)).join();
    } finally {
      reader.shutdownNow();
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("pg_dump failed with exit " + p.exitValue());
    }
  }
}
