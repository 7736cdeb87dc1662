package dev.lifeboat.neon;

import dev.lifeboat.Compression;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Formats;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.ManifestKeys;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotKind;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.neon.api.BranchSpec;
import dev.lifeboat.neon.api.CreatedBranch;
import dev.lifeboat.neon.api.NeonBranch;
import dev.lifeboat.HealthCheck;
import dev.lifeboat.spi.HealthLimits;
import dev.lifeboat.spi.NativeDrills;
import dev.lifeboat.spi.NativeSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Neon project ({@code neon://PROJECT_ID}) as a store of native snapshots. Its snapshots are the branches
 * whose name starts with the backup prefix ({@code backup-} by default); a snapshot's id is its
 * branch name, {@code backup-YYYYMMDDTHHMMSSZ}. Snapshots are taken natively (a branch of the
 * source branch, optionally at a past instant, without any dump) and restored natively (into a new
 * branch, or in place with confirmation, keeping the previous state). Archives cannot be stored
 * here: keep dumps in a {@code file:} target.
 */
final class NeonNativeSnapshots implements NativeSnapshots {
  private static final Logger LOG = LoggerFactory.getLogger(NeonNativeSnapshots.class);
  private static final int NAME_TRIES = 5;
  private static final String LABEL = "lifeboat.label.";

  private final NeonProjectOps ops;
  private final Location location;
  private final NeonDrills drills;

  NeonNativeSnapshots(NeonProjectOps ops, NeonDrills drills) {
    this.ops = ops;
    this.location = Location.parse("neon://" + ops.projectId);
    this.drills = drills;
  }

  /** Drills of these backup branches in throwaway branches, and the project's drill records. */
  @Override
  public Optional<NativeDrills> drills() {
    return Optional.of(drills);
  }

  /** The project's history window against {@code minPitr} and its branch use against the plan's limit. */
  @Override
  public List<HealthCheck> health(HealthLimits limits) {
    return new NeonHealth(ops.client, ops.projectId, ops.clock).checks(limits);
  }

  @Override
  public Location location() {
    return location;
  }

  @Override
  public List<Snapshot> list() {
    NeonBranches.Listing listing = ops.client.branches().listAnnotated(ops.projectId, null);
    Map<String, String> namesById = new LinkedHashMap<>();
    listing.branches().forEach(b -> namesById.put(b.id(), b.name()));
    return listing.branches().stream()
        .filter(b -> b.name().startsWith(ops.backupPrefix()))
        .sorted(Comparator.comparing(NeonBranch::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(NeonBranch::name))
        .map(b -> snapshot(b, listing.annotations().getOrDefault(b.id(), Map.of()), namesById.get(b.parentId())))
        .toList();
  }

  @Override
  public Optional<Snapshot> get(String id) {
    return list().stream().filter(s -> s.id().equals(id)
        || id.equals(s.manifest().properties().get(ManifestKeys.NEON_BRANCH_ID))
        || id.equals(s.manifest().properties().get("lifeboat.id"))).findFirst();
  }

  @Override
  public void delete(String id) {
    Snapshot s = get(id).orElseThrow(() -> new LifeboatException(ErrorCode.NOT_FOUND,
        "No snapshot '" + id + "' in " + location + ". Run 'lifeboat list --target " + location + "' to see the ids."));
    String branchId = s.manifest().properties().get(ManifestKeys.NEON_BRANCH_ID);
    List<NeonBranch> all = ops.client.branches().list(ops.projectId);
    NeonBranch branch = all.stream().filter(b -> b.id().equals(branchId)).findFirst().orElseThrow(() ->
        new LifeboatException(ErrorCode.NOT_FOUND, "The branch of snapshot " + id + " is gone from " + location + "."));
    if (branch.isDefault() || branch.isProtected()) {
      throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION,
          "Snapshot " + id + " is the " + (branch.isDefault() ? "default" : "protected") + " branch of " + location
              + "; Lifeboat never deletes it. Change that in the Neon console first.");
    }
    List<String> children = NeonProjectOps.children(branch, all);
    if (!children.isEmpty()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Snapshot " + id + " has child branches (" + String.join(", ", children) + "); Neon cannot delete it until they are deleted.");
    }
    ops.client.branches().delete(ops.projectId, branch.id());
  }

  @Override
  public boolean accepts(Location source) {
    if (!"neon".equals(source.scheme())) {
      return false;
    }
    NeonLocation s = NeonLocation.parse(source);
    return s.projectId().equals(ops.projectId) && s.branch() != null;
  }

  /**
   * Creates branch {@code backup-YYYYMMDDTHHMMSSZ} (a {@code -2}… suffix when the name is taken)
   * from the source branch, at {@code at} when given. The Lifeboat id and labels are kept as Neon
   * annotations.
   */
  @Override
  public Snapshot take(Location source, String id, Instant at, Map<String, String> labels) {
    NeonLocation src = NeonLocation.parse(source);
    if (!src.projectId().equals(ops.projectId)) {
      throw new LifeboatException(ErrorCode.UNSUPPORTED,
          "A native snapshot of " + src + " can only be kept in its own project, neon://" + src.projectId() + ", not in " + location + ".");
    }
    NeonBranch parent = ops.requireBranch(src.requireBranch("a native snapshot"));
    if (at != null) {
      ops.checkPointInTime(at, parent);
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("lifeboat.id", id);
    annotations.put("lifeboat.source", src.withBranch(parent.name()).uri());
    labels.forEach((k, v) -> annotations.put(LABEL + k, v));
    if (annotations.size() > 50) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Neon keeps at most 48 labels on a backup branch; " + labels.size() + " were given.");
    }
    Set<String> taken = new HashSet<>();
    Instant now = ops.clock.instant();
    for (int tries = 0; ; tries++) {
      String name = ops.freeName(ops.backupPrefix(), now, taken);
      try {
        // No compute: a backup branch costs nothing until it is restored or dumped.
        CreatedBranch created = ops.client.branches().create(ops.projectId,
            new BranchSpec(name, parent.id(), at, null, null, false, annotations));
        LOG.info("Neon backup branch {} ({}) created from {}{}", name, created.branch().id(), parent.name(), at == null ? "" : " at " + at);
        return snapshot(created.branch(), annotations, parent.name());
      } catch (RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) {
          // Stopped while Neon worked (a signal, Lifeboat.abortBackups): Neon goes on without us,
          // so the caller must hear whether the backup branch exists and how to remove it.
          throw leftBehind(name, e);
        }
        if (e instanceof NeonApiException api) {
          if (api.branchLimitExceeded()) {
            throw ops.quotaExceeded(api);
          }
          if (api.status() == 409 && !api.earlierAttemptUnanswered() && tries < NAME_TRIES) {
            // Another backup took this name in the same second: take the next suffix.
            taken.add(name);
            continue;
          }
          throw api;
        }
        if (e instanceof LifeboatException l) {
          // Created but never became ready (its operation failed or timed out): a half-made backup
          // branch must not be listed as a snapshot.
          discardHalfMade(name, l);
        }
        throw e;
      }
    }
  }

  /**
   * {@code cause}, of a backup interrupted while Neon worked, with what became of backup branch
   * {@code name}: left in place (listed as a snapshot) with the command that deletes it, or not
   * created. It is not deleted here: Neon may still be making it, and the caller is stopping.
   */
  private LifeboatException leftBehind(String name, RuntimeException cause) {
    boolean interrupted = Thread.interrupted();
    String said = cause.getMessage() == null ? "Interrupted while waiting for Neon." : cause.getMessage();
    ErrorCode code = cause instanceof LifeboatException l ? l.code() : ErrorCode.REMOTE_API;
    String on = "neon://" + ops.projectId;
    try {
      String state = ops.client.branches().find(ops.projectId, name)
          .map(b -> " Backup branch " + name + " (" + b.id() + ") was created on Neon project " + ops.projectId
              + " and is left in place, listed as a snapshot: keep it, or delete it with 'lifeboat branch delete --on " + on
              + " --name " + b.id() + "'.")
          .orElse(" No backup branch " + name + " was created.");
      return new LifeboatException(code, said + state, cause);
    } catch (LifeboatException lookup) {
      cause.addSuppressed(lookup);
      return new LifeboatException(code, said + " Backup branch " + name + " may have been created on Neon project " + ops.projectId
          + ": check with 'lifeboat list --target " + on + "', and delete it with 'lifeboat branch delete --on " + on + " --name " + name + "'.",
          cause);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void discardHalfMade(String name, LifeboatException cause) {
    try {
      ops.client.branches().find(ops.projectId, name).ifPresent(b -> {
        LOG.warn("Deleting half-made backup branch {} ({}) after: {}", name, b.id(), cause.getMessage());
        ops.client.branches().delete(ops.projectId, b.id());
      });
    } catch (LifeboatException e) {
      cause.addSuppressed(e);
      LOG.warn("Could not delete half-made backup branch {} ({}); delete it in the Neon console.", name, e.getMessage());
    }
  }

  /**
   * Restores a branch snapshot. Into {@code neon://P/NEW} that does not exist: a new branch from
   * the snapshot, with a read-write compute. Into an existing branch: in place, only when
   * {@link RestoreOptions#confirm()} names that branch, keeping its previous state as a branch
   * named by {@code extra("preserveUnderName")} or {@code NAME-before-restore-YYYYMMDDTHHMMSSZ}.
   */
  @Override
  public RestoreResult restore(Snapshot snapshot, Location destination, RestoreOptions options) {
    if (!"neon".equals(destination.scheme())) {
      throw new LifeboatException(ErrorCode.UNSUPPORTED,
          "Snapshot " + snapshot.id() + " is a Neon branch; it restores into a branch of the same project (neon://" + ops.projectId
              + "/NEW_NAME). To copy it elsewhere, restore it into a new branch and back that up with a dump.");
    }
    NeonLocation dest = NeonLocation.parse(destination);
    if (!dest.projectId().equals(ops.projectId)) {
      throw new LifeboatException(ErrorCode.UNSUPPORTED,
          "Snapshot " + snapshot.id() + " lives in neon://" + ops.projectId + "; Neon cannot restore it into another project (" + dest.projectId() + ").");
    }
    String destName = dest.requireBranch("a restore");
    String snapBranchId = snapshot.manifest().properties().get(ManifestKeys.NEON_BRANCH_ID);
    NeonBranch snap = ops.requireBranch(snapBranchId != null ? snapBranchId : snapshot.id());
    Optional<NeonBranch> existing = ops.client.branches().find(ops.projectId, destName);
    Map<String, String> details = new LinkedHashMap<>();
    details.put(ManifestKeys.NEON_PROJECT_ID, ops.projectId);
    details.put("neon.snapshotBranchId", snap.id());
    if (existing.isEmpty()) {
      CreatedBranch created;
      try {
        created = ops.client.branches().create(ops.projectId,
            new BranchSpec(destName, snap.id(), null, null, null, true, Map.of("lifeboat.restoredFrom", snapshot.id())));
      } catch (RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw interruptedRestore(e, () -> ops.client.branches().find(ops.projectId, destName)
              .map(b -> "Branch " + destName + " (" + b.id() + ") was created on Neon project " + ops.projectId
                  + " and is left in place: use it once Neon reports it ready, or delete it with 'lifeboat branch delete --on neon://"
                  + ops.projectId + " --name " + b.id() + "'.")
              .orElse("No branch " + destName + " was created; nothing changed."), destName);
        }
        throw e instanceof NeonApiException api && api.branchLimitExceeded() ? ops.quotaExceeded(api) : e;
      }
      details.put(ManifestKeys.NEON_BRANCH_ID, created.branch().id());
      details.put("mode", "new-branch");
      LOG.info("Restored snapshot {} into new Neon branch {} ({})", snapshot.id(), destName, created.branch().id());
    } else {
      NeonBranch target = existing.get();
      if (target.id().equals(snap.id())) {
        throw new LifeboatException(ErrorCode.CONFIGURATION,
            "The destination " + dest + " is the snapshot's own branch. Restore into another branch name.");
      }
      NeonProjectOps.requireConfirmation(target, options.confirm().orElse(null), "Restoring snapshot " + snapshot.id() + " into " + dest);
      String preserve = options.extra().getOrDefault("preserveUnderName",
          target.name() + "-before-restore-" + NeonProjectOps.STAMP.format(ops.clock.instant()));
      NeonBranch restored;
      try {
        restored = ops.client.branches().restore(ops.projectId, target.id(), snap.id(), null, null, preserve);
      } catch (RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) {
          // Neon restores on its own once asked; the branch it makes first keeps the previous state.
          throw interruptedRestore(e, () -> ops.client.branches().find(ops.projectId, preserve)
              .map(kept -> "Branch " + target.name() + " is being restored in place by Neon, which goes on without Lifeboat; its previous state"
                  + " is kept as branch " + preserve + " (" + kept.id() + "): check with 'lifeboat branch list --on neon://" + ops.projectId
                  + "', and to go back, restore " + target.name() + " from " + preserve + " in the Neon console.")
              .orElse("Branch " + target.name() + " was not restored: Neon holds no branch " + preserve
                  + ", which an in-place restore makes first to keep the previous state; check with 'lifeboat branch list --on neon://"
                  + ops.projectId + "'."), target.name());
        }
        throw e instanceof NeonApiException api && api.branchLimitExceeded() ? ops.quotaExceeded(api) : e;
      }
      details.put(ManifestKeys.NEON_BRANCH_ID, restored.id());
      details.put("mode", "in-place");
      details.put("preservedAs", preserve);
      LOG.info("Restored snapshot {} in place into Neon branch {}; previous state kept as {}", snapshot.id(), destName, preserve);
    }
    return new RestoreResult(snapshot.id(), dest.uri(), Formats.NEON_BRANCH, List.of(), Duration.ZERO, details, null);
  }

  /**
   * {@code cause}, of a restore interrupted while Neon worked, with a last line on what Neon holds
   * ({@code state}, looked up with the thread's interrupt set aside), as restorers end their
   * failures with the destination's state.
   */
  private LifeboatException interruptedRestore(RuntimeException cause, java.util.function.Supplier<String> state, String branch) {
    boolean interrupted = Thread.interrupted();
    String said = cause.getMessage() == null ? "Interrupted while waiting for Neon." : cause.getMessage();
    ErrorCode code = cause instanceof LifeboatException l ? l.code() : ErrorCode.REMOTE_API;
    try {
      return new LifeboatException(code, said + "\n" + state.get(), cause);
    } catch (LifeboatException lookup) {
      cause.addSuppressed(lookup);
      return new LifeboatException(code, said + "\nThe restore of branch " + branch + " may go on in Neon without Lifeboat: check with"
          + " 'lifeboat branch list --on neon://" + ops.projectId + "' before using it.", cause);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Snapshot snapshot(NeonBranch b, Map<String, String> annotations, String parentName) {
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> properties = new LinkedHashMap<>();
    annotations.forEach((k, v) -> {
      if (k.startsWith(LABEL)) {
        labels.put(k.substring(LABEL.length()), v);
      } else if (k.startsWith("lifeboat.")) {
        properties.put(k, v);
      }
    });
    properties.put(ManifestKeys.NEON_PROJECT_ID, ops.projectId);
    properties.put(ManifestKeys.NEON_BRANCH_ID, b.id());
    if (b.parentId() != null) {
      properties.put("neon.parentId", b.parentId());
    }
    if (b.parentLsn() != null) {
      properties.put("neon.parentLsn", b.parentLsn());
    }
    if (b.logicalSize() != null) {
      properties.put("neon.logicalSize", b.logicalSize().toString());
    }
    String sourceUri = annotations.getOrDefault("lifeboat.source",
        "neon://" + ops.projectId + (parentName == null ? "" : "/" + parentName));
    Manifest manifest = Manifest.builder()
        .id(b.name())
        .kind(SnapshotKind.BRANCH)
        .format(Formats.NEON_BRANCH)
        .compression(Compression.NONE)
        .size(0)
        .createdAt(b.createdAt())
        .consistentAt(b.parentTimestamp() != null ? b.parentTimestamp() : b.createdAt())
        .source(new SourceFingerprint("neon", null, null, sourceUri))
        .labels(labels)
        .properties(properties)
        .build();
    return new Snapshot(location.redacted(), manifest);
  }
}
