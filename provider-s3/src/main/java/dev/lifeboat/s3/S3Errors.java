package dev.lifeboat.s3;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns what the AWS SDK throws into one line that says what to do, with the exit status that
 * fits: a missing bucket or a wrong region is configuration (2), refused credentials, an
 * unreachable endpoint and server failures are operation failures (1). Messages name the bucket
 * and endpoint, never a credential (and {@link LifeboatException} redacts registered secrets).
 */
final class S3Errors {
  /** What an S3 user needs to be allowed to do on the bucket for backups, listing, restores and pruning. */
  static final String PERMISSIONS =
      "s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject, s3:ListBucketMultipartUploads, s3:AbortMultipartUpload";
  private static final String CHAIN = "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, web identity or an instance role";

  private S3Errors() {}

  /** {@code e}, met while doing {@code what} (e.g. "cannot write ID/archive") in {@code where}, as a Lifeboat error. */
  static LifeboatException map(S3Location where, String what, SdkException e) {
    return map(where, what, e, false);
  }

  /**
   * As {@link #map(S3Location, String, SdkException)}; {@code reading} says a missing bucket is
   * {@link ErrorCode#NOT_FOUND} (a list or restore) rather than {@link ErrorCode#CONFIGURATION} (a backup).
   */
  static LifeboatException map(S3Location where, String what, SdkException e, boolean reading) {
    String target = where.describe();
    if (e instanceof AwsServiceException s) {
      int status = s.statusCode();
      String code = s.awsErrorDetails() == null || s.awsErrorDetails().errorCode() == null ? "" : s.awsErrorDetails().errorCode();
      Optional<String> bucketRegion = s.awsErrorDetails() == null || s.awsErrorDetails().sdkHttpResponse() == null
          ? Optional.empty() : s.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region");
      if (code.equals("NoSuchBucket") || (status == 404 && code.isEmpty() && what.startsWith("cannot use"))) {
        return new LifeboatException(reading ? ErrorCode.NOT_FOUND : ErrorCode.CONFIGURATION,
            "S3 bucket '" + where.bucket() + "' does not exist" + where.endpoint().map(u -> " at " + u).orElse("")
                + ". Create it first (Lifeboat never creates buckets), or check the bucket name" + (where.endpoint().isPresent() ? " and endpoint." : " and region."), e);
      }
      if (status == 301 || code.equals("PermanentRedirect") || code.equals("AuthorizationHeaderMalformed") && bucketRegion.isPresent()) {
        return new LifeboatException(ErrorCode.CONFIGURATION, "S3 bucket '" + where.bucket() + "' is in "
            + bucketRegion.map(r -> "region " + r).orElse("another region") + ", not the one asked for. Add region="
            + bucketRegion.orElse("THE_BUCKET_REGION") + " to " + target + ".", e);
      }
      if (code.equals("InvalidAccessKeyId") || code.equals("SignatureDoesNotMatch") || code.equals("ExpiredToken")
          || code.equals("InvalidToken") || code.equals("InvalidClientTokenId")) {
        return new LifeboatException(ErrorCode.AUTHENTICATION, "S3 refused the credentials for " + target + " (" + code
            + "). Check the credentials of the AWS default chain (" + CHAIN + ").", e);
      }
      if (status == 403 || code.equals("AccessDenied") || code.equals("AllAccessDisabled")) {
        return new LifeboatException(ErrorCode.AUTHENTICATION, "S3 denied access to " + target + ": " + what
            + ". Grant the credentials' user " + PERMISSIONS + " on the bucket.", e);
      }
      if (code.equals("NoSuchKey") || status == 404) {
        return new LifeboatException(ErrorCode.NOT_FOUND, "S3 target " + target + ": " + what + " (no such object).", e);
      }
      String message = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
      return new LifeboatException(ErrorCode.TARGET_FAILED, "S3 target " + target + ": " + what + " ("
          + (code.isEmpty() ? "" : code + ": ") + (message == null ? "" : oneLine(message) + ", ") + "HTTP " + status + ").", e);
    }
    Throwable cause = rootCause(e);
    String endpoint = where.endpoint().map(Object::toString).orElse("Amazon S3");
    if (cause instanceof UnknownHostException) {
      return new LifeboatException(ErrorCode.CONNECTION, "S3 endpoint " + endpoint + " cannot be reached: its host name does not resolve ("
          + cause.getMessage() + "). Check endpoint=… and the network.", e);
    }
    if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
      return new LifeboatException(ErrorCode.CONNECTION, "S3 endpoint " + endpoint + " cannot be reached (" + oneLine(cause.getMessage())
          + "). Check endpoint=…, that the server runs, and the network.", e);
    }
    if (cause instanceof SocketTimeoutException) {
      return new LifeboatException(ErrorCode.CONNECTION, "S3 endpoint " + endpoint + " did not answer in time while trying to "
          + what.replaceFirst("^cannot ", "") + ". Check the endpoint and the network.", e);
    }
    if (cause instanceof SSLException) {
      return new LifeboatException(ErrorCode.CONNECTION, "S3 endpoint " + endpoint + ": TLS failed (" + oneLine(cause.getMessage())
          + "). Check that endpoint=… uses the right scheme (http or https) and port.", e);
    }
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof SdkClientException && text.contains("Unable to load credentials")) {
      return new LifeboatException(ErrorCode.CONFIGURATION, "No AWS credentials found for " + target + ". Provide them through the AWS default chain ("
          + CHAIN + "); they never go in the location.", e);
    }
    if (e instanceof SdkClientException && text.contains("Unable to load region")) {
      return new LifeboatException(ErrorCode.CONFIGURATION, "No AWS region is set for " + target + ". Add region=… to the location or set AWS_REGION.", e);
    }
    return new LifeboatException(ErrorCode.TARGET_FAILED, "S3 target " + target + ": " + what + " (" + oneLine(text) + ").", e);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      if (t instanceof UnknownHostException || t instanceof ConnectException || t instanceof SSLException
          || t instanceof SocketTimeoutException || t instanceof NoRouteToHostException) {
        return t;
      }
      t = t.getCause();
    }
    return t;
  }

  private static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    String line = text.strip().replaceAll("\\s*\\R\\s*", " ");
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
