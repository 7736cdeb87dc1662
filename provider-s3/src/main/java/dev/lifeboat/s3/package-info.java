/**
 * Amazon S3 and S3-compatible object storage as a snapshot target: {@code s3://BUCKET/PREFIX}
 * locations ({@link dev.lifeboat.s3.S3Location}) served by {@link dev.lifeboat.s3.S3BlobStore}.
 */
package dev.lifeboat.s3;
