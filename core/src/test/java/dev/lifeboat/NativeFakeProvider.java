package dev.lifeboat;

import dev.lifeboat.spi.HealthLimits;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.NativeSnapshots;
import dev.lifeboat.spi.ProviderContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A platform keeping native snapshots in memory, for {@code native-fake://project}: deletions of
 * ids in {@link #undeletable} fail, {@link #down} makes every call fail as an unreachable platform
 * does, and its health reports {@link #pitr} against the limits it is given.
 */
final class NativeFakeProvider implements LifeboatProvider {
  final Map<String, Snapshot> snapshots = new TreeMap<>();
  final Set<String> undeletable = ConcurrentHashMap.newKeySet();
  volatile boolean down;
  volatile Duration pitr = Duration.ofDays(7);

  void add(String id, Instant createdAt) {
    Manifest m = Manifest.builder().id(id).kind(SnapshotKind.BRANCH).format("native-fake").createdAt(createdAt).build();
    snapshots.put(id, new Snapshot("native-fake://project", m));
  }

  @Override
  public String name() {
    return "native-fake";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("native-fake");
  }

  @Override
  public Optional<NativeSnapshots> nativeSnapshots(Location location, ProviderContext context) {
    return Optional.of(new NativeSnapshots() {
      @Override
      public Location location() {
        return location;
      }

      @Override
      public List<Snapshot> list() {
        reachable();
        return new ArrayList<>(snapshots.values());
      }

      @Override
      public Optional<Snapshot> get(String id) {
        reachable();
        return Optional.ofNullable(snapshots.get(id));
      }

      @Override
      public void delete(String id) {
        reachable();
        if (undeletable.contains(id)) {
          throw new LifeboatException(ErrorCode.REMOTE_API, "Branch " + id + " is locked by a running operation");
        }
        snapshots.remove(id);
      }

      @Override
      public boolean accepts(Location source) {
        return false;
      }

      @Override
      public Snapshot take(Location source, String id, Instant at, Map<String, String> labels) {
        throw new UnsupportedOperationException();
      }

      @Override
      public RestoreResult restore(Snapshot snapshot, Location destination, RestoreOptions options) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<HealthCheck> health(HealthLimits limits) {
        reachable();
        boolean ok = pitr.compareTo(limits.minPitr()) >= 0;
        return List.of(HealthCheck.of("pitr window", Durations.format(pitr), ">= " + Durations.format(limits.minPitr()), ok,
            ok ? "" : "Raise the history retention."));
      }
    });
  }

  private void reachable() {
    if (down) {
      throw new LifeboatException(ErrorCode.CONNECTION, "native-fake.example is unreachable");
    }
  }
}
