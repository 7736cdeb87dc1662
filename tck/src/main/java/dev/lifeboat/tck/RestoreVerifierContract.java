package dev.lifeboat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.Check;
import dev.lifeboat.Expectation;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.Verification;
import dev.lifeboat.VerifyRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of a provider's {@link dev.lifeboat.spi.RestoreVerifier}, driven through
 * {@link dev.lifeboat.Lifeboat#verify}: after a faithful restore every check passes and every
 * counted inventory item has a check of its own; after one record is removed the verification
 * fails (as a result, not an exception) and the failing check names that item with the expected
 * and the actual count; an expectation the verifier cannot evaluate is a failed check.
 *
 * <p>Implement {@link #sourceLocation()}, {@link #freshDestination()} and
 * {@link #removeOneRecord(Location, InventoryItem)}; see {@link LiveDatabaseContract} for the
 * lifecycle. The source must hold at least one counted item with at least one record.
 */
public abstract class RestoreVerifierContract extends LiveDatabaseContract {
  private Location faithful;

  /**
   * A destination that does not exist yet (or is empty), different on every call; the provider's
   * restorer loads the snapshot into it.
   */
  protected abstract Location freshDestination();

  /**
   * Deletes exactly one record (row or document) of {@code item} in {@code destination}, with the
   * database's own client. {@code item} is named as in the source's manifest
   * ({@link InventoryItem#namespace()} is the source's schema or database).
   */
  protected abstract void removeOneRecord(Location destination, InventoryItem item);

  /**
   * The item {@link #removeOneRecord} is applied to: by default the first item (by qualified name)
   * that has records. Override it when that item's records cannot be deleted on their own, for
   * example rows a foreign key refers to.
   */
  protected InventoryItem itemToTamperWith(Manifest manifest) {
    return manifest.inventory().items().stream().filter(i -> i.count() > 0).findFirst()
        .orElseThrow(() -> new AssertionError("the source's manifest has no item with records: seed at least one"));
  }

  @Test
  void aFaithfulRestorePassesWithACheckForEveryItem() {
    Snapshot s = sharedBackup();
    Verification v = lifeboat().verify(VerifyRequest.builder(sharedBackupTarget(), s.id()).destination(faithfulRestore()).build());

    assertThat(v.passed()).as("%s", v).isTrue();
    assertThat(v.snapshotId()).isEqualTo(s.id());
    assertNoSourcePassword("Verification.toString()", v.toString());
    for (InventoryItem item : s.manifest().inventory().items()) {
      if (item.counted()) {
        assertThat(v.checks()).as("a check names %s", item.qualifiedName())
            .anyMatch(c -> c.name().contains(item.name()) && c.status() == Check.Status.PASSED);
      }
    }
  }

  @Test
  void aMissingRecordFailsTheCheckThatNamesItsItem() {
    Snapshot s = sharedBackup();
    InventoryItem item = itemToTamperWith(s.manifest());
    Location destination = freshDestination();
    lifeboat().restore(RestoreRequest.builder(sharedBackupTarget(), s.id(), destination).build());
    removeOneRecord(destination, item);

    Verification v = lifeboat().verify(VerifyRequest.builder(sharedBackupTarget(), s.id()).destination(destination).build());

    assertThat(v.passed()).as("%s", v).isFalse();
    List<Check> failures = v.failures();
    assertThat(failures).as("failed checks of%n%s", v).anySatisfy(c -> assertThat(c.name() + " " + c.detail())
        .contains(item.name())
        .contains(Long.toString(item.count()))
        .contains(Long.toString(item.count() - 1)));
  }

  @Test
  void anExpectationThatCannotBeEvaluatedIsAFailedCheck() {
    Snapshot s = sharedBackup();
    Verification v = lifeboat().verify(VerifyRequest.builder(sharedBackupTarget(), s.id()).destination(faithfulRestore())
        .expect(Expectation.freshWithin("tck_no_such_table", "tck_no_such_column", Duration.ofHours(1))).build());

    assertThat(v.passed()).as("%s", v).isFalse();
    assertThat(v.failures()).as("failed checks of%n%s", v).singleElement()
        .satisfies(c -> assertThat(c.name() + " " + c.detail()).contains("tck_no_such_table"));
  }

  /** A destination holding a faithful restore of {@link #sharedBackup()}, made once per test class. */
  protected final synchronized Location faithfulRestore() {
    if (faithful == null) {
      Location destination = freshDestination();
      lifeboat().restore(RestoreRequest.builder(sharedBackupTarget(), sharedBackup().id(), destination).build());
      faithful = destination;
    }
    return faithful;
  }
}
