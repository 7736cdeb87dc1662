package dev.lifeboat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.Json;
import dev.lifeboat.Location;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Core's commit protocol over a store with no rename ({@link MemoryBlobStore}) against the snapshot
 * target contract: the protocol's guarantees come from the order of its puts and deletes, not
 * from the file system.
 */
class MemorySnapshotTargetContractTest extends SnapshotTargetContract {
  private static final AtomicInteger N = new AtomicInteger();
  private final Map<Location, MemoryBlobStore> stores = new ConcurrentHashMap<>();

  @Override
  protected SnapshotTarget newTarget() {
    MemoryBlobStore store = new MemoryBlobStore(Location.parse("mem://contract/" + N.incrementAndGet()));
    stores.put(store.location(), store);
    return SnapshotTarget.over(store);
  }

  private MemoryBlobStore store(SnapshotTarget target) {
    return stores.get(target.location());
  }

  @Override
  protected void corruptStoredBytes(SnapshotTarget target, String id) {
    MemoryBlobStore store = store(target);
    String key = store.keys().stream().filter(k -> k.startsWith(id + "/archive")).findFirst().orElseThrow();
    byte[] bytes = store.bytes(key);
    bytes[bytes.length / 2] ^= (byte) 0xFF;
    store.replace(key, bytes);
  }

  @Override
  protected void alterStoredManifest(SnapshotTarget target, String id) {
    MemoryBlobStore store = store(target);
    try {
      ObjectNode json = (ObjectNode) Json.mapper().readTree(store.bytes(id + "/manifest.json"));
      json.put("size", json.get("size").asLong() + 1);
      store.replace(id + "/manifest.json", Json.mapper().writeValueAsBytes(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void nothingOfAnUncommittedSnapshotIsLeftInTheStore() throws IOException {
    SnapshotTarget t = target();
    String id = SnapshotIds.next(Instant.now());
    try (PendingSnapshot p = t.create(id, "archive.test")) {
      p.output().write(bytes(10_000, 1));
      assertThat(store(t).keys()).as("while writing: only the writer record is stored").containsExactly(id + "/writer.json");
    }
    assertThat(store(t).keys()).isEmpty();

    store(t, SnapshotIds.next(Instant.now()), bytes(10, 2), Map.of());
    String committed = t.list().get(0).id();
    assertThat(store(t).keys()).containsExactlyInAnyOrder(committed + "/archive.test", committed + "/manifest.json");
    t.delete(committed);
    assertThat(store(t).keys()).isEmpty();
  }
}
