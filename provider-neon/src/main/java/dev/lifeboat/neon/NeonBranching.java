package dev.lifeboat.neon;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.neon.api.BranchSpec;
import dev.lifeboat.neon.api.CreatedBranch;
import dev.lifeboat.neon.api.NeonBranch;
import dev.lifeboat.Branch;
import dev.lifeboat.BranchRequest;
import dev.lifeboat.spi.Branching;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Branches of a Neon project ({@code neon://PROJECT_ID}) for drills, tests and the
 * {@code lifeboat branch} commands: throwaway branches with a read-write compute and, where Neon
 * allows it, an expiry; in-place restores that keep the previous state; direct connection URIs.
 * The default branch, protected branches and branches with children are never deleted.
 */
public final class NeonBranching implements Branching {
  /** Neon refuses an expiry further ahead than this. */
  public static final Duration MAX_EXPIRY = Duration.ofDays(30);
  /** The longest branch name Neon takes (the OpenAPI document's maxLength). */
  public static final int MAX_NAME_LENGTH = 256;

  private static final Logger LOG = LoggerFactory.getLogger(NeonBranching.class);

  private final NeonProjectOps ops;

  NeonBranching(NeonProjectOps ops) {
    this.ops = ops;
  }

  /** The project id. */
  public String projectId() {
    return ops.projectId;
  }

  /**
   * Creates a branch with a read-write compute, from the named parent (default branch when
   * {@code null}), at {@code at} when given (refused outside the history window before anything is
   * created). An expiry must be in the future; one further than 30 days is shortened to 30 days,
   * and one on a branch of an expiring parent is refused, as Neon would.
   */
  @Override
  public Branch create(BranchRequest request) {
    checkName(request.name());
    NeonBranch parent = request.parent() == null ? ops.defaultBranch() : ops.requireBranch(request.parent());
    if (request.at() != null) {
      ops.checkPointInTime(request.at(), parent);
    }
    Instant expiresAt = request.expiresAt();
    if (expiresAt != null) {
      Instant now = ops.clock.instant();
      if (!expiresAt.isAfter(now)) {
        throw new LifeboatException(ErrorCode.CONFIGURATION,
            "The expiry " + expiresAt + " of branch " + request.name() + " is not in the future (now " + now + ").");
      }
      if (parent.expiresAt() != null) {
        throw new LifeboatException(ErrorCode.CONFIGURATION,
            "Neon cannot branch from " + parent.name() + ": it expires at " + parent.expiresAt() + ". Branch from a parent without expiry.");
      }
      if (expiresAt.isAfter(now.plus(MAX_EXPIRY))) {
        LOG.warn("Expiry {} of branch {} is more than 30 days ahead; Neon allows 30 days at most, using {}",
            expiresAt, request.name(), now.plus(MAX_EXPIRY));
        expiresAt = now.plus(MAX_EXPIRY);
      }
    }
    CreatedBranch created;
    try {
      created = ops.client.branches().create(ops.projectId,
          new BranchSpec(request.name(), parent.id(), request.at(), null, expiresAt, true, Map.of("lifeboat.throwaway", "true")));
    } catch (NeonApiException e) {
      if (e.branchLimitExceeded()) {
        throw ops.quotaExceeded(e);
      }
      if (e.status() == 409) {
        throw new LifeboatException(ErrorCode.CONFIGURATION,
            "Neon project " + ops.projectId + " already has a branch named '" + request.name() + "'. Delete it or choose another name. ("
                + e.getMessage() + ")", e);
      }
      throw e;
    } catch (LifeboatException e) {
      // Neon accepted the branch but Lifeboat stopped waiting for it (timeout, interrupt, failed
      // operation): the branch may well exist now, and the caller must hear that it was left.
      throw leftBehind(request.name(), e);
    }
    LOG.info("Neon branch {} ({}) created from {}", request.name(), created.branch().id(), parent.name());
    return NeonProjectOps.toBranch(created.branch());
  }

  /**
   * Refuses a name Neon would refuse or silently replace: blank (Neon generates a name for an empty
   * one, so the branch could not be found again by the name given), longer than Neon's 256
   * characters, or with control characters.
   */
  private static void checkName(String name) {
    if (name.isBlank()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "A branch needs a name; give one that is not empty, e.g. --name drill-1.");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "The branch name is " + name.length()
          + " characters long; Neon allows at most " + MAX_NAME_LENGTH + ". Choose a shorter name.");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "The branch name '" + ServerText.oneLine(name, MAX_NAME_LENGTH)
          + "' holds control characters (a line break, a tab); Neon's console and API could not show or find it. Choose another name.");
    }
  }

  /** {@code cause} with what became of branch {@code name}: left in place when Neon has it, else nothing created. */
  private LifeboatException leftBehind(String name, LifeboatException cause) {
    boolean interrupted = Thread.interrupted();
    try {
      Optional<NeonBranch> made = ops.client.branches().find(ops.projectId, name);
      String state = made.map(b -> " Branch " + name + " (" + b.id() + ") was created on Neon project " + ops.projectId
              + " and is left in place: use it once Neon reports it ready, or delete it with 'lifeboat branch delete --on neon://"
              + ops.projectId + " --name " + b.id() + "'.")
          .orElse(" No branch " + name + " was created.");
      return new LifeboatException(cause.code(), cause.getMessage() + state, cause);
    } catch (LifeboatException lookup) {
      cause.addSuppressed(lookup);
      return new LifeboatException(cause.code(), cause.getMessage() + " Branch " + name + " may have been created on Neon project "
          + ops.projectId + "; check with 'lifeboat branch list --on neon://" + ops.projectId + "'.", cause);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Every branch, oldest first. */
  @Override
  public List<Branch> list() {
    return ops.client.branches().list(ops.projectId).stream()
        .sorted(Comparator.comparing(NeonBranch::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())))
        .map(NeonProjectOps::toBranch).toList();
  }

  @Override
  public Optional<Branch> get(String nameOrId) {
    return ops.client.branches().find(ops.projectId, nameOrId).map(NeonProjectOps::toBranch);
  }

  /** Deletes a branch; refuses the default branch, protected branches and branches with children. */
  @Override
  public void delete(String nameOrId) {
    List<NeonBranch> all = ops.client.branches().list(ops.projectId);
    NeonBranch b = all.stream().filter(x -> x.id().equals(nameOrId) || x.name().equals(nameOrId)).findFirst()
        .orElseThrow(() -> new LifeboatException(ErrorCode.NOT_FOUND,
            "Neon project " + ops.projectId + " has no branch '" + nameOrId + "'."));
    if (b.isDefault() || b.isProtected()) {
      throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION,
          "Branch " + b.name() + " is " + (b.isDefault() ? "the default branch" : "protected") + " of Neon project " + ops.projectId
              + "; Lifeboat never deletes it.");
    }
    List<String> children = NeonProjectOps.children(b, all);
    if (!children.isEmpty()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Branch " + b.name() + " has child branches (" + String.join(", ", children) + "); delete them first.");
    }
    ops.client.branches().delete(ops.projectId, b.id());
    LOG.info("Neon branch {} ({}) deleted", b.name(), b.id());
  }

  /**
   * Restores a branch in place to its own state at {@code at}, keeping the previous state as
   * {@code preserveUnderName} (or {@code NAME-before-restore-YYYYMMDDTHHMMSSZ}). Always needs
   * {@code confirm} equal to the branch's name: an in-place restore replaces every database on it.
   */
  @Override
  public Branch restore(String nameOrId, Instant at, String preserveUnderName, String confirm) {
    if (at == null) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "An in-place restore needs the instant to restore to (UTC).");
    }
    NeonBranch b = ops.requireBranch(nameOrId);
    NeonProjectOps.requireConfirmation(b, confirm, "Restoring branch " + b.name() + " to " + at);
    ops.checkPointInTime(at, b);
    String preserve = preserveUnderName == null || preserveUnderName.isBlank()
        ? b.name() + "-before-restore-" + NeonProjectOps.STAMP.format(ops.clock.instant())
        : preserveUnderName;
    try {
      NeonBranch restored = ops.client.branches().restore(ops.projectId, b.id(), b.id(), at, null, preserve);
      LOG.info("Neon branch {} restored to {}; previous state kept as {}", b.name(), at, preserve);
      return NeonProjectOps.toBranch(restored);
    } catch (NeonApiException e) {
      throw e.branchLimitExceeded() ? ops.quotaExceeded(e) : e;
    }
  }

  /** The branch's direct (not pooled) URI for its only database and that database's owner. */
  @Override
  public Location connect(Branch branch) {
    NeonBranch b = ops.requireBranch(branch.id());
    return ops.directUri(b, null, null);
  }

  /** The branch's direct URI for a named database and role ({@code null}: the only database, its owner). */
  public Location connect(Branch branch, String database, String role) {
    return ops.directUri(ops.requireBranch(branch.id()), database, role);
  }

  /** A pruner for this project's backup branches. */
  public NeonBackupPruner pruner() {
    return new NeonBackupPruner(ops.client, ops.projectId, ops.backupPrefix(), ops.clock);
  }

  /** Health checks of this project. */
  public NeonHealth health() {
    return new NeonHealth(ops.client, ops.projectId, ops.clock);
  }
}
