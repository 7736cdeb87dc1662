package dev.lifeboat.neon;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.neon.api.NeonBranch;
import dev.lifeboat.neon.api.NeonDatabase;
import dev.lifeboat.neon.api.NeonEndpoint;
import dev.lifeboat.neon.api.NeonProject;
import dev.lifeboat.Branch;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What the native snapshots, the platform, the verifier and the branching of one Neon project share. */
final class NeonProjectOps {
  static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  final NeonClient client;
  final String projectId;
  final Clock clock;

  NeonProjectOps(NeonClient client, String projectId, Clock clock) {
    this.client = client;
    this.projectId = projectId;
    this.clock = clock;
  }

  String backupPrefix() {
    return client.settings().backupPrefix();
  }

  /** The branch with this name or id, or {@code NOT_FOUND}. */
  NeonBranch requireBranch(String nameOrId) {
    return client.branches().find(projectId, nameOrId).orElseThrow(() -> new LifeboatException(ErrorCode.NOT_FOUND,
        "Neon project " + projectId + " has no branch '" + nameOrId + "'. List them with 'lifeboat branch list --on neon://" + projectId + "'."));
  }

  /** The project's default branch. */
  NeonBranch defaultBranch() {
    return client.branches().list(projectId).stream().filter(NeonBranch::isDefault).findFirst()
        .orElseThrow(() -> new LifeboatException(ErrorCode.REMOTE_API, "Neon project " + projectId + " reports no default branch."));
  }

  /**
   * Refuses, before anything is created, an instant in the future or outside the project's
   * history window, or before the branch existed.
   */
  void checkPointInTime(Instant at, NeonBranch parent) {
    NeonProject project = client.projects().get(projectId);
    Instant now = clock.instant();
    Instant oldest = now.minus(project.historyWindow());
    String window = "The history window of Neon project " + projectId + " is " + NeonClient.human(project.historyWindow())
        + ": from " + oldest.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " to now ("
        + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ").";
    if (at.isAfter(now)) {
      throw new LifeboatException(ErrorCode.OUT_OF_RETENTION_WINDOW,
          "The instant " + at + " is in the future. " + window + " Pick an instant inside it (UTC).");
    }
    if (at.isBefore(oldest)) {
      throw new LifeboatException(ErrorCode.OUT_OF_RETENTION_WINDOW,
          "The instant " + at + " lies outside the history window. " + window
              + " Pick an instant inside it, or raise the project's history retention in the Neon console.");
    }
    if (parent != null && parent.createdAt() != null && at.isBefore(parent.createdAt())) {
      throw new LifeboatException(ErrorCode.OUT_OF_RETENTION_WINDOW,
          "The instant " + at + " is before branch " + parent.name() + " was created (" + parent.createdAt() + "). " + window);
    }
  }

  /** Refuses to overwrite or delete the default or a protected branch unless confirmed by name. */
  static void requireConfirmation(NeonBranch branch, String confirm, String action) {
    if (!branch.name().equals(confirm)) {
      String why = branch.isDefault() ? "the project's default branch" : branch.isProtected() ? "a protected branch" : "an existing branch";
      throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION,
          action + " would overwrite " + why + ", '" + branch.name() + "'. Pass its name as confirmation (--confirm " + branch.name() + ") to proceed.");
    }
  }

  /** Whether any branch has this one as its parent; their names, if so. */
  static List<String> children(NeonBranch branch, List<NeonBranch> all) {
    return all.stream().filter(b -> branch.id().equals(b.parentId())).map(NeonBranch::name).toList();
  }

  /** A branch's database and the direct (not pooled) URI that reaches it, credentials included. */
  record DirectDatabase(String database, Location uri) {}

  /** The direct connection URI of a branch; see {@link #direct}. */
  Location directUri(NeonBranch branch, String database, String role) {
    return direct(branch, database, role).uri();
  }

  /**
   * The database the location names on a branch, or the branch's only one, and its direct
   * connection URI for the role the location names, or the database's owner.
   */
  DirectDatabase direct(NeonBranch branch, String database, String role) {
    List<NeonEndpoint> endpoints = client.endpoints().ofBranch(projectId, branch.id());
    if (endpoints.stream().noneMatch(NeonEndpoint::readWrite)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Neon branch " + branch.name() + " has no read-write compute, so Lifeboat cannot connect to it. Add a compute to it in the Neon console, "
              + "or restore it into a new branch (lifeboat restore --target neon://" + projectId + " --snapshot " + branch.name()
              + " --destination neon://" + projectId + "/NEW_NAME).");
    }
    List<NeonDatabase> dbs = client.connections().databases(projectId, branch.id());
    NeonDatabase db;
    if (database != null) {
      db = dbs.stream().filter(d -> d.name().equals(database)).findFirst().orElseThrow(() -> new LifeboatException(ErrorCode.NOT_FOUND,
          "Neon branch " + branch.name() + " has no database '" + database + "'; it has " + names(dbs) + "."));
    } else if (dbs.size() == 1) {
      db = dbs.get(0);
    } else {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Neon branch " + branch.name() + " has " + (dbs.isEmpty() ? "no databases" : "databases " + names(dbs))
              + "; name one: neon://" + projectId + "/" + branch.name() + "?database=NAME.");
    }
    return new DirectDatabase(db.name(),
        client.connections().directUri(projectId, branch.id(), db.name(), role != null ? role : db.ownerName()));
  }

  private static String names(List<NeonDatabase> dbs) {
    return dbs.stream().map(NeonDatabase::name).collect(Collectors.joining(", "));
  }

  /** A new name {@code prefix + YYYYMMDDTHHMMSSZ}, with {@code -2}, {@code -3}… when taken. */
  String freeName(String prefix, Instant when, java.util.Set<String> alsoTaken) {
    String base = prefix + STAMP.format(when);
    java.util.Set<String> taken = client.branches().search(projectId, base).stream().map(NeonBranch::name).collect(Collectors.toSet());
    taken.addAll(alsoTaken);
    String name = base;
    for (int n = 2; taken.contains(name); n++) {
      name = base + "-" + n;
    }
    return name;
  }

  /** A {@code QUOTA_EXCEEDED} error naming the limit and the backup branches pruning would remove. */
  LifeboatException quotaExceeded(NeonApiException e) {
    Integer limit = client.settings().branchLimit().orElse(null);
    if (limit == null) {
      try {
        NeonProject project = client.projects().get(projectId);
        limit = project.owner() == null ? null : project.owner().branchesLimit();
      } catch (LifeboatException ignored) {
        // The limit is a courtesy in the message; the quota error itself matters more.
      }
    }
    String candidates;
    try {
      List<NeonBranch> oldest = new NeonBackupPruner(client, projectId, backupPrefix(), clock).oldestDeletable(3);
      candidates = oldest.isEmpty()
          ? "There are no backup branches ('" + backupPrefix() + "…') that pruning could remove; delete other branches in the Neon console."
          : "Pruning would remove the oldest backup branches first: "
              + oldest.stream().map(b -> b.name() + " (" + b.createdAt() + ")").collect(Collectors.joining(", "))
              + ". Run 'lifeboat prune --target neon://" + projectId + "' or delete branches in the Neon console.";
    } catch (LifeboatException listing) {
      candidates = "Delete old branches in the Neon console.";
    }
    return new LifeboatException(ErrorCode.QUOTA_EXCEEDED,
        "Neon project " + projectId + " has reached its branch limit"
            + (limit == null ? "" : " of " + limit + " branches") + " (" + e.neonCode() + "). " + candidates
            + " Neon said: " + e.getMessage(), e);
  }

  /** The SPI view of a Neon branch. */
  static Branch toBranch(NeonBranch b) {
    Map<String, String> attributes = new LinkedHashMap<>();
    put(attributes, "projectId", b.projectId());
    put(attributes, "state", b.currentState());
    put(attributes, "parentLsn", b.parentLsn());
    put(attributes, "parentTimestamp", b.parentTimestamp() == null ? null : b.parentTimestamp().toString());
    put(attributes, "logicalSize", b.logicalSize() == null ? null : b.logicalSize().toString());
    put(attributes, "lastResetAt", b.lastResetAt() == null ? null : b.lastResetAt().toString());
    return new Branch(b.id(), b.name(), b.parentId(), b.createdAt(), b.expiresAt(), b.isDefault(), b.isProtected(), attributes);
  }

  private static void put(Map<String, String> m, String k, String v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
