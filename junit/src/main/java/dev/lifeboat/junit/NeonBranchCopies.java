package dev.lifeboat.junit;

import dev.lifeboat.Branch;
import dev.lifeboat.BranchHandle;
import dev.lifeboat.BranchRequest;
import dev.lifeboat.Branches;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.postgres.PgLocation;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies of a branch snapshot on a branching platform (a Neon project): every copy is a new
 * branch of the snapshot's backup branch (or of a named live branch, optionally at a past instant), named {@code lifeboat_t_<run>_<n>}, created through the
 * facade's {@link Branches} with an expiry as a safety net (the platform deletes it by itself should
 * the run be killed; Neon also annotates it as a throwaway branch), and deleted when its scope
 * ends. Nothing is restored: the platform copies the data.
 */
final class NeonBranchCopies implements CopySource {
  private static final Logger LOG = LoggerFactory.getLogger(NeonBranchCopies.class);

  private final Branches branches;
  private final String parent;
  private final Instant at;
  private final String snapshotId;
  private final CopyNames names;
  private final Duration expiry;
  private final ConcurrentMap<String, BranchHandle> handles = new ConcurrentHashMap<>();

  private NeonBranchCopies(Branches branches, String parent, Instant at, String snapshotId, CopyNames names, Duration expiry) {
    this.branches = branches;
    this.parent = parent;
    this.at = at;
    this.snapshotId = snapshotId;
    this.names = names;
    this.expiry = expiry;
  }

  /**
   * Opens the platform named by {@code target} and deletes the copies that runs killed before their
   * end left there, once older than {@code sweepAfter}; copies expire after {@code sweepAfter} too.
   *
   * @param parent the branch every copy is a branch of: the backup branch of a snapshot, or a live branch
   * @param at the parent's past state to copy, or {@code null} for its state when each copy is made
   * @param snapshotId what the copies' {@link RestoredDatabase#snapshotId()} says
   */
  static NeonBranchCopies prepare(Lifeboat lifeboat, Location target, String parent, Instant at, String snapshotId, CopyNames names,
      Duration sweepAfter) {
    Branches branches = lifeboat.branches(target.raw());
    try {
      Instant now = Instant.now();
      for (Branch b : branches.list()) {
        if (b.name().startsWith(CopyNames.COPY_PREFIX) && !names.isOwn(b.name()) && CopyNames.isLeftover(b.name(), now, sweepAfter)) {
          try {
            branches.delete(b.id());
            LOG.info("Deleted branch {}, left on {} by an earlier test run that did not end", b.name(), target.redacted());
          } catch (LifeboatException e) {
            LOG.warn("Could not delete branch {}, left by an earlier test run: {}", b.name(), e.getMessage());
          }
        }
      }
    } catch (RuntimeException e) {
      branches.close();
      throw e;
    }
    return new NeonBranchCopies(branches, parent, at, snapshotId, names, sweepAfter);
  }

  @Override
  public String snapshotId() {
    return snapshotId;
  }

  @Override
  public RestoredDatabase copy() {
    String name = names.copy();
    BranchHandle handle = branches.create(new BranchRequest(name, parent, at, Instant.now().plus(expiry)));
    try {
      PgLocation at = PgLocation.parse(handle.connect()).requireOneServer();
      handles.put(name, handle);
      return new NeonBranchCopy(name, new PgCopy(at, snapshotId));
    } catch (RuntimeException e) {
      try {
        handle.close();
      } catch (RuntimeException deleteFailed) {
        e.addSuppressed(deleteFailed);
      }
      throw e;
    }
  }

  @Override
  public void drop(RestoredDatabase copy) {
    BranchHandle handle = handles.remove(copy.name());
    if (handle != null) {
      handle.close();
    }
  }

  @Override
  public void close() {
    try {
      for (String name : handles.keySet()) {
        BranchHandle handle = handles.remove(name);
        if (handle != null) {
          handle.close();
        }
      }
    } finally {
      branches.close();
    }
  }

  /** A branch copy: the branch's name, and its database reached as on any PostgreSQL server. */
  private record NeonBranchCopy(String name, PgCopy database) implements RestoredDatabase {
    @Override
    public String jdbcUrl() {
      return database.jdbcUrl();
    }

    @Override
    public Location uri() {
      return database.uri();
    }

    @Override
    public String snapshotId() {
      return database.snapshotId();
    }

    @Override
    public javax.sql.DataSource dataSource() {
      return database.dataSource();
    }

    @Override
    public String toString() {
      return "RestoredDatabase{branch=" + name + ", snapshot=" + snapshotId() + ", uri=" + uri().redacted() + "}";
    }
  }
}
