package dev.lifeboat.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.LifeboatEvent;
import dev.lifeboat.LifeboatEvent.Data;
import dev.lifeboat.LifeboatEvent.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One mapping from operation and phase (and whether the checks passed) to the notification types. */
class EventTypesTest {
  static LifeboatEvent event(String op, Phase phase, Map<String, Object> data) {
    return new LifeboatEvent("run-1", op, phase, null, "file:/b", null, Instant.EPOCH, Duration.ZERO,
        phase == Phase.FAILED ? "boom" : null, data);
  }

  @Test
  void mapsEveryOperationAndPhase() {
    assertThat(EventTypes.of(event("backup", Phase.STARTED, Map.of()))).isEmpty();
    assertThat(EventTypes.of(event("backup", Phase.SUCCEEDED, Map.of()))).contains(EventTypes.BACKUP_SUCCEEDED);
    assertThat(EventTypes.of(event("backup", Phase.FAILED, Map.of()))).contains(EventTypes.BACKUP_FAILED);
    assertThat(EventTypes.of(event("restore", Phase.SUCCEEDED, Map.of()))).contains(EventTypes.RESTORE_SUCCEEDED);
    assertThat(EventTypes.of(event("restore", Phase.SUCCEEDED, Map.of(Data.PASSED, false))))
        .as("a restore whose verification failed").contains(EventTypes.RESTORE_FAILED);
    assertThat(EventTypes.of(event("restore", Phase.FAILED, Map.of()))).contains(EventTypes.RESTORE_FAILED);
    assertThat(EventTypes.of(event("verify", Phase.SUCCEEDED, Map.of(Data.PASSED, true)))).contains(EventTypes.VERIFY_PASSED);
    assertThat(EventTypes.of(event("verify", Phase.SUCCEEDED, Map.of(Data.PASSED, false)))).contains(EventTypes.VERIFY_FAILED);
    assertThat(EventTypes.of(event("drill", Phase.SUCCEEDED, Map.of(Data.PASSED, true)))).contains(EventTypes.DRILL_PASSED);
    assertThat(EventTypes.of(event("drill", Phase.SUCCEEDED, Map.of(Data.PASSED, false)))).contains(EventTypes.DRILL_FAILED);
    assertThat(EventTypes.of(event("drill", Phase.FAILED, Map.of()))).contains(EventTypes.DRILL_FAILED);
    assertThat(EventTypes.of(event("prune", Phase.SUCCEEDED, Map.of()))).contains(EventTypes.PRUNE_COMPLETED);
    assertThat(EventTypes.of(event("prune", Phase.SUCCEEDED, Map.of(Data.PASSED, false))))
        .as("a prune that could not delete a snapshot").contains(EventTypes.PRUNE_FAILED);
    assertThat(EventTypes.of(event("health", Phase.SUCCEEDED, Map.of(Data.PASSED, true)))).isEqualTo(Optional.empty());
    assertThat(EventTypes.of(event("health", Phase.SUCCEEDED, Map.of(Data.PASSED, false)))).contains(EventTypes.HEALTH_UNHEALTHY);
  }

  @Test
  void aPruneSummaryCountsDeletedSnapshotsNotRows() {
    LifeboatEvent prune = event("prune", Phase.SUCCEEDED, Map.of(Data.ITEMS, 3, Data.PASSED, true));
    LifeboatEvent restore = event("restore", Phase.SUCCEEDED, Map.of(Data.ITEMS, 1));

    assertThat(Summary.of(EventTypes.PRUNE_COMPLETED, prune)).isEqualTo("prune.completed · target file:/b · 3 snapshots deleted, 0.0 s");
    assertThat(Summary.of(EventTypes.RESTORE_SUCCEEDED, restore)).isEqualTo("restore.succeeded · target file:/b · 1 row, 0.0 s");
  }
}
