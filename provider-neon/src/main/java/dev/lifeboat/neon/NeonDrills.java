package dev.lifeboat.neon;

import dev.lifeboat.Compression;
import dev.lifeboat.DrillRecord;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Formats;
import dev.lifeboat.Inventory;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.ManifestKeys;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotKind;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.neon.api.BranchSpec;
import dev.lifeboat.neon.api.CreatedBranch;
import dev.lifeboat.neon.api.NeonBranch;
import dev.lifeboat.neon.api.NeonDatabase;
import dev.lifeboat.neon.api.NeonEndpoint;
import dev.lifeboat.postgres.PgCatalog;
import dev.lifeboat.postgres.PgConnections;
import dev.lifeboat.postgres.PgErrors;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.spi.NativeDrills;
import dev.lifeboat.spi.ProviderContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restore drills in a Neon project. A backup branch is drilled in a throwaway child branch of it
 * (copy-on-write: no data is copied, so it is ready in seconds whatever the size), with a
 * read-write compute and an {@code expires_at} so that Neon deletes it by itself should every
 * other cleanup fail. A backup branch has no compute; the reference it is checked against (tables,
 * columns, indexes and exact counts) is read through a read-only compute started on it for that
 * and deleted right after, so the backup branch itself never changes. A point-in-time drill
 * branches the named branch at the instant instead. The copies are found again by name for the
 * sweep; drill records are kept by {@link NeonDrillRecords}.
 */
final class NeonDrills implements NativeDrills {
  private static final Logger LOG = LoggerFactory.getLogger(NeonDrills.class);
  /** Annotation on a drill's throwaway branch naming what it drills. */
  static final String DRILL_OF = "lifeboat.drillOf";
  private static final String POINT_IN_TIME_OF = "neon.pointInTimeOf";
  /** Only branches with this prefix are ever deleted here, whatever name core passes. */
  private static final String DRILL_PREFIX = "lifeboat_drill_";

  private final NeonProjectOps ops;
  private final ProviderContext context;
  private final NeonLocation where;
  private final NeonDrillRecords records;

  NeonDrills(NeonProjectOps ops, ProviderContext context, NeonLocation where) {
    this.ops = ops;
    this.context = context;
    this.where = where;
    this.records = new NeonDrillRecords(ops);
  }

  @Override
  public Manifest reference(Snapshot snapshot) {
    NeonBranch backup = ops.requireBranch(branchIdOf(snapshot.manifest()));
    NeonEndpoint compute = ops.client.endpoints().createReadOnly(ops.projectId, backup.id());
    LOG.info("Reading backup branch {} through read-only compute {}", backup.name(), compute.id());
    try {
      NeonDatabase db = database(backup, snapshot.manifest());
      Location uri = ops.client.connections().directUri(ops.projectId, backup.id(), compute.id(), db.name(), role(db));
      return Manifest.builder().id(snapshot.id()).kind(SnapshotKind.BRANCH).format(Formats.NEON_BRANCH).compression(Compression.NONE)
          .size(0).createdAt(snapshot.createdAt()).consistentAt(snapshot.manifest().consistentAt())
          .source(snapshot.manifest().source()).inventory(inventory(uri, "backup branch " + backup.name()))
          .properties(snapshot.manifest().properties()).build();
    } finally {
      try {
        ops.client.endpoints().delete(ops.projectId, compute.id());
      } catch (LifeboatException e) {
        LOG.warn("Could not delete read-only compute {} of backup branch {}: {}; it suspends when idle, delete it in the Neon console.",
            compute.id(), backup.name(), e.getMessage());
      }
    }
  }

  @Override
  public Manifest pointInTime(Location source, Instant at) {
    NeonLocation src = NeonLocation.parse(source);
    if (!src.projectId().equals(ops.projectId)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "A point-in-time drill of " + src + " runs in its own project, not in neon://" + ops.projectId + ".");
    }
    String name = src.branch();
    if (name == null) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "A point-in-time drill copies a branch as it was at an instant: name it, --target neon://" + ops.projectId + "/BRANCH.");
    }
    NeonBranch branch = ops.requireBranch(name);
    ops.checkPointInTime(at, branch);
    return Manifest.builder().id(branch.name() + "@" + at).kind(SnapshotKind.BRANCH).format(Formats.NEON_BRANCH)
        .compression(Compression.NONE).size(0).createdAt(at).consistentAt(at)
        .source(new SourceFingerprint("neon", null, null, src.withBranch(branch.name()).uri()))
        .property(ManifestKeys.NEON_PROJECT_ID, ops.projectId).property(POINT_IN_TIME_OF, branch.id()).build();
  }

  @Override
  public DrillCopy create(Manifest drilled, Manifest reference, String name, Instant expiresAt) {
    String pitrOf = drilled.properties().get(POINT_IN_TIME_OF);
    String parentId = pitrOf != null ? pitrOf : branchIdOf(drilled);
    Instant at = pitrOf != null ? drilled.consistentAt() : null;
    Instant latest = ops.clock.instant().plus(NeonBranching.MAX_EXPIRY);
    CreatedBranch created;
    try {
      created = ops.client.branches().create(ops.projectId, new BranchSpec(name, parentId, at, null,
          expiresAt.isAfter(latest) ? latest : expiresAt, true, Map.of(DRILL_OF, drilled.id())));
    } catch (NeonApiException e) {
      throw e.branchLimitExceeded() ? ops.quotaExceeded(e) : e;
    }
    NeonBranch copy = created.branch();
    LOG.info("Drill branch {} ({}) of {} ready, expires {}", name, copy.id(), drilled.id(), copy.expiresAt());
    NeonDatabase db = database(copy, drilled);
    Location uri = ops.client.connections().directUri(ops.projectId, copy.id(), db.name(), role(db));
    Manifest against = reference;
    if (against == null) {
      // A point in time has no snapshot to compare with: the copy is read in full as its own reference.
      against = Manifest.builder().id(drilled.id()).kind(SnapshotKind.BRANCH).format(Formats.NEON_BRANCH).compression(Compression.NONE)
          .size(0).createdAt(drilled.createdAt()).consistentAt(drilled.consistentAt()).source(drilled.source())
          .inventory(inventory(uri, "drill branch " + name)).properties(drilled.properties()).build();
    }
    // The copy is a PostgreSQL database: the PostgreSQL verifier checks it like a restored dump.
    return new DrillCopy(name, uri, against, Formats.PG_CUSTOM);
  }

  @Override
  public void delete(String name) {
    if (!name.startsWith(DRILL_PREFIX)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Refusing to delete Neon branch " + name + ": it is not a drill's branch.");
    }
    Optional<NeonBranch> branch = ops.client.branches().search(ops.projectId, name).stream().filter(b -> b.name().equals(name)).findFirst();
    if (branch.isPresent()) {
      ops.client.branches().delete(ops.projectId, branch.get().id());
      LOG.info("Drill branch {} ({}) deleted", name, branch.get().id());
    }
  }

  @Override
  public List<String> list(String prefix) {
    return ops.client.branches().search(ops.projectId, prefix).stream().map(NeonBranch::name).filter(n -> n.startsWith(prefix)).toList();
  }

  @Override
  public void record(DrillRecord record) {
    records.record(record);
  }

  @Override
  public List<DrillRecord> records() {
    return records.all();
  }

  private String branchIdOf(Manifest manifest) {
    String id = manifest.properties().get(ManifestKeys.NEON_BRANCH_ID);
    return id != null ? id : manifest.id();
  }

  /**
   * The database the target names ({@code ?database=}), else the one the snapshot's source named,
   * else the branch's only one.
   */
  private NeonDatabase database(NeonBranch branch, Manifest drilled) {
    List<NeonDatabase> dbs = ops.client.connections().databases(ops.projectId, branch.id());
    String named = where.database() != null ? where.database() : sourceDatabase(drilled);
    if (named != null) {
      return dbs.stream().filter(d -> d.name().equals(named)).findFirst().orElseThrow(() -> new LifeboatException(
          ErrorCode.NOT_FOUND, "Neon branch " + branch.name() + " has no database '" + named + "'."));
    }
    if (dbs.size() != 1) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Neon branch " + branch.name() + " has "
          + (dbs.isEmpty() ? "no databases" : dbs.size() + " databases") + "; name the one to drill: neon://" + ops.projectId + "?database=NAME.");
    }
    return dbs.get(0);
  }

  private static String sourceDatabase(Manifest drilled) {
    try {
      return drilled.source() == null || drilled.source().uri() == null ? null
          : NeonLocation.parse(Location.parse(drilled.source().uri())).database();
    } catch (LifeboatException e) {
      // A source that is not a Neon location names no database here.
      return null;
    }
  }

  private String role(NeonDatabase db) {
    return where.role() != null ? where.role() : db.ownerName();
  }

  /** Tables, columns, indexes and exact counts, read in a read-only session. */
  private Inventory inventory(Location uri, String what) {
    PgLocation at = PgLocation.parse(uri, context.secrets());
    try (Connection c = PgConnections.openReadOnly(at)) {
      return new Inventory(PgCatalog.items(c, PgCatalog.relations(c), true, true));
    } catch (SQLException e) {
      throw PgErrors.map(e, at, "reading " + what, ErrorCode.CONNECTION);
    }
  }
}
