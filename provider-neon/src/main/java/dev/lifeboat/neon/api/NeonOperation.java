package dev.lifeboat.neon.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Set;

/**
 * A Neon operation: the unit of work behind a mutating call.
 *
 * @param id the operation id (a UUID)
 * @param projectId the project
 * @param branchId the branch it works on, if any
 * @param endpointId the endpoint it works on, if any
 * @param action what it does, e.g. {@code create_branch}
 * @param status {@code scheduling}, {@code running}, {@code finished}, {@code failed}, {@code error},
 *     {@code cancelling}, {@code cancelled}, {@code skipped}
 * @param error the error text when it failed
 * @param failuresCount how often Neon retried it
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NeonOperation(
    String id,
    String projectId,
    String branchId,
    String endpointId,
    String action,
    String status,
    String error,
    int failuresCount,
    Instant createdAt,
    Instant updatedAt) {

  private static final Set<String> SUCCEEDED = Set.of("finished", "skipped");
  private static final Set<String> FAILED = Set.of("failed", "error", "cancelled");

  /** Finished or skipped. */
  public boolean succeeded() {
    return SUCCEEDED.contains(status);
  }

  /** Failed, errored or cancelled. */
  public boolean failed() {
    return FAILED.contains(status);
  }

  /** Whether it will not change any more. */
  public boolean terminal() {
    return succeeded() || failed();
  }
}
