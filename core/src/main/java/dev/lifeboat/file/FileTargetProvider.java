package dev.lifeboat.file;

import dev.lifeboat.Location;
import dev.lifeboat.spi.BlobStore;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import java.util.Optional;
import java.util.Set;

/** Serves {@code file:} locations (and plain paths) as archive stores: local folders of snapshots. */
public final class FileTargetProvider implements LifeboatProvider {

  /** Created by {@link java.util.ServiceLoader}. */
  public FileTargetProvider() {
    // Stateless: each store is opened per call from its location.
  }

  @Override
  public String name() {
    return "file";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  @Override
  public Optional<BlobStore> store(Location location, ProviderContext context) {
    return Optional.of(FileBlobStore.open(location));
  }
}
