package dev.lifeboat.neon;

import dev.lifeboat.DrillRecord;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.neon.api.BranchSpec;
import dev.lifeboat.neon.api.NeonBranch;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drill records of a Neon project, kept where the Neon API lets Lifeboat keep small facts: the
 * annotations of a branch ({@code annotation_value}, at most 50 string values, set when a branch
 * is created and listed with every branch list). The records live on one branch named
 * {@code lifeboat-drill-records-YYYYMMDDTHHMMSSZ}: a child of the default branch without a compute
 * (no compute cost; its data is the default branch's, shared). Neon cannot change annotations
 * later, so recording a drill creates the next records branch with the newest records plus the
 * new one, then deletes the older records branch: one branch of the plan's limit is used, two for
 * a moment. The newest {@value #KEPT} records are kept, and always the newest passed one.
 */
final class NeonDrillRecords {
  static final String PREFIX = "lifeboat-drill-records-";
  static final String KEY = "lifeboat.drill.";
  static final int KEPT = 40;
  private static final Logger LOG = LoggerFactory.getLogger(NeonDrillRecords.class);

  private final NeonProjectOps ops;

  NeonDrillRecords(NeonProjectOps ops) {
    this.ops = ops;
  }

  /** Every record on every records branch (after an interrupted update there may be two). */
  List<DrillRecord> all() {
    NeonBranches.Listing listing = ops.client.branches().listAnnotated(ops.projectId, PREFIX);
    Map<String, DrillRecord> byId = new LinkedHashMap<>();
    for (NeonBranch b : listing.branches()) {
      if (b.name().startsWith(PREFIX)) {
        listing.annotations().getOrDefault(b.id(), Map.of()).forEach((k, v) -> {
          if (k.startsWith(KEY)) {
            parse(k.substring(KEY.length()), v).ifPresent(r -> byId.putIfAbsent(r.drillId(), r));
          }
        });
      }
    }
    return List.copyOf(byId.values());
  }

  /** Creates the next records branch with {@code record} added, then deletes the older ones. */
  void record(DrillRecord record) {
    List<NeonBranch> older = ops.client.branches().search(ops.projectId, PREFIX).stream().filter(b -> b.name().startsWith(PREFIX)).toList();
    List<DrillRecord> records = new ArrayList<>(all());
    records.add(record);
    Map<String, String> annotations = new LinkedHashMap<>();
    for (DrillRecord r : kept(records)) {
      annotations.put(KEY + r.drillId(), format(r));
    }
    NeonBranch parent = ops.defaultBranch();
    String name = ops.freeName(PREFIX, ops.clock.instant(), Set.of());
    NeonBranch created = ops.client.branches().create(ops.projectId,
        new BranchSpec(name, parent.id(), null, null, null, false, annotations)).branch();
    LOG.info("Drill {} recorded on Neon branch {} ({})", record.drillId(), name, created.id());
    for (NeonBranch b : older) {
      try {
        ops.client.branches().delete(ops.projectId, b.id());
      } catch (LifeboatException e) {
        LOG.warn("Could not delete the older drill records branch {}: {}; the next drill tries again.", b.name(), e.getMessage());
      }
    }
  }

  /** The newest {@value #KEPT} records, and the newest passed one even when it is older. */
  static List<DrillRecord> kept(List<DrillRecord> records) {
    List<DrillRecord> newestFirst = new ArrayList<>(records);
    newestFirst.sort(Comparator.comparing(DrillRecord::finishedAt).thenComparing(DrillRecord::drillId).reversed());
    List<DrillRecord> kept = new ArrayList<>(newestFirst.subList(0, Math.min(KEPT, newestFirst.size())));
    if (kept.stream().noneMatch(DrillRecord::passed)) {
      newestFirst.stream().filter(DrillRecord::passed).findFirst().ifPresent(p -> kept.set(kept.size() - 1, p));
    }
    return kept;
  }

  /** {@code passed|failed FINISHED_AT SNAPSHOT_ID}: the snapshot id last, as it may hold anything. */
  static String format(DrillRecord r) {
    return (r.passed() ? "passed" : "failed") + " " + r.finishedAt() + " " + r.snapshotId();
  }

  static java.util.Optional<DrillRecord> parse(String drillId, String value) {
    String[] parts = value.split(" ", 3);
    if (parts.length != 3 || !(parts[0].equals("passed") || parts[0].equals("failed"))) {
      LOG.warn("Ignoring drill record {}: '{}' is not 'passed|failed FINISHED_AT SNAPSHOT_ID'", drillId, value);
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(new DrillRecord(drillId, parts[2], parts[0].equals("passed"), Instant.parse(parts[1])));
    } catch (DateTimeParseException e) {
      LOG.warn("Ignoring drill record {}: its time '{}' is not an instant", drillId, parts[1]);
      return java.util.Optional.empty();
    }
  }
}
