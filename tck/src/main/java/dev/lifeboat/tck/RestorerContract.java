package dev.lifeboat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.Check;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.Verification;
import dev.lifeboat.VerifyRequest;
import dev.lifeboat.Compression;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.SnapshotIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of a provider's {@link dev.lifeboat.spi.Restorer}, driven through
 * {@link dev.lifeboat.Lifeboat#restore}: a backup of {@link #sourceLocation()} restored into a fresh
 * destination holds every record and passes the provider's verifier; a non-empty destination, the
 * source itself and a corrupt or unreadable archive are all refused before the destination changes.
 *
 * <p>Implement {@link #sourceLocation()}, {@link #freshDestination()},
 * {@link #nonEmptyDestination()} and {@link #countRecords(Location)}; see
 * {@link LiveDatabaseContract} for the lifecycle.
 *
 * <pre>{@code
 * class PgRestorerTest extends RestorerContract {
 *   // static EmbeddedPostgres pg, started in a static @BeforeAll, seeded with a few tables
 *   protected Location sourceLocation() { return Location.parse(pg.getJdbcUrl("postgres", "shop")); }
 *   protected Location freshDestination() { return Location.parse(pg.getJdbcUrl("postgres", "restored_" + n.incrementAndGet())); }
 *   protected Location nonEmptyDestination() { ... CREATE DATABASE busy; CREATE TABLE t(x int); INSERT 1 row; return its URL ... }
 *   protected Map<String, Long> countRecords(Location db) { ... count(*) of every table of db, {} if db does not exist ... }
 * }
 * }</pre>
 */
public abstract class RestorerContract extends LiveDatabaseContract {

  /**
   * A destination that does not exist yet (or exists and is empty), different on every call: a new
   * database name on the test server. The restorer is expected to create it if needed.
   */
  protected abstract Location freshDestination();

  /**
   * A destination that already holds at least one table or collection with at least one record,
   * and is not the source. Called once per test that needs it; returning the same one each time is
   * fine (the contract never changes it when the restorer behaves).
   */
  protected abstract Location nonEmptyDestination();

  /**
   * The exact record counts of every table or collection in {@code destination} (at least every
   * kind of item your inventory counts: tables, partitions, materialized views), read with the
   * database's own client (JDBC, the MongoDB driver), not through Lifeboat. Keys are named as the
   * manifest's inventory names items ({@link dev.lifeboat.InventoryItem#qualifiedName()}: for
   * PostgreSQL {@code schema.table}; for MongoDB the source's {@code database.collection}, even when
   * restored under another database name). Returns an empty map when the destination does not exist
   * or holds no tables or collections; never throws for a missing destination.
   */
  protected abstract Map<String, Long> countRecords(Location destination);

  /**
   * The name that confirms a restore onto {@code source} itself ({@link RestoreOptions#confirm()}):
   * by default the database name the snapshot's fingerprint records.
   */
  protected String confirmationFor(Location source, Manifest manifest) {
    return manifest.source().database();
  }

  @Test
  void aRestoreIntoAFreshDestinationLoadsEveryRecordAndVerifies() {
    Snapshot s = sharedBackup();
    Location destination = freshDestination();
    RestoreResult result = lifeboat().restore(RestoreRequest.builder(sharedBackupTarget(), s.id(), destination).verify().build());

    assertThat(result.snapshotId()).isEqualTo(s.id());
    assertThat(result.format()).isEqualTo(s.manifest().format());
    assertThat(result.elapsed()).isNotNull();
    assertNoSourcePassword("RestoreResult.toString()", result.toString());
    assertNoSourcePassword("RestoreResult.destination()", result.destination());
    Verification v = result.verified().orElseThrow(() -> new AssertionError("verify() was asked for but no verification is attached"));
    assertThat(v.passed()).as("verification after restore:%n%s", v).isTrue();
    assertThat(countRecords(destination))
        .as("records in the restored destination, counted by the test")
        .containsAllEntriesOf(countedItems(s.manifest()));
  }

  @Test
  void latestRestoresTheNewestSnapshot() {
    Snapshot s = sharedBackup();
    Location destination = freshDestination();
    RestoreResult result = lifeboat().restore(RestoreRequest.builder(sharedBackupTarget(), "latest", destination).build());
    assertThat(result.snapshotId()).isEqualTo(s.id());
    assertThat(countRecords(destination)).containsAllEntriesOf(countedItems(s.manifest()));
  }

  @Test
  void aNonEmptyDestinationIsRefusedAndLeftUnchanged() {
    Snapshot s = sharedBackup();
    Location busy = nonEmptyDestination();
    Map<String, Long> before = countRecords(busy);
    assertThat(before).as("nonEmptyDestination() holds records").isNotEmpty();
    assertThat(before.values()).as("nonEmptyDestination() holds records").anyMatch(n -> n > 0);

    LifeboatException e = expectFailure(ErrorCode.DESTINATION_NOT_EMPTY,
        () -> lifeboat().restore(RestoreRequest.builder(sharedBackupTarget(), s.id(), busy).build()));

    assertThat(e.getMessage()).as("the message says how to go on").isNotBlank();
    assertThat(countRecords(busy)).isEqualTo(before);
  }

  @Test
  void theSourceItselfIsRefusedUnlessConfirmedByName() {
    Snapshot s = sharedBackup();
    Location source = sourceLocation();
    Map<String, Long> before = countRecords(source);

    LifeboatException e = expectFailure(ErrorCode.PROTECTED_DESTINATION,
        () -> lifeboat().restore(RestoreRequest.builder(sharedBackupTarget(), s.id(), source).build()));
    assertNoSourcePassword("the refusal", e.getMessage());
    expectFailure(ErrorCode.PROTECTED_DESTINATION, () -> lifeboat().restore(RestoreRequest.builder(sharedBackupTarget(), s.id(), source)
        .options(RestoreOptions.builder().confirm("not-" + confirmationFor(source, s.manifest())).replace(false).build()).build()));
    assertThat(countRecords(source)).isEqualTo(before);

    // With the right name the protection is lifted; the source still holds data, so without
    // replace the restorer must stop at the next gate and still change nothing.
    expectFailure(ErrorCode.DESTINATION_NOT_EMPTY, () -> lifeboat().restore(RestoreRequest.builder(sharedBackupTarget(), s.id(), source)
        .options(RestoreOptions.builder().confirm(confirmationFor(source, s.manifest())).build()).build()));
    assertThat(countRecords(source)).isEqualTo(before);
  }

  @Test
  void aFlippedByteIsRefusedBeforeTheDestinationChanges() {
    Snapshot s = sharedBackup();
    Location corrupt = corruptCopyOfSharedBackup();
    Location destination = freshDestination();

    expectFailure(ErrorCode.CHECKSUM_MISMATCH,
        () -> lifeboat().restore(RestoreRequest.builder(corrupt, s.id(), destination).build()));

    assertThat(countRecords(destination)).as("the destination after a refused restore").isEmpty();
  }

  @Test
  void bytesThatAreNotInTheFormatAreRefusedBeforeTheDestinationChanges() {
    Snapshot s = sharedBackup();
    Location target = newTargetLocation();
    String id = storeGarbageAs(target, s.manifest());
    Location destination = freshDestination();

    expectFailure(ErrorCode.CHECKSUM_MISMATCH,
        () -> lifeboat().restore(RestoreRequest.builder(target, id, destination).build()));

    assertThat(countRecords(destination)).as("the destination after a refused restore").isEmpty();
  }

  @Test
  void verifyingTheArchiveAloneChecksChecksumAndFormat() {
    Snapshot s = sharedBackup();
    Verification good = lifeboat().verify(VerifyRequest.builder(sharedBackupTarget(), s.id()).build());
    assertThat(good.passed()).as("%s", good).isTrue();
    assertThat(good.checks()).as("a provider that reads %s checks the archive, it does not skip it", s.manifest().format())
        .allMatch(c -> c.status() == Check.Status.PASSED);

    Verification flipped = lifeboat().verify(VerifyRequest.builder(corruptCopyOfSharedBackup(), s.id()).build());
    assertThat(flipped.passed()).as("%s", flipped).isFalse();

    Location target = newTargetLocation();
    String garbage = storeGarbageAs(target, s.manifest());
    Verification unreadable = lifeboat().verify(VerifyRequest.builder(target, garbage).build());
    assertThat(unreadable.passed()).as("%s", unreadable).isFalse();
    assertThat(unreadable.failures()).singleElement()
        .satisfies(c -> assertThat(c.name()).contains(s.manifest().format()));
  }

  /**
   * Stores bytes that are not an archive of any format, with a manifest that matches them (right
   * size and SHA-256) but otherwise copies {@code like}; returns the new snapshot's id.
   */
  private static String storeGarbageAs(Location target, Manifest like) {
    byte[] garbage = "This is not a database archive. ".repeat(64).getBytes(StandardCharsets.US_ASCII);
    String id = SnapshotIds.next(java.time.Instant.now());
    try (PendingSnapshot p = fileTarget(target).create(id, "archive." + like.format())) {
      p.output().write(garbage);
      p.commit(like.toBuilder().id(id).compression(Compression.NONE).size(garbage.length).sha256(sha256(garbage)).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return id;
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
