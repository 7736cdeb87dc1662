/**
 * The provider SPI. A database or storage module implements {@link dev.lifeboat.spi.LifeboatProvider}
 * and registers it with {@link java.util.ServiceLoader} (in {@code META-INF/services} and with
 * {@code provides} in its {@code module-info}); the provider hands out the parts it supports:
 * {@link dev.lifeboat.spi.BackupSource}, {@link dev.lifeboat.spi.SnapshotTarget},
 * {@link dev.lifeboat.spi.Restorer}, {@link dev.lifeboat.spi.RestoreVerifier} and
 * {@link dev.lifeboat.spi.Branching}. The contract tests in {@code lifeboat-tck} say when an
 * implementation is correct.
 */
package dev.lifeboat.spi;
