/**
 * Lifeboat's Neon provider. Public: {@link dev.lifeboat.neon.NeonProvider} (the ServiceLoader
 * entry), {@link dev.lifeboat.neon.NeonBranching} (throwaway branches), and what it hands out,
 * {@link dev.lifeboat.neon.NeonBackupPruner} and {@link dev.lifeboat.neon.NeonHealth}. Everything
 * else is internal: the API client ({@code NeonClient} and its layers), the platform that resolves
 * a branch to its PostgreSQL database ({@code NeonPlatform}), the backup branches as native
 * snapshots ({@code NeonNativeSnapshots}) and their verifier ({@code NeonBranchVerifier}).
 */
package dev.lifeboat.neon;
