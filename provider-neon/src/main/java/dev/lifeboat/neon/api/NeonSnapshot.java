package dev.lifeboat.neon.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A Neon snapshot (beta): a point-in-time copy of a root branch. Times are kept as Neon sends them.
 *
 * @param id the snapshot id
 * @param name its unique name
 * @param lsn the LSN it holds
 * @param timestamp the instant it holds
 * @param sourceBranchId the branch it was taken from
 * @param createdAt when it was taken
 * @param expiresAt when Neon deletes it, if ever
 * @param manual whether it was taken by hand (not by a schedule)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NeonSnapshot(
    String id,
    String name,
    String lsn,
    String timestamp,
    String sourceBranchId,
    String createdAt,
    String expiresAt,
    Boolean manual) {}
