package dev.lifeboat.s3;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the S3 client of a location. Credentials come from the AWS SDK's default chain only
 * (environment, system properties, profile, web identity, container and instance roles).
 *
 * <p>For a server that is not Amazon S3 (any {@code endpoint=} outside amazonaws.com), checksums
 * are sent and checked only where the API requires them: the SDK's default since 2.30 (a CRC on
 * every upload) is refused by several S3-compatible servers (Ceph RGW, Cloudflare R2, older
 * MinIO). The legacy MD5 plugin restores the {@code Content-MD5} header that some of them require
 * on DeleteObjects. Lifeboat's own SHA-256 in the manifest, checked on every read, is the
 * integrity check either way.
 */
final class S3Clients {
  private static final Region DEFAULT_REGION = Region.US_EAST_1;

  private S3Clients() {}

  static S3Client create(S3Location where) {
    return create(where, !where.isAws());
  }

  /** {@code compatible}: the settings for a server other than Amazon S3 (tests also run Amazon's defaults against s3proxy). */
  static S3Client create(S3Location where, boolean compatible) {
    S3ClientBuilder b = S3Client.builder()
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .httpClientBuilder(Apache5HttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofMinutes(2)))
        .region(region(where))
        .forcePathStyle(where.pathStyle());
    where.endpoint().ifPresent(b::endpointOverride);
    if (!compatible) {
      // A bucket in another region than the one found is reached anyway, not refused.
      b.crossRegionAccessEnabled(where.region().isEmpty());
    } else {
      b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
          .addPlugin(LegacyMd5Plugin.create());
    }
    return b.build();
  }

  /** The given region; else, for Amazon S3, the default chain's; else us-east-1 (what most compatible servers expect). */
  private static Region region(S3Location where) {
    if (where.region().isPresent()) {
      return Region.of(where.region().get());
    }
    if (where.isAws()) {
      try {
        return DefaultAwsRegionProviderChain.builder().build().getRegion();
      } catch (SdkClientException e) {
        return DEFAULT_REGION;
      }
    }
    return DEFAULT_REGION;
  }

  /** The credentials the client signs with, resolved now. */
  static AwsCredentials credentials(S3Client client) {
    AwsCredentialsProvider provider = (AwsCredentialsProvider) client.serviceClientConfiguration().credentialsProvider();
    return provider.resolveCredentials();
  }
}
