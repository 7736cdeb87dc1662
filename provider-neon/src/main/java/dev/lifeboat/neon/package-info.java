/**
 * Lifeboat's Neon provider: {@link dev.lifeboat.neon.NeonProvider} (the ServiceLoader entry),
 * {@code NeonClient} (the API client, internal), {@link dev.lifeboat.neon.NeonSnapshotTarget}
 * (backup branches as snapshots), {@link dev.lifeboat.neon.NeonBranching} (throwaway branches),
 * {@link dev.lifeboat.neon.NeonBackupPruner} and {@link dev.lifeboat.neon.NeonHealth}.
 */
package dev.lifeboat.neon;
