package dev.lifeboat.s3;

import dev.lifeboat.Location;

/** Test stores against an {@link S3ProxyServer}; the SDK's default chain reads the credentials from system properties. */
final class S3Stores {
  private S3Stores() {}

  /** Makes the test server's credentials the default chain's, as a user's environment would. */
  static void useServerCredentials() {
    System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
  }

  static S3BlobStore open(S3ProxyServer server, String bucket, String prefix, int partSize) {
    useServerCredentials();
    return S3BlobStore.open(Location.parse(server.location(bucket, prefix)), partSize);
  }
}
