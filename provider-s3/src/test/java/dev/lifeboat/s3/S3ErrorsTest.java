package dev.lifeboat.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Answers that s3proxy cannot give (Amazon's region redirects, expired tokens, server errors), as
 * the SDK reports them, mapped to one line with the right exit status.
 */
class S3ErrorsTest {
  private static final S3Location AWS = S3Location.parse(Location.parse("s3://acme-backups/shop?region=us-east-1"));

  @Test
  void aBucketInAnotherRegionNamesThatRegion() {
    LifeboatException e = S3Errors.map(AWS, "cannot use bucket acme-backups", answer(301, "PermanentRedirect", "eu-west-1"));
    assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
    assertThat(e.getMessage()).isEqualTo("S3 bucket 'acme-backups' is in region eu-west-1, not the one asked for. "
        + "Add region=eu-west-1 to s3://acme-backups/shop.");
  }

  @Test
  void anExpiredSessionTokenIsAnAuthenticationFailure() {
    LifeboatException e = S3Errors.map(AWS, "cannot list s3://acme-backups/shop", answer(400, "ExpiredToken", null));
    assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION);
    assertThat(e.getMessage()).contains("(ExpiredToken)").contains("AWS default chain");
  }

  @Test
  void aServerErrorIsATargetFailureWithTheServersCodeAndStatus() {
    LifeboatException e = S3Errors.map(AWS, "cannot write ID/archive.bin", answer(503, "SlowDown", null));
    assertThat(e.code()).isEqualTo(ErrorCode.TARGET_FAILED);
    assertThat(e.code().exitStatus()).isEqualTo(1);
    assertThat(e.getMessage()).isEqualTo("S3 target s3://acme-backups/shop: cannot write ID/archive.bin (SlowDown: Please reduce your request rate., HTTP 503).");
  }

  @Test
  void anEndpointWhoseHostDoesNotResolveIsAConnectionFailure() {
    S3Location minio = S3Location.parse(Location.parse("s3://b-1/p?endpoint=https://minio.invalid:9000"));
    SdkClientException cause = SdkClientException.builder().message("Unable to execute HTTP request: minio.invalid")
        .cause(new UnknownHostException("minio.invalid")).build();
    LifeboatException e = S3Errors.map(minio, "cannot use bucket b-1", cause);
    assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
    assertThat(e.getMessage()).startsWith("S3 endpoint https://minio.invalid:9000 cannot be reached: its host name does not resolve");
  }

  private static S3Exception answer(int status, String code, String bucketRegion) {
    SdkHttpResponse.Builder http = SdkHttpResponse.builder().statusCode(status);
    if (bucketRegion != null) {
      http.putHeader("x-amz-bucket-region", bucketRegion);
    }
    String message = status == 503 ? "Please reduce your request rate." : null;
    return (S3Exception) S3Exception.builder().statusCode(status).message(message)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).sdkHttpResponse(http.build()).build()).build();
  }
}
