package dev.lifeboat.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.DrillRecord;
import dev.lifeboat.DrillReport;
import dev.lifeboat.Json;
import dev.lifeboat.spi.Blob;
import dev.lifeboat.spi.BlobOutput;
import dev.lifeboat.spi.BlobStore;
import dev.lifeboat.spi.NativeDrills;
import dev.lifeboat.spi.NativeSnapshots;
import dev.lifeboat.spi.SnapshotCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drill records beside the snapshots: key {@code drills/<drill-id>.json} in an archive target's
 * blob store, sealed like a manifest ({@code manifestSha256} over the canonical JSON), so that a
 * record changed by hand is not believed. {@code drills} is not a snapshot id, so the commit
 * protocol neither lists nor sweeps it. A platform's own snapshot store keeps its records itself
 * ({@link NativeDrills#record}, e.g. annotations of a Neon project's drill record branch).
 */
public final class DrillRecords {
  static final String PREFIX = "drills/";
  private static final Logger LOG = LoggerFactory.getLogger(DrillRecords.class);

  private DrillRecords() {}

  /** Records a finished platform drill with the platform; a failure is logged, never fails the drill. */
  static void record(NativeDrills drills, DrillReport report) {
    try {
      drills.record(new DrillRecord(report.drillId(), report.snapshotId(), report.passed(), report.finishedAt()));
    } catch (RuntimeException e) {
      LOG.warn("Drill {} could not be recorded on the platform: {}", report.drillId(), e.getMessage());
    }
  }

  /** Records a finished drill; a store that cannot take it is logged, never fails the drill. */
  static void record(SnapshotCatalog catalog, DrillReport report) {
    if (!(catalog instanceof BlobSnapshotTarget target)) {
      LOG.info("Drill {} is not recorded: {} keeps no drill records", report.drillId(), catalog.location());
      return;
    }
    BlobStore store = target.store();
    try {
      ObjectNode tree = Json.mapper().valueToTree(new DrillRecord(report.drillId(), report.snapshotId(), report.passed(), report.finishedAt()));
      tree.put(SealedManifest.SEAL, SealedManifest.sealOf(tree));
      BlobOutput out = store.put(PREFIX + report.drillId() + ".json");
      try {
        out.write(Json.mapper().writeValueAsBytes(tree));
      } catch (IOException | RuntimeException e) {
        out.abort();
        throw e;
      }
      out.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Drill {} could not be recorded in {}: {}", report.drillId(), catalog.location(), e.getMessage());
    }
  }

  /** The newest intact drill record in {@code catalog}, if any. */
  public static Optional<DrillRecord> latest(SnapshotCatalog catalog) {
    return all(catalog).max(NEWEST_LAST);
  }

  /** What prune and health learn about drills: read from the records kept beside the snapshots. */
  public static final DrillHistory HISTORY = new DrillHistory() {
    @Override
    public java.util.Set<String> provenSnapshotIds(SnapshotCatalog catalog) {
      return all(catalog).filter(DrillRecord::passed).map(DrillRecord::snapshotId)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    public Optional<Drill> lastDrill(SnapshotCatalog catalog) {
      return latest(catalog).map(r -> new Drill(r.snapshotId(), r.finishedAt(), r.passed()));
    }
  };

  private static final Comparator<DrillRecord> NEWEST_LAST =
      Comparator.comparing(DrillRecord::finishedAt).thenComparing(DrillRecord::drillId);

  private static java.util.stream.Stream<DrillRecord> all(SnapshotCatalog catalog) {
    if (catalog instanceof NativeSnapshots platform) {
      return platform.drills().map(d -> d.records().stream()).orElseGet(java.util.stream.Stream::empty);
    }
    if (!(catalog instanceof BlobSnapshotTarget target)) {
      return java.util.stream.Stream.empty();
    }
    BlobStore store = target.store();
    return store.list(PREFIX).stream().map(Blob::key).filter(k -> k.endsWith(".json"))
        .map(k -> read(store, k)).flatMap(Optional::stream);
  }

  private static Optional<DrillRecord> read(BlobStore store, String key) {
    try (InputStream in = store.get(key)) {
      JsonNode node = Json.mapper().readTree(in);
      JsonNode seal = node instanceof ObjectNode tree ? tree.remove(SealedManifest.SEAL) : null;
      if (seal != null && seal.asText().equals(SealedManifest.sealOf((ObjectNode) node))) {
        return Optional.of(Json.mapper().treeToValue(node, DrillRecord.class));
      }
      LOG.warn("Ignoring drill record {} in {}: its seal does not match its content", key, store.location());
    } catch (JsonProcessingException e) {
      LOG.warn("Ignoring drill record {} in {}: it is not a readable drill record{}", key, store.location(),
          SealedManifest.problem(e));
    } catch (IOException | RuntimeException e) {
      LOG.warn("Ignoring drill record {} in {}: {}", key, store.location(), e.getMessage());
    }
    return Optional.empty();
  }
}
