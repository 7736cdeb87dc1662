/**
 * The Lifeboat TCK: abstract JUnit 5 contract tests that say when a provider is correct, in the
 * style of Testcontainers' {@code jdbc-test}. A provider's test class extends one contract and
 * fills in a few hooks; every test of the contract then runs against the provider's real server.
 *
 * <h2>The contracts</h2>
 * <table>
 *   <caption>contracts and their hooks</caption>
 *   <tr><th>class</th><th>checks</th><th>hooks to implement</th></tr>
 *   <tr><td>{@link dev.lifeboat.tck.SnapshotTargetContract}</td>
 *       <td>a {@link dev.lifeboat.spi.SnapshotTarget} that stores archive bytes: core's commit protocol over
 *           a {@link dev.lifeboat.spi.BlobStore} ({@code SnapshotTarget.over(store)})</td>
 *       <td>{@code SnapshotTarget newTarget()}, {@code void corruptStoredBytes(SnapshotTarget, String id)},
 *           {@code void alterStoredManifest(SnapshotTarget, String id)}</td></tr>
 *   <tr><td>{@link dev.lifeboat.tck.BackupSourceContract}</td>
 *       <td>a {@link dev.lifeboat.spi.BackupSource}, backed up through the facade into a local folder</td>
 *       <td>{@code Location sourceLocation()}, {@code Map<String, Long> expectedCounts()},
 *           {@code String expectedKind()}, {@code Location unreachableSource()}</td></tr>
 *   <tr><td>{@link dev.lifeboat.tck.RestorerContract}</td>
 *       <td>a {@link dev.lifeboat.spi.Restorer}: faithful restore, refusals, corrupt archives</td>
 *       <td>{@code Location sourceLocation()}, {@code Location freshDestination()},
 *           {@code Location nonEmptyDestination()}, {@code Map<String, Long> countRecords(Location)}</td></tr>
 *   <tr><td>{@link dev.lifeboat.tck.RestoreVerifierContract}</td>
 *       <td>a {@link dev.lifeboat.spi.RestoreVerifier}: passes a faithful restore, names a missing record</td>
 *       <td>{@code Location sourceLocation()}, {@code Location freshDestination()},
 *           {@code void removeOneRecord(Location, InventoryItem)}</td></tr>
 *   <tr><td>{@link dev.lifeboat.tck.BranchingContract}</td>
 *       <td>a {@link dev.lifeboat.spi.Branching} platform through {@link dev.lifeboat.Branches}: create, list,
 *           connect, handles that delete on close, the protected branch refused</td>
 *       <td>{@code String platformLocation()}, {@code String protectedBranch()},
 *           {@code void assertConnectable(Location)}</td></tr>
 * </table>
 *
 * <p>The three database contracts extend {@link dev.lifeboat.tck.LiveDatabaseContract}, whose
 * optional hooks are {@code settings()}, {@code secrets()} and {@code dumpOptions()}. They run
 * with one test instance per class and take one backup of the source per class.
 *
 * <h2>Using it</h2>
 * Add {@code dev.lifeboat:lifeboat-tck} with scope {@code test} (and {@code junit-jupiter} to run
 * it), then:
 *
 * <pre>{@code
 * class PgDumpSourceContractTest extends BackupSourceContract {
 *   static EmbeddedPostgres pg;
 *
 *   @BeforeAll static void start() throws Exception { pg = EmbeddedPostgres.builder().start(); Seed.shop(pg); }
 *   @AfterAll static void stop() throws Exception { pg.close(); }
 *
 *   @Override protected Location sourceLocation() { return Location.parse("postgresql://postgres@localhost:" + pg.getPort() + "/shop"); }
 *   @Override protected Map<String, Long> expectedCounts() { return Map.of("public.customers", 3L, "public.orders", 5L); }
 *   @Override protected String expectedKind() { return "postgresql"; }
 *   @Override protected Location unreachableSource() { return Location.parse("postgresql://postgres:secret@localhost:1/shop"); }
 * }
 * }</pre>
 *
 * <p>To share one server between several contracts, nest them: a top-level class starts the server
 * in a static {@code @BeforeAll} and holds {@code @Nested class Source extends BackupSourceContract},
 * {@code @Nested class Restore extends RestorerContract} and so on.
 *
 * <p>A contract never skips: a missing server or tool fails the test. The provider must be on the
 * test class path (its {@code META-INF/services} entry is how the contracts find it).
 */
package dev.lifeboat.tck;
