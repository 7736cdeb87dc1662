package dev.lifeboat.neon.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A Neon branch as the API reports it (the fields Lifeboat uses).
 *
 * @param id the branch id, {@code br-…}
 * @param projectId the project id
 * @param parentId the parent branch id, or {@code null} for a root branch
 * @param parentLsn the parent's LSN the branch starts from
 * @param parentTimestamp the parent's instant the branch starts from
 * @param name the branch name
 * @param currentState {@code init}, {@code resetting}, {@code ready}, {@code archived}
 * @param pendingState the state it is moving to, if any
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param expiresAt when Neon deletes it by itself, or {@code null}
 * @param isDefault whether it is the project's default branch
 * @param isProtected whether it is protected
 * @param logicalSize its logical size in bytes, when reported
 * @param lastResetAt when it was last restored or reset
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NeonBranch(
    String id,
    String projectId,
    String parentId,
    String parentLsn,
    Instant parentTimestamp,
    String name,
    String currentState,
    String pendingState,
    Instant createdAt,
    Instant updatedAt,
    Instant expiresAt,
    @JsonProperty("default") boolean isDefault,
    @JsonProperty("protected") boolean isProtected,
    Long logicalSize,
    Instant lastResetAt) {

  /** Whether Neon reports the branch as ready to use. */
  public boolean ready() {
    return "ready".equals(currentState) && (pendingState == null || "ready".equals(pendingState));
  }
}
