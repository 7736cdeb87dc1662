package dev.lifeboat.neon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.neon.api.NeonBranch;
import dev.lifeboat.neon.api.NeonOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Waits for what a mutating call started: its operations, then (for branches) the branch itself.
 * Polls first after {@code neon.operationPollInterval}, then half as long again each time up to
 * 5 s, and gives up with {@code TIMEOUT} after {@code neon.operationTimeout}. An operation that
 * failed, errored or was cancelled is a {@code REMOTE_API} error with its error text.
 */
final class OperationPoller {
  private static final Duration MAX_POLL = Duration.ofSeconds(5);

  private final NeonOperations operations;
  private final Duration timeout;
  private final Duration firstWait;

  OperationPoller(NeonOperations operations, NeonSettings settings) {
    this.operations = operations;
    this.timeout = settings.operationTimeout();
    this.firstWait = settings.operationPollInterval();
  }

  /** Waits for the operations a call's {@code answer} lists. */
  void awaitOperationsOf(String projectId, JsonNode answer) {
    await(projectId, NeonJson.readList(answer.path("operations"), NeonOperation.class));
  }

  /** Waits until every operation finished or was skipped. */
  void await(String projectId, List<NeonOperation> started) {
    Map<String, NeonOperation> pending = new LinkedHashMap<>();
    for (NeonOperation op : started) {
      checkNotFailed(op);
      if (!op.succeeded()) {
        pending.put(op.id(), op);
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration wait = firstWait;
    Duration cap = wait.compareTo(MAX_POLL) > 0 ? wait : MAX_POLL;
    while (!pending.isEmpty()) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        NeonOperation op = pending.values().iterator().next();
        throw new LifeboatException(ErrorCode.TIMEOUT,
            "Neon operation " + op.action() + " (" + op.id() + ") on project " + projectId
                + (op.branchId() == null ? "" : " branch " + op.branchId()) + " is still " + op.status() + " after "
                + NeonClient.human(timeout) + ". Check it in the Neon console, or raise neon.operationTimeout.");
      }
      sleep(Math.min(wait.toNanos(), remaining));
      for (String id : new ArrayList<>(pending.keySet())) {
        NeonOperation now = operations.get(projectId, id);
        checkNotFailed(now);
        if (now.succeeded()) {
          pending.remove(id);
        } else {
          pending.put(id, now);
        }
      }
      wait = Duration.ofMillis(Math.min(cap.toMillis(), wait.toMillis() * 3 / 2 + 1));
    }
  }

  /**
   * Polls {@code current} until Neon reports the branch ready.
   *
   * @param current reads the branch as Neon reports it now; empty when Neon no longer knows it
   */
  NeonBranch awaitReady(String projectId, String branchId, Supplier<Optional<NeonBranch>> current) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration wait = firstWait;
    while (true) {
      NeonBranch b = current.get().orElseThrow(() -> new LifeboatException(ErrorCode.REMOTE_API,
          "Neon branch " + branchId + " of project " + projectId + " disappeared while Lifeboat waited for it."));
      if (b.ready()) {
        return b;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw new LifeboatException(ErrorCode.TIMEOUT,
            "Neon branch " + b.name() + " (" + branchId + ") is still '" + b.currentState() + "' after "
                + NeonClient.human(timeout) + ". Check it in the Neon console, or raise neon.operationTimeout.");
      }
      sleep(Math.min(wait.toNanos(), remaining));
      wait = Duration.ofMillis(Math.min(MAX_POLL.toMillis(), wait.toMillis() * 3 / 2 + 1));
    }
  }

  private static void checkNotFailed(NeonOperation op) {
    if (op.failed()) {
      throw new LifeboatException(ErrorCode.REMOTE_API,
          "Neon operation " + op.action() + " (" + op.id() + ")" + (op.branchId() == null ? "" : " on branch " + op.branchId())
              + " " + op.status() + ": "
              + (op.error() == null || op.error().isBlank() ? "no error text" : ServerText.oneLine(op.error(), ServerText.MAX_MESSAGE))
              + ". Nothing more was changed; look at the operation in the Neon console and try again.");
    }
  }

  private static void sleep(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatException(ErrorCode.TIMEOUT, "Interrupted while waiting for Neon.");
    }
  }
}
