package dev.lifeboat.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 API server for tests: s3proxy over jclouds' filesystem store, on a free local port,
 * with AWS signature v4 authentication. Objects are plain files under {@link #dataDir()}
 * ({@code BUCKET/KEY}), so a test can damage stored bytes the way a faulty disk would.
 *
 * <p>{@link #main} runs one as its own process (printing {@code READY PORT}), for class paths
 * that cannot hold s3proxy's Jetty beside another.
 */
public final class S3ProxyServer implements AutoCloseable {
  /** The access key id the server accepts (not a secret: a test server's fixed credential). */
  public static final String ACCESS_KEY = "lifeboat-test";
  /** The secret key the server accepts. */
  public static final String SECRET_KEY = "lifeboat-test-secret-0123456789";

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final Path dataDir;

  private S3ProxyServer(S3Proxy proxy, BlobStoreContext context, Path dataDir) {
    this.proxy = proxy;
    this.context = context;
    this.dataDir = dataDir;
  }

  /** Starts a server keeping its buckets in {@code dataDir}. */
  public static S3ProxyServer start(Path dataDir) throws Exception {
    Files.createDirectories(dataDir);
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dataDir.toString());
    BlobStoreContext context = ContextBuilder.newBuilder("filesystem").credentials(ACCESS_KEY, SECRET_KEY)
        .overrides(properties).build(BlobStoreContext.class);
    S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .endpoint(URI.create("http://127.0.0.1:0")).build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
    return new S3ProxyServer(proxy, context, dataDir);
  }

  /** The server's endpoint, {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** Creates {@code bucket} (an empty folder of the filesystem store). */
  public void createBucket(String bucket) {
    context.getBlobStore().createContainerInLocation(null, bucket);
  }

  /** Where the filesystem store keeps bucket {@code B}'s object {@code K}: {@code dataDir/B/K}. */
  public Path dataDir() {
    return dataDir;
  }

  /** {@code s3://BUCKET/PREFIX?endpoint=…} for this server. */
  public String location(String bucket, String prefix) {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + "?endpoint=" + endpoint();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }

  /** Runs a server in this process until it is killed: {@code S3ProxyServer DATA_DIR BUCKET...}; prints {@code READY PORT}. */
  public static void main(String[] args) throws Exception {
    S3ProxyServer server = start(Path.of(args[0]));
    for (int i = 1; i < args.length; i++) {
      server.createBucket(args[i]);
    }
    System.out.println("READY " + server.proxy.getPort());
    System.out.flush();
    Thread.currentThread().join();
  }
}
