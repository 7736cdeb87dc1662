package dev.lifeboat.notify;

import dev.lifeboat.LifeboatEvent;
import dev.lifeboat.LifeboatEvent.Phase;
import java.util.Optional;

/**
 * The names notifications carry (Standard Webhooks' {@code type}), and the one mapping from an
 * operation's event to them. A failed run is {@code <operation>.failed}; a run that finished but
 * whose checks did not pass ({@link LifeboatEvent#passed()} false) is a failure too, except a
 * health check, which is {@code health.unhealthy}. Starts and healthy health checks notify nobody.
 */
public final class EventTypes {
  public static final String BACKUP_SUCCEEDED = "backup.succeeded";
  public static final String BACKUP_FAILED = "backup.failed";
  public static final String RESTORE_SUCCEEDED = "restore.succeeded";
  public static final String RESTORE_FAILED = "restore.failed";
  public static final String VERIFY_PASSED = "verify.passed";
  public static final String VERIFY_FAILED = "verify.failed";
  public static final String DRILL_PASSED = "drill.passed";
  public static final String DRILL_FAILED = "drill.failed";
  public static final String PRUNE_COMPLETED = "prune.completed";
  public static final String PRUNE_FAILED = "prune.failed";
  public static final String HEALTH_UNHEALTHY = "health.unhealthy";
  public static final String HEALTH_FAILED = "health.failed";

  private EventTypes() {}

  /** The notification type of an event, or empty when the event notifies nobody. */
  public static Optional<String> of(LifeboatEvent event) {
    String op = event.operation();
    if (event.phase() == Phase.STARTED) {
      return Optional.empty();
    }
    if (event.phase() == Phase.FAILED) {
      return Optional.of(op + ".failed");
    }
    return switch (op) {
      case "health" -> event.passed() ? Optional.empty() : Optional.of(HEALTH_UNHEALTHY);
      case "verify", "drill" -> Optional.of(op + (event.passed() ? ".passed" : ".failed"));
      // A prune that could not delete a snapshot exits 1: receivers filtering on .failed must see it.
      case "prune" -> Optional.of(event.passed() ? PRUNE_COMPLETED : PRUNE_FAILED);
      default -> Optional.of(op + (event.passed() ? ".succeeded" : ".failed"));
    };
  }

  /** Whether an event ends its operation well (for heartbeats: success rather than {@code /fail}). */
  public static boolean isSuccess(LifeboatEvent event) {
    return event.phase() == Phase.SUCCEEDED && event.passed();
  }
}
