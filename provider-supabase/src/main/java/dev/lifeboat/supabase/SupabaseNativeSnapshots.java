package dev.lifeboat.supabase;

import dev.lifeboat.Compression;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Formats;
import dev.lifeboat.HealthCheck;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.ManifestKeys;
import dev.lifeboat.Progress;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotKind;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.spi.HealthLimits;
import dev.lifeboat.spi.NativeSnapshots;
import dev.lifeboat.spi.ProviderContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Supabase project ({@code supabase://REF}) as a catalog of the platform's own snapshots: its
 * backups (id = Supabase's backup id) and, when PITR is on, the window, listed as the snapshot
 * {@code pitr} whose manifest holds the earliest and latest restorable instants. A backup restores
 * in place with {@code POST …/backups/restore}; {@code pitr@INSTANT} (ISO-8601 UTC, inside the
 * window) with {@code POST …/backups/restore-pitr}. Both overwrite the project: they need the
 * confirmation {@code --confirm REF}, and wait, polling the project through {@code RESTORING}
 * until {@code ACTIVE_HEALTHY} and a healthy {@code db} service, or fail on {@code RESTORE_FAILED}
 * or after {@code supabase.restoreTimeout}.
 */
final class SupabaseNativeSnapshots implements NativeSnapshots {
  private static final Logger LOG = LoggerFactory.getLogger(SupabaseNativeSnapshots.class);
  /** The id of the point-in-time window; {@code pitr@INSTANT} names one instant in it. */
  static final String PITR = "pitr";
  /** Polls in a row that must show ACTIVE_HEALTHY when no other status was seen since the restore began. */
  static final int QUIET_POLLS = 3;

  private final SupabaseLocation project;
  private final SupabaseApi api;
  private final SupabaseSettings settings;
  private final ProviderContext context;

  SupabaseNativeSnapshots(SupabaseLocation project, SupabaseApi api, SupabaseSettings settings, ProviderContext context) {
    this.project = project;
    this.api = api;
    this.settings = settings;
    this.context = context;
  }

  @Override
  public Location location() {
    return project.location();
  }

  @Override
  public boolean accepts(Location source) {
    return false;
  }

  /** Supabase's backups, oldest first, then the PITR window when PITR is on. */
  @Override
  public List<Snapshot> list() {
    SupabaseApi.Backups b = api.backups(project.ref());
    List<Snapshot> out = new ArrayList<>();
    b.backups().stream().sorted(Comparator.comparing(SupabaseApi.Backup::insertedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparingLong(SupabaseApi.Backup::id)).forEach(x -> out.add(backup(x, b.region())));
    if (b.pitrEnabled() && b.latest() != null) {
      out.add(window(b, null));
    }
    return out;
  }

  @Override
  public Optional<Snapshot> get(String id) {
    if (id.equals(PITR) || id.startsWith(PITR + "@")) {
      SupabaseApi.Backups b = api.backups(project.ref());
      if (!b.pitrEnabled() || b.latest() == null) {
        throw new LifeboatException(ErrorCode.CONFIGURATION, "Point-in-time recovery is not enabled for " + project
            + ", so it has no window to restore from. Restore one of its backups (lifeboat list --target " + project
            + ") or enable the PITR add-on.");
      }
      Instant at = id.equals(PITR) ? null : instant(id.substring(PITR.length() + 1));
      return Optional.of(window(b, at));
    }
    return list().stream().filter(s -> s.id().equals(id)).findFirst();
  }

  @Override
  public void delete(String id) {
    throw new LifeboatException(ErrorCode.UNSUPPORTED, "Supabase keeps and expires its own backups; Lifeboat cannot delete"
        + " backup " + id + " of " + project + ". Change the retention in the dashboard (Database > Backups).");
  }

  @Override
  public Snapshot take(Location source, String id, Instant at, Map<String, String> labels) {
    throw new LifeboatException(ErrorCode.UNSUPPORTED, "The Supabase Management API cannot take a backup on demand. Back up"
        + " the project with a dump: lifeboat backup --source " + project + " --target file:/backups");
  }

  @Override
  public RestoreResult restore(Snapshot snapshot, Location destination, RestoreOptions options) {
    long started = System.nanoTime();
    if (!destination.scheme().equals(SupabaseLocation.SCHEME) || !SupabaseLocation.parse(destination).ref().equals(project.ref())) {
      throw new LifeboatException(ErrorCode.UNSUPPORTED, "Snapshot " + snapshot.id() + " is a platform backup of " + project
          + "; Supabase restores it only in place (--destination " + project + " --confirm " + project.ref() + ").");
    }
    if (options.confirm().filter(project.ref()::equals).isEmpty()) {
      throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION, "Restoring snapshot " + snapshot.id() + " overwrites the"
          + " whole of " + project + " (every schema, auth users and storage metadata) and makes it unreachable until done."
          + " To do that on purpose, confirm with the project ref: --confirm " + project.ref());
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put(ManifestKeys.SUPABASE_PROJECT_REF, project.ref());
    context.progress().onProgress(new Progress("notice", 0, -1, "Restoring " + project + " in place from " + snapshot.id()
        + ": this overwrites the whole project, which is unreachable until Supabase has finished."));
    if (snapshot.id().startsWith(PITR)) {
      String at = snapshot.manifest().properties().get("supabase.pitr.target");
      if (at == null) {
        throw new LifeboatException(ErrorCode.CONFIGURATION, "A point-in-time restore needs the instant: --snapshot pitr@"
            + "2026-01-31T12:00:00Z (ISO-8601, UTC, inside the window " + windowText(snapshot.manifest()) + ").");
      }
      Instant target = Instant.parse(at);
      LOG.info("Starting the point-in-time restore of {} to {}", project, target);
      api.restorePitr(project.ref(), target.getEpochSecond());
      details.put("supabase.recoveryTarget", target.toString());
    } else {
      long id;
      try {
        id = Long.parseLong(snapshot.id());
      } catch (NumberFormatException e) {
        throw new LifeboatException(ErrorCode.NOT_FOUND, "'" + snapshot.id() + "' is not a Supabase backup id.");
      }
      LOG.info("Starting the restore of backup {} into {}", id, project);
      api.restorePhysical(project.ref(), id);
      details.put("supabase.backupId", Long.toString(id));
    }
    String status = waitUntilBack();
    details.put("supabase.status", status);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    details.put("supabase.restoreSeconds", Long.toString(took.toSeconds()));
    return new RestoreResult(snapshot.id(), project.uri(), snapshot.manifest().format(), List.of(), took, details, null);
  }

  /**
   * Polls the project with backoff until it is back, then checks its database service.
   *
   * <p>Supabase may take a moment to mark the project {@code RESTORING} after accepting the
   * restore, so {@code ACTIVE_HEALTHY} before any other status was seen counts only once
   * {@value #QUIET_POLLS} polls in a row have shown it; otherwise Lifeboat would report a restore
   * done that has not begun. A poll that fails for a reason that may pass (5xx, rate limit, no
   * answer: the API may stumble while the database is down) is logged and polling goes on until
   * {@code supabase.restoreTimeout}; only a refused token or a missing project ends it early.
   */
  private String waitUntilBack() {
    long deadline = System.nanoTime() + settings.restoreTimeout.toNanos();
    Duration pause = settings.restorePollInterval;
    String last = "";
    boolean begun = false;
    int healthyPolls = 0;
    String lastFailure = null;
    while (true) {
      String status = null;
      try {
        status = api.project(project.ref()).status();
        lastFailure = null;
      } catch (LifeboatException e) {
        if (!mayPass(e)) {
          throw e;
        }
        lastFailure = e.getMessage();
        LOG.info("Polling {} during its restore failed; polling goes on: {}", project, lastFailure);
      }
      if (status != null) {
        if (!status.equals(last)) {
          context.progress().onProgress(new Progress("notice", 0, -1, project + " is " + status));
          LOG.info("{} is {}", project, status);
          last = status;
        }
        if (status.equals("ACTIVE_HEALTHY")) {
          healthyPolls++;
          if (begun || healthyPolls >= QUIET_POLLS) {
            if (!begun) {
              LOG.info("{} never showed another status than ACTIVE_HEALTHY during {} polls; taking the restore as done", project, QUIET_POLLS);
            }
            break;
          }
        } else {
          begun = true;
          healthyPolls = 0;
        }
        if (status.equals("RESTORE_FAILED") || status.equals("INIT_FAILED") || status.equals("REMOVED")) {
          throw new LifeboatException(ErrorCode.RESTORE_FAILED, "Supabase reports the restore of " + project + " as " + status
              + ". Contact Supabase support with the project ref; Lifeboat made no other change.");
        }
      }
      if (System.nanoTime() > deadline) {
        throw new LifeboatException(ErrorCode.TIMEOUT, project + " was still " + (last.isEmpty() ? "not readable" : last) + " after "
            + settings.restoreTimeout.toMinutes() + " min (setting supabase.restoreTimeout)"
            + (lastFailure == null ? "" : "; the last poll failed: " + lastFailure)
            + ". The restore may still finish; follow it in the dashboard rather than starting it again,"
            + " and ask Supabase support if it stays there.");
      }
      sleep(pause);
      pause = Duration.ofMillis(Math.min(pause.toMillis() * 2, Math.max(settings.restorePollInterval.toMillis(), 60_000)));
    }
    Map<String, String> health = api.health(project.ref(), List.of("db"));
    String db = health.getOrDefault("db", "");
    if (!db.equals("ACTIVE_HEALTHY")) {
      throw new LifeboatException(ErrorCode.RESTORE_FAILED, project + " is back but its database service reports '"
          + db + "'. Check the project in the dashboard.");
    }
    return "ACTIVE_HEALTHY";
  }

  /** Whether a failed poll may succeed later: not a refused token, a missing project or a bad setting. */
  private static boolean mayPass(LifeboatException e) {
    return e.code() == ErrorCode.REMOTE_API || e.code() == ErrorCode.QUOTA_EXCEEDED || e.code() == ErrorCode.CONNECTION;
  }

  /** Waits between polls; an interrupt (the CLI's answer to SIGTERM) ends the wait, not Supabase's restore. */
  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // The last line says what became of the destination, as every restorer's failure does.
      throw new LifeboatException(ErrorCode.ABORTED, "Stopped while waiting for " + project + " to come back from its restore."
          + System.lineSeparator() + "The restore goes on at Supabase without Lifeboat: check " + project
          + " in the Supabase dashboard before using it, and do not start the restore again.");
    }
  }

  /** The PITR window, or one instant in it (checked to lie inside). */
  private Snapshot window(SupabaseApi.Backups b, Instant at) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(ManifestKeys.SUPABASE_PROJECT_REF, project.ref());
    p.put("supabase.region", b.region());
    if (b.earliest() != null) {
      p.put("supabase.pitr.earliest", b.earliest().toString());
    }
    p.put("supabase.pitr.latest", b.latest().toString());
    if (at != null) {
      Instant earliest = b.earliest() != null ? b.earliest() : b.latest();
      if (at.isBefore(earliest) || at.isAfter(b.latest())) {
        throw new LifeboatException(ErrorCode.OUT_OF_RETENTION_WINDOW, at + " is outside the point-in-time window of " + project
            + ": " + earliest + " to " + b.latest() + " (UTC). Choose an instant inside it.");
      }
      p.put("supabase.pitr.target", at.toString());
    }
    Manifest m = Manifest.builder().id(at == null ? PITR : PITR + "@" + at).kind(SnapshotKind.BRANCH).format(Formats.SUPABASE_PLATFORM)
        .compression(Compression.NONE).size(0).createdAt(b.latest()).consistentAt(at != null ? at : b.latest())
        .source(new SourceFingerprint("supabase", null, "postgres", project.uri())).properties(p).build();
    return new Snapshot(project.uri(), m);
  }

  private Snapshot backup(SupabaseApi.Backup x, String region) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(ManifestKeys.SUPABASE_PROJECT_REF, project.ref());
    p.put("supabase.backupStatus", x.status());
    p.put("supabase.physical", Boolean.toString(x.physical()));
    p.put("supabase.region", region);
    p.put("supabase.insertedAt", x.insertedAtText());
    Instant at = x.insertedAt() != null ? x.insertedAt() : Instant.EPOCH;
    Manifest m = Manifest.builder().id(Long.toString(x.id())).kind(SnapshotKind.BRANCH).format(Formats.SUPABASE_PLATFORM)
        .compression(Compression.NONE).size(0).createdAt(at).consistentAt(at)
        .source(new SourceFingerprint("supabase", null, "postgres", project.uri())).properties(p).build();
    return x.status().equals("COMPLETED") ? new Snapshot(project.uri(), m)
        : Snapshot.damaged(project.uri(), m, "Supabase reports this backup as " + x.status());
  }

  private static String windowText(Manifest m) {
    return m.properties().getOrDefault("supabase.pitr.earliest", "?") + " to " + m.properties().getOrDefault("supabase.pitr.latest", "?");
  }

  /** An ISO-8601 UTC instant, or exit 2 saying how to write one. */
  static Instant instant(String text) {
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "'" + text + "' is not an ISO-8601 UTC instant; write it as"
          + " 2026-01-31T12:00:00Z.");
    }
  }

  /** The PITR window's length and the newest backup's age, held against {@code limits}. */
  @Override
  public List<HealthCheck> health(HealthLimits limits) {
    SupabaseApi.Backups b = api.backups(project.ref());
    List<HealthCheck> out = new ArrayList<>();
    Instant now = context.clock().instant();
    if (b.pitrEnabled() && b.latest() != null) {
      Duration window = Duration.between(b.earliest() != null ? b.earliest() : b.latest(), b.latest());
      out.add(HealthCheck.of("supabase.pitrWindow", window.toHours() + " h", ">= " + limits.minPitr().toHours() + " h",
          window.compareTo(limits.minPitr()) >= 0, "Raise the PITR retention of " + project + " (Add-ons > Point in time recovery)."));
    } else {
      out.add(HealthCheck.info("supabase.pitr", "disabled", "PITR is off for " + project + "; only daily backups can be restored."));
    }
    b.backups().stream().filter(x -> x.status().equals("COMPLETED") && x.insertedAt() != null)
        .max(Comparator.comparing(SupabaseApi.Backup::insertedAt))
        .ifPresent(x -> out.add(HealthCheck.info("supabase.newestBackupAge", Duration.between(x.insertedAt(), now).toHours() + " h",
            "Backup " + x.id() + " of " + x.insertedAtText())));
    return out;
  }
}
