package dev.lifeboat.internal;

import dev.lifeboat.LifeboatEvent;
import dev.lifeboat.LifeboatEvent.Phase;
import dev.lifeboat.LifeboatListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that emits {@link LifeboatEvent}s: every run goes through {@link #run}, which
 * reports it started, then that it succeeded or failed, with its snapshot id and timings. A
 * listener that throws is logged and never changes the run's outcome.
 */
public final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);
  private final List<LifeboatListener> listeners;
  private final Clock clock;

  public Events(List<LifeboatListener> listeners, Clock clock) {
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
  }

  /** What a run reports while it works: the snapshot's id once it is known. */
  public static final class Scope {
    private volatile String snapshotId;

    /** The snapshot the run works on (for the success or failure event). */
    public void snapshot(String id) {
      snapshotId = id;
    }
  }

  /**
   * Runs {@code work} as operation {@code operation} on the store {@code target}.
   *
   * @param idOf the snapshot id of the run's result
   */
  public <T> T run(String operation, String target, Function<Scope, T> work, Function<T, String> idOf) {
    return run(operation, target, null, work, idOf);
  }

  /**
   * Runs {@code work} as operation {@code operation} on the store {@code target} and the database
   * {@code database} (redacted; {@code null} when there is none).
   *
   * @param idOf the snapshot id of the run's result
   */
  public <T> T run(String operation, String target, String database, Function<Scope, T> work, Function<T, String> idOf) {
    Scope scope = new Scope();
    String runId = UUID.randomUUID().toString();
    Instant start = clock.instant();
    long started = System.nanoTime();
    emit(new LifeboatEvent(runId, operation, Phase.STARTED, null, target, database, start, Duration.ZERO, null, Map.of()));
    T result;
    try {
      result = work.apply(scope);
    } catch (RuntimeException | Error e) {
      emit(new LifeboatEvent(runId, operation, Phase.FAILED, scope.snapshotId, target, database, clock.instant(),
          Duration.ofNanos(System.nanoTime() - started), String.valueOf(e.getMessage()), Map.of()));
      throw e;
    }
    String id = idOf.apply(result);
    emit(new LifeboatEvent(runId, operation, Phase.SUCCEEDED, id != null ? id : scope.snapshotId, target, database,
        clock.instant(), Duration.ofNanos(System.nanoTime() - started), null, EventData.of(result)));
    return result;
  }

  private void emit(LifeboatEvent event) {
    for (LifeboatListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("A Lifeboat listener failed on {} {} and was ignored: {}", event.operation(), event.phase(), e.toString());
      }
    }
  }
}
