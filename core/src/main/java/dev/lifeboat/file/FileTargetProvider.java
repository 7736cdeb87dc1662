package dev.lifeboat.file;

import dev.lifeboat.Location;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.SnapshotTarget;
import java.util.Optional;
import java.util.Set;

/** Serves {@code file:} locations (and plain paths) as snapshot targets. */
public final class FileTargetProvider implements LifeboatProvider {

  @Override
  public String name() {
    return "file";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  @Override
  public Optional<SnapshotTarget> target(Location location, ProviderContext context) {
    return Optional.of(FileSnapshotTarget.open(location));
  }
}
