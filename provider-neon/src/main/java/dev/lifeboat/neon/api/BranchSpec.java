package dev.lifeboat.neon.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A branch to create.
 *
 * @param name the new branch's name (required: retries rely on it)
 * @param parentId the parent branch id, or {@code null} for the project's default branch
 * @param parentTimestamp the parent's past instant, or {@code null} for its head
 * @param parentLsn the parent's LSN, or {@code null}; not together with a timestamp
 * @param expiresAt when Neon should delete it by itself, or {@code null}
 * @param readWriteEndpoint whether to give it a read-write compute (needed to connect)
 * @param annotations Neon annotations to attach (string values, at most 50)
 */
public record BranchSpec(
    String name,
    String parentId,
    Instant parentTimestamp,
    String parentLsn,
    Instant expiresAt,
    boolean readWriteEndpoint,
    Map<String, String> annotations) {

  public BranchSpec {
    Objects.requireNonNull(name, "name");
    if (parentTimestamp != null && parentLsn != null) {
      throw new IllegalArgumentException("Give a parent timestamp or an LSN, not both");
    }
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }
}
