/**
 * Lifeboat's S3 provider: Amazon S3 and S3-compatible object storage as a snapshot target, with
 * streamed multipart uploads of bounded memory, on the AWS SDK for Java v2.
 */
module dev.lifeboat.provider.s3 {
  requires dev.lifeboat.core;
  requires org.slf4j;
  requires software.amazon.awssdk.services.s3;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.auth;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.http.apache5;
  requires software.amazon.awssdk.identity.spi;

  exports dev.lifeboat.s3;

  provides dev.lifeboat.spi.LifeboatProvider with dev.lifeboat.s3.S3Provider;
}
