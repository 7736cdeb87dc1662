/**
 * Lifeboat's Neon provider: {@link dev.lifeboat.neon.NeonProvider} (the ServiceLoader entry),
 * {@link dev.lifeboat.neon.NeonClient} (the API client), {@link dev.lifeboat.neon.NeonSnapshotTarget}
 * (backup branches as snapshots), {@link dev.lifeboat.neon.NeonBranching} (throwaway branches),
 * {@link dev.lifeboat.neon.NeonBackupPruner} and {@link dev.lifeboat.neon.NeonHealth}.
 */
package dev.lifeboat.neon;
