package dev.lifeboat.internal;

import dev.lifeboat.LifeboatEvent.Data;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.Verification;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The facts a succeeded run's result gives its event ({@link dev.lifeboat.LifeboatEvent#data()}).
 * New operations add their result type here, so notifications learn about them in one place.
 */
final class EventData {
  private EventData() {}

  static Map<String, Object> of(Object result) {
    Map<String, Object> data = new LinkedHashMap<>();
    if (result instanceof Snapshot s) {
      data.put(Data.FORMAT, s.manifest().format());
      data.put(Data.BYTES, s.manifest().size());
      data.put(Data.TABLES, s.manifest().inventory().items().size());
      data.put(Data.ITEMS, s.manifest().inventory().totalCount());
    } else if (result instanceof RestoreResult r) {
      data.put(Data.FORMAT, r.format());
      data.put(Data.TABLES, r.restored().size());
      r.verified().ifPresent(v -> verification(v, data));
    } else if (result instanceof Verification v) {
      verification(v, data);
    } else if (result instanceof dev.lifeboat.PruneResult r) {
      data.put(Data.ITEMS, r.deleted().size());
      data.put(Data.PASSED, r.failures().isEmpty());
    } else if (result instanceof dev.lifeboat.HealthReport h) {
      data.put(Data.PASSED, h.healthy());
      data.put(Data.FAILED_CHECKS, h.checks().stream().filter(c -> !c.passed()).count());
    } else if (result instanceof dev.lifeboat.DrillReport d) {
      // A drill that ran to its end "succeeds" as a run; whether it passed is what a listener needs.
      data.put(Data.PASSED, d.passed());
      data.put(Data.FAILED_CHECKS, d.checks().stream().filter(c -> !c.passed()).count());
      if (d.sizeBytes() != null) {
        data.put(Data.BYTES, d.sizeBytes());
      }
      if (d.rows() != null) {
        data.put(Data.ITEMS, d.rows());
      }
    }
    return data;
  }

  private static void verification(Verification v, Map<String, Object> data) {
    data.put(Data.PASSED, v.passed());
    data.put(Data.FAILED_CHECKS, v.failures().size());
  }
}
