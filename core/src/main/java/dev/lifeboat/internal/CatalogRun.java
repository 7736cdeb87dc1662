package dev.lifeboat.internal;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Snapshot;
import dev.lifeboat.spi.SnapshotCatalog;
import java.util.List;

/** Listing, looking up and deleting snapshots; and how every run names the snapshot it works on. */
public final class CatalogRun {
  /** How a platform's point in time is named in its catalog: {@code pitr@INSTANT}. */
  private static final String POINT_IN_TIME = "pitr@";
  private final ProviderRegistry registry;

  public CatalogRun(ProviderRegistry registry) {
    this.registry = registry;
  }

  public List<Snapshot> list(Location target) {
    try (SnapshotCatalog catalog = registry.snapshots(target)) {
      return catalog.list();
    }
  }

  public Snapshot snapshot(Location target, String idOrLatest) {
    try (SnapshotCatalog catalog = registry.snapshots(target)) {
      return resolve(catalog, idOrLatest);
    }
  }

  public void delete(Location target, String idOrLatest) {
    try (SnapshotCatalog catalog = registry.snapshots(target)) {
      catalog.delete(resolve(catalog, idOrLatest).id());
    }
  }

  /**
   * The snapshot named by an id or {@code latest}. An empty name is refused; {@code latest} is the
   * newest snapshot and never passes over a damaged one to an older snapshot.
   */
  static Snapshot resolve(SnapshotCatalog catalog, String idOrLatest) {
    SnapshotSelector.require(idOrLatest);
    Location where = catalog.location();
    if (SnapshotSelector.isLatest(idOrLatest)) {
      Snapshot newest = catalog.latest().orElseThrow(() -> new LifeboatException(ErrorCode.NOT_FOUND,
          "Target " + where + " holds no snapshots yet. Take one with 'lifeboat backup'."));
      if (newest.isDamaged()) {
        throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
            "The newest snapshot in " + where + ", " + newest.id() + ", is damaged: " + newest.damage()
                + ". 'latest' does not pass over it to an older snapshot: name the snapshot to use by its id"
                + " (see 'lifeboat list --target " + where + "'), or delete " + newest.id() + ".");
      }
      return newest;
    }
    return catalog.get(idOrLatest).orElseThrow(() -> idOrLatest.startsWith(POINT_IN_TIME)
        // restore --at names no snapshot id: say that this target keeps no point-in-time history.
        ? new LifeboatException(ErrorCode.NOT_FOUND, "Target " + where + " has no point in time "
            + idOrLatest.substring(POINT_IN_TIME.length()) + ": only a platform's own history (such as a Supabase project's"
            + " PITR window, supabase://PROJECT_REF) has points in time. Restore a snapshot with --snapshot ID or latest instead.")
        : new LifeboatException(ErrorCode.NOT_FOUND,
        "No snapshot '" + idOrLatest + "' in " + where + ". Run 'lifeboat list --target " + where
            + "' to see the ids, or use 'latest'."));
  }

  /** The snapshot named by {@code idOrLatest}, refused when damaged: it cannot be restored or verified. */
  static Snapshot intact(SnapshotCatalog catalog, String idOrLatest) {
    Snapshot snapshot = resolve(catalog, idOrLatest);
    if (snapshot.isDamaged()) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
          "Snapshot " + snapshot.id() + " in " + catalog.location() + " is damaged: " + snapshot.damage()
              + ". It cannot be restored or verified; use another snapshot (see 'lifeboat list --target "
              + catalog.location() + "') or delete this one.");
    }
    return snapshot;
  }
}
