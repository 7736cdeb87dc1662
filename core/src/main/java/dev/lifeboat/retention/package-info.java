/**
 * Retention: which snapshots a keep policy keeps and which it removes, as a pure calculation.
 *
 * <p>{@link dev.lifeboat.retention.Retention#plan Retention.plan} takes every snapshot of one store
 * as a {@link dev.lifeboat.retention.RetentionCandidate}, a {@link dev.lifeboat.retention.RetentionPolicy}
 * and the current time, and returns a {@link dev.lifeboat.retention.PrunePlan}: what is kept (with
 * every rule that keeps it), what is removed, and which damaged snapshots were left alone. It reads
 * no store and deletes nothing; carrying out the plan is the caller's job.
 *
 * <p>The rules are those of restic's {@code forget}: the newest snapshot of each hour, day, ISO
 * week, month or year (in UTC) is kept, a count of N covers the N newest periods that have a
 * snapshot, the rules are combined by union, a rule with count left over also keeps the oldest
 * snapshot, and "keep within" is measured back from the newest snapshot rather than from now.
 * Lifeboat adds rails restic does not have: the newest snapshot, the newest snapshot whose restore
 * drill passed, damaged snapshots and snapshots labelled {@code keep=forever} are never removed,
 * and a policy without any rule is refused instead of removing everything.
 */
package dev.lifeboat.retention;
