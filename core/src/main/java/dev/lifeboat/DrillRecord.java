package dev.lifeboat;

import java.time.Instant;

/**
 * A drill as recorded beside the snapshots it proved, for health reports and retention (the
 * newest snapshot whose drill passed is never pruned).
 *
 * @param drillId the drill's id
 * @param snapshotId the drilled snapshot
 * @param passed whether the drill passed
 * @param finishedAt when it ended
 */
public record DrillRecord(String drillId, String snapshotId, boolean passed, Instant finishedAt) {}
