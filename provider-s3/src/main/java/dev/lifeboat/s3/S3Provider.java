package dev.lifeboat.s3;

import dev.lifeboat.Location;
import dev.lifeboat.spi.BlobStore;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Serves {@code s3://BUCKET/PREFIX} locations as archive stores: Amazon S3 and S3-compatible
 * servers ({@code endpoint=…}). Core keeps snapshots in them with its commit protocol.
 */
public final class S3Provider implements LifeboatProvider {

  /** Created by {@link java.util.ServiceLoader}. */
  public S3Provider() {
    // Stateless: each store is opened per call from its location.
  }

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("s3");
  }

  @Override
  public Set<String> settingKeys() {
    return S3Settings.KEYS;
  }

  @Override
  public Optional<BlobStore> store(Location location, ProviderContext context) {
    S3Location where = S3Location.parse(location);
    int partSize = S3Settings.partSize(context.setting(S3Settings.PART_SIZE));
    // One client per server and addressing for the Lifeboat instance (closed with it): building
    // one costs a second or more, and a service that backs up every hour should pay it once.
    String key = "s3.client " + where.endpoint().map(Object::toString).orElse("aws") + " " + where.region().orElse("-") + " "
        + where.pathStyle();
    S3Client client = context.shared(key, S3Client.class, () -> S3Clients.create(where));
    return Optional.of(new S3BlobStore(location, where, client, partSize, false, context.clock()));
  }
}
