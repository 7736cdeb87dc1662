/**
 * The provider SPI, by capability. A database, storage or platform module implements
 * {@link dev.lifeboat.spi.LifeboatProvider} and registers it with {@link java.util.ServiceLoader}
 * (in {@code META-INF/services} and with {@code provides} in its {@code module-info}); the
 * provider hands out the parts it supports:
 *
 * <ul>
 *   <li>databases: {@link dev.lifeboat.spi.BackupSource} (with {@link dev.lifeboat.spi.Dump}),
 *       {@link dev.lifeboat.spi.Restorer} (fed a checked {@link dev.lifeboat.spi.Archive} in a
 *       {@link dev.lifeboat.spi.RestoreJob}), {@link dev.lifeboat.spi.RestoreVerifier};
 *   <li>archive storage: {@link dev.lifeboat.spi.BlobStore} (put/get/list/delete of
 *       {@link dev.lifeboat.spi.Blob}s); core turns it into a {@link dev.lifeboat.spi.SnapshotTarget}
 *       with one commit protocol ({@link dev.lifeboat.spi.PendingSnapshot});
 *   <li>platforms: {@link dev.lifeboat.spi.NativeSnapshots} (the platform's own snapshots),
 *       {@link dev.lifeboat.spi.DatabasePlatform} (a platform location resolved to the direct
 *       database behind it, a {@link dev.lifeboat.spi.ResolvedDatabase}) and
 *       {@link dev.lifeboat.spi.Branching}.
 * </ul>
 *
 * <p>{@link dev.lifeboat.spi.SnapshotTarget} and {@link dev.lifeboat.spi.NativeSnapshots} are both
 * a {@link dev.lifeboat.spi.SnapshotCatalog}. A provider gets its settings, secrets
 * ({@link dev.lifeboat.spi.SecretResolver}) and clock from the
 * {@link dev.lifeboat.spi.ProviderContext}. The value types these interfaces trade in live in
 * {@code dev.lifeboat}. The contract tests in {@code lifeboat-tck} say when an implementation is
 * correct.
 */
package dev.lifeboat.spi;
