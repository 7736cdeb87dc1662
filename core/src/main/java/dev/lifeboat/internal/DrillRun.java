package dev.lifeboat.internal;

import dev.lifeboat.Check;
import dev.lifeboat.DrillReport;
import dev.lifeboat.DrillReport.DrillCheck;
import dev.lifeboat.DrillReport.Objective;
import dev.lifeboat.DrillRequest;
import dev.lifeboat.Durations;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Redactor;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotKind;
import dev.lifeboat.Verification;
import dev.lifeboat.Version;
import dev.lifeboat.crypto.Encryption;
import dev.lifeboat.crypto.PrivateKey;
import dev.lifeboat.spi.NativeDrills;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreJob;
import dev.lifeboat.spi.Restorer;
import dev.lifeboat.spi.ScratchDatabases;
import dev.lifeboat.spi.SnapshotCatalog;
import dev.lifeboat.spi.SnapshotTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restore drill: the snapshot is resolved, its stored bytes and format checked before anything
 * is created, a scratch database named {@code lifeboat_drill_<utc>_<random>} is restored into on
 * the {@code into} server (timed) and verified against the manifest and the expectations, the
 * recovery objectives are compared, and the scratch database is dropped in {@code finally}.
 * Leftovers of killed drills on the same server are dropped first once older than the drill
 * timeout. The report is written (also for failed drills) and the drill recorded beside the
 * snapshots. A platform's own snapshot (and a point in time of a platform branch) is drilled in a
 * throwaway copy the platform makes ({@link NativeDrills}), with the same naming, sweep, cleanup,
 * report and record.
 */
public final class DrillRun {
  /** The longest a drill may take; scratch databases older than this are a killed drill's leftovers. */
  public static final String TIMEOUT_SETTING = "lifeboat.drill.timeout";
  /** Every scratch database's name starts with this. */
  public static final String PREFIX = "lifeboat_drill_";
  private static final Duration DEFAULT_TIMEOUT = Duration.ofHours(6);
  private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Logger LOG = LoggerFactory.getLogger(DrillRun.class);
  private static final String SCRATCH = "scratch database";

  private final ProviderRegistry registry;
  private final ProviderContext context;
  private final Clock clock;
  /** How to drop each running drill's scratch database or copy, for {@link #cleanUpRunning()} on a shutdown. */
  private final Map<String, Consumer<String>> running = new ConcurrentHashMap<>();

  public DrillRun(ProviderRegistry registry, ProviderContext context, Clock clock) {
    this.registry = registry;
    this.context = context;
    this.clock = clock;
  }

  public DrillReport run(DrillRequest request, Events.Scope scope) {
    // The report is written last: a folder it cannot go into must stop the drill before it runs,
    // not throw its verdict away after it ran.
    request.reportDir().ifPresent(DrillReports::requireFolder);
    Instant started = clock.instant();
    String drillId = PREFIX + NAME_TIME.format(started).toLowerCase(java.util.Locale.ROOT) + "_"
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    Outcome o = new Outcome(drillId, started);
    if (request.at().isPresent()) {
      NativeDrills drills = registry.nativeDrills(request.target());
      o.target = request.target().redacted();
      Manifest drilled = drills.pointInTime(request.target(), request.at().get());
      scope.snapshot(drilled.id());
      nativeDrill(drills, drilled, null, request, o);
      return finish(o, request, record -> DrillRecords.record(drills, record));
    }
    try (SnapshotCatalog catalog = catalog(request.target())) {
      o.target = catalog.location().redacted();
      Snapshot snapshot;
      try {
        snapshot = CatalogRun.intact(catalog, request.snapshot());
      } catch (LifeboatException e) {
        if (e.code() != ErrorCode.CHECKSUM_MISMATCH) {
          throw e;
        }
        o.checks.add(new DrillCheck("stored bytes", false, "an intact snapshot", e.getMessage()));
        return finish(o, request, null);
      }
      scope.snapshot(snapshot.id());
      Manifest manifest = snapshot.manifest();
      o.manifest = manifest;
      if (manifest.kind() == SnapshotKind.BRANCH) {
        NativeDrills drills = registry.nativeDrills(request.target());
        nativeDrill(drills, manifest, snapshot, request, o);
        return finish(o, request, record -> DrillRecords.record(drills, record));
      }
      Optional<PrivateKey> key;
      try {
        // A missing key is a usage error (exit 2); a wrong one fails the drill before anything is created.
        key = Encryption.keyFor(manifest, request.privateKey());
      } catch (LifeboatException e) {
        if (e.code() != ErrorCode.DECRYPTION_FAILED) {
          throw e;
        }
        o.checks.add(new DrillCheck("private key", false, Encryption.keyFingerprint(manifest).orElse("?"), e.getMessage()));
        return finish(o, request, null);
      }
      Location into = request.into().orElseThrow(() -> new LifeboatException(ErrorCode.CONFIGURATION,
          "Snapshot " + snapshot.id() + " is an archive: a drill restores it into a scratch database. Give the server with --into URI"
              + " (e.g. postgresql://user@host:5432/postgres)."));
      ScratchDatabases scratch = registry.scratch(into);
      Restorer restorer = registry.restorer(manifest.format(), scratch.locate(drillId));
      try {
        drill(RestoreRun.archiveTarget(catalog, snapshot), scratch, restorer, request, o, key);
      } catch (LifeboatException e) {
        if (e.code().exitStatus() == ErrorCode.CONFIGURATION.exitStatus()) {
          throw e;
        }
        // The drill could not run (server down, scratch data unreadable): reported, never hidden.
        o.error = e;
      }
      return finish(o, request, record -> DrillRecords.record(catalog, record));
    }
  }

  /**
   * A drill on the platform: the snapshot's reference contents are read first (nothing created
   * yet), leftovers of killed drills are swept, the platform makes the throwaway copy (timed as
   * the restore; no data is copied) with an expiry as a safety net, the copy is verified against
   * the reference and the expectations, and deleted in {@code finally}.
   */
  private void nativeDrill(NativeDrills drills, Manifest drilled, Snapshot snapshot, DrillRequest request, Outcome o) {
    o.manifest = drilled;
    o.noun = "throwaway copy";
    request.into().ifPresent(into -> LOG.warn("Drill {}: {} is not used; the platform makes the drill's copy of {}",
        o.drillId, into.redacted(), drilled.id()));
    Manifest reference = null;
    if (snapshot != null) {
      try {
        reference = drills.reference(snapshot);
        o.checks.add(new DrillCheck("snapshot readable", true, "its tables and exact counts, read-only",
            reference.inventory().items().size() + " tables, " + reference.inventory().totalCount() + " rows"));
      } catch (LifeboatException e) {
        if (e.code().exitStatus() == ErrorCode.CONFIGURATION.exitStatus()) {
          throw e;
        }
        o.error = e;
        return;
      }
    }
    sweep(drills::list, drills::delete);
    running.put(o.drillId, drills::delete);
    // Set before the copy is asked for: a create that fails half-way may still leave it behind.
    o.created = true;
    try {
      long restoreStart = System.nanoTime();
      Instant expiresAt = clock.instant().plus(timeout());
      LOG.info("Drill {}: copying {} on the platform (expires {})", o.drillId, drilled.id(), expiresAt);
      NativeDrills.DrillCopy copy = drills.create(drilled, reference, o.drillId, expiresAt);
      o.made = true;
      o.destination = copy.location().redacted();
      o.reference = copy.reference();
      long verifyStart = System.nanoTime();
      o.restoreSeconds = seconds(verifyStart - restoreStart);
      Verification v = registry.verifier(copy.verifierFormat(), copy.location())
          .verify(copy.reference(), copy.location(), request.tables(), request.expectations());
      long verifyEnd = System.nanoTime();
      o.verifySeconds = seconds(verifyEnd - verifyStart);
      o.rtoSeconds = seconds(verifyEnd - restoreStart);
      v.checks().stream().filter(c -> c.status() != Check.Status.SKIPPED).forEach(c -> o.checks.add(drillCheck(c, copy.reference())));
    } catch (LifeboatException e) {
      o.error = e;
    } catch (RuntimeException e) {
      o.error = new LifeboatException(ErrorCode.RESTORE_FAILED, "The drill failed: " + e, e);
    } finally {
      cleanUp(drills::delete, o);
    }
  }

  /** Where the snapshots are kept; a platform branch given instead is a usage error that says what to do. */
  private SnapshotCatalog catalog(Location target) {
    try {
      return registry.snapshots(target);
    } catch (LifeboatException e) {
      if (e.code() == ErrorCode.UNSUPPORTED && platformDrills(target)) {
        throw new LifeboatException(ErrorCode.CONFIGURATION, target.redacted() + " is a database on a platform, not where snapshots"
            + " are kept: drill it as it was at an instant with --at INSTANT, or drill its backups with --target set to where they are kept.", e);
      }
      throw e;
    }
  }

  private boolean platformDrills(Location target) {
    try {
      registry.nativeDrills(target);
      return true;
    } catch (LifeboatException e) {
      return false;
    }
  }

  /** The newest drill recorded in {@code target}. */
  public java.util.Optional<dev.lifeboat.DrillRecord> last(Location target) {
    try (SnapshotCatalog catalog = registry.snapshots(target)) {
      return DrillRecords.latest(catalog);
    }
  }

  /** Drops the scratch databases of the drills running now; for a shutdown hook. */
  public void cleanUpRunning() {
    running.forEach((name, drop) -> {
      try {
        drop.accept(name);
        LOG.info("Dropped scratch database {} of an interrupted drill", name);
      } catch (RuntimeException e) {
        LOG.warn("Could not drop scratch database {} of an interrupted drill: {}; drop it by hand.", name, e.getMessage());
      }
    });
  }

  private void drill(SnapshotTarget target, ScratchDatabases scratch, Restorer restorer, DrillRequest request, Outcome o,
      Optional<PrivateKey> key) {
    Manifest manifest = o.manifest;
    Location destination = scratch.locate(o.drillId);
    o.destination = destination.redacted();
    try (VerifiedArchive archive = new VerifiedArchive(target, manifest, context, key)) {
      if (!storedBytesIntact(archive, restorer, o)) {
        return;
      }
      sweep(scratch::list, scratch::drop);
      running.put(o.drillId, scratch::drop);
      o.created = true;
      try {
        long restoreStart = System.nanoTime();
        RestoreOptions options = RestoreOptions.builder().tables(request.tables()).build();
        LOG.info("Drill {}: restoring snapshot {} into {}", o.drillId, manifest.id(), destination);
        restorer.restore(new RestoreJob(archive, destination, options, context.progress()));
        long verifyStart = System.nanoTime();
        o.restoreSeconds = seconds(verifyStart - restoreStart);
        Verification v = registry.verifier(manifest.format(), destination)
            .verify(manifest, destination, request.tables(), request.expectations());
        long verifyEnd = System.nanoTime();
        o.verifySeconds = seconds(verifyEnd - verifyStart);
        o.rtoSeconds = seconds(verifyEnd - restoreStart);
        v.checks().stream().filter(c -> c.status() != Check.Status.SKIPPED).forEach(c -> o.checks.add(drillCheck(c, manifest)));
      } catch (LifeboatException e) {
        o.error = e;
      } catch (RuntimeException e) {
        o.error = new LifeboatException(ErrorCode.RESTORE_FAILED, "The drill failed: " + e, e);
      } finally {
        cleanUp(scratch::drop, o);
      }
    }
  }

  /** Size, SHA-256 and format, read once, before anything is created; a failure is a failed check. */
  private static boolean storedBytesIntact(VerifiedArchive archive, Restorer restorer, Outcome o) {
    try {
      long bytes = archive.verify();
      o.checks.add(new DrillCheck("size and sha256", true, o.manifest.size() + " bytes, sha256 " + o.manifest.sha256(), bytes + " bytes, same sha256"));
    } catch (LifeboatException e) {
      if (e.code() == ErrorCode.DECRYPTION_FAILED) {
        // Decryption runs only once the stored bytes matched their checksum.
        o.checks.add(new DrillCheck("size and sha256", true, o.manifest.size() + " bytes, sha256 " + o.manifest.sha256(), "same"));
        o.checks.add(new DrillCheck("decrypts", false, "every segment authentic", e.getMessage()));
        return false;
      }
      o.checks.add(new DrillCheck("size and sha256", false, o.manifest.size() + " bytes, sha256 " + o.manifest.sha256(), e.getMessage()));
      return false;
    }
    try {
      restorer.checkArchive(archive);
      o.checks.add(new DrillCheck("archive readable as " + o.manifest.format(), true, "readable", "readable"));
      return true;
    } catch (LifeboatException e) {
      if (e.code() != ErrorCode.CHECKSUM_MISMATCH && e.code() != ErrorCode.DECRYPTION_FAILED) {
        throw e;
      }
      o.checks.add(new DrillCheck("archive readable as " + o.manifest.format(), false, "readable", e.getMessage()));
      return false;
    }
  }

  private void cleanUp(Consumer<String> drop, Outcome o) {
    try {
      drop.accept(o.drillId);
      o.cleanedUp = true;
      o.cleanup = o.noun.equals(SCRATCH) || o.made ? o.noun + " " + o.drillId + (o.noun.equals(SCRATCH) ? " dropped" : " deleted")
          // The platform refused the copy: the delete found nothing, which is what it checked.
          : o.noun + " " + o.drillId + " was not made (its creation failed); none left behind";
    } catch (RuntimeException e) {
      o.cleanup = o.noun + " " + o.drillId + " could not be " + (o.noun.equals(SCRATCH) ? "dropped" : "deleted") + ": "
          + Redactor.redact(String.valueOf(e.getMessage()))
          + "; the next drill on this " + (o.noun.equals(SCRATCH) ? "server" : "platform") + " removes it once older than the drill timeout";
      LOG.warn("Drill {}: {}", o.drillId, o.cleanup);
    } finally {
      running.remove(o.drillId);
    }
  }

  /** Drops scratch databases (or platform copies) of killed drills, older than the drill timeout. */
  private void sweep(java.util.function.Function<String, List<String>> list, Consumer<String> drop) {
    Duration timeout = timeout();
    Instant cutoff = clock.instant().minus(timeout);
    for (String name : list.apply(PREFIX)) {
      Instant at = timeOf(name);
      if (at != null && at.isBefore(cutoff) && !running.containsKey(name)) {
        try {
          drop.accept(name);
          LOG.info("Dropped {}: left by a drill that did not end, older than {}", name, Durations.format(timeout));
        } catch (RuntimeException e) {
          LOG.warn("Could not drop {}, left by an earlier drill: {}", name, e.getMessage());
        }
      }
    }
  }

  /** The longest a drill may take: the drill timeout setting, 6 h by default. */
  private Duration timeout() {
    return context.setting(TIMEOUT_SETTING).map(DrillRun::timeout).orElse(DEFAULT_TIMEOUT);
  }

  private static Duration timeout(String text) {
    return Durations.parse(text).filter(d -> !d.isNegative() && !d.isZero()).orElseThrow(() -> new LifeboatException(
        ErrorCode.CONFIGURATION, "Setting " + TIMEOUT_SETTING + " is '" + text + "'; give " + Durations.ACCEPTED_FORMS + "."));
  }

  /** The UTC time in a scratch database's name, or {@code null} for a name not given by a drill. */
  static Instant timeOf(String name) {
    if (!name.startsWith(PREFIX) || name.length() < PREFIX.length() + 16) {
      return null;
    }
    try {
      return Instant.from(NAME_TIME.parse(name.substring(PREFIX.length(), PREFIX.length() + 16).toUpperCase(java.util.Locale.ROOT)));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static DrillCheck drillCheck(Check c, Manifest manifest) {
    String expected = "passes";
    if (c.name().startsWith("count ")) {
      String item = c.name().substring("count ".length());
      expected = manifest.inventory().find(item).filter(InventoryItem::counted).map(i -> String.valueOf(i.count())).orElse("as in the manifest");
    } else if (c.name().startsWith("exists ") || c.name().startsWith("columns ") || c.name().startsWith("indexes ")) {
      expected = "as in the manifest";
    }
    return new DrillCheck(c.name(), c.status() == Check.Status.PASSED, expected, Redactor.redact(c.detail()));
  }

  private DrillReport finish(Outcome o, DrillRequest request, Consumer<DrillReport> recorder) {
    Instant finished = clock.instant();
    Manifest m = o.manifest;
    Instant takenAt = m == null ? null : (m.consistentAt() != null ? m.consistentAt() : m.createdAt());
    Double rpo = takenAt == null ? null : seconds(Duration.between(takenAt, o.started).toNanos());
    Map<String, Objective> objectives = new LinkedHashMap<>();
    request.rto().ifPresent(limit -> objectives.put("rto", objective(limit, o.rtoSeconds)));
    request.rpo().ifPresent(limit -> objectives.put("rpo", objective(limit, rpo)));
    boolean passed = o.error == null && !o.checks.isEmpty() && o.checks.stream().allMatch(DrillCheck::passed)
        && objectives.values().stream().allMatch(Objective::met) && (o.cleanedUp || !o.created);
    DrillReport report = new DrillReport(o.drillId, passed, m == null ? null : m.id(),
        m == null || m.source() == null ? null : Redactor.redact(m.source().uri()), takenAt, o.target, o.destination,
        o.started, finished, o.restoreSeconds, o.verifySeconds, o.rtoSeconds, rpo, m == null ? null : m.size(),
        rows(o), objectives, o.checks, o.cleanedUp || !o.created,
        o.created ? o.cleanup : "nothing was created", o.error == null ? null : o.error.getMessage(),
        o.error == null ? null : o.error.code(), Version.current(), null);
    if (recorder != null && m != null) {
      recorder.accept(report);
    }
    return request.reportDir().map(dir -> report.withFiles(DrillReports.write(report, dir))).orElse(report);
  }

  /** The rows the drill checked: the platform copy's reference when there is one, else the manifest's. */
  private static Long rows(Outcome o) {
    Manifest counted = o.reference != null ? o.reference : o.manifest;
    return counted == null ? null : Long.valueOf(counted.inventory().totalCount());
  }

  private static Objective objective(Duration limit, Double actual) {
    double seconds = seconds(limit.toNanos());
    return new Objective(seconds, actual, actual != null && actual <= seconds);
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1_000_000.0) / 1000.0;
  }

  /** What a drill found so far. */
  private static final class Outcome {
    final String drillId;
    final Instant started;
    final List<DrillCheck> checks = new ArrayList<>();
    Manifest manifest;
    /** What a platform copy was verified against, when it is not the manifest. */
    Manifest reference;
    /** What the drill restores into, for the cleanup line. */
    String noun = SCRATCH;
    String target;
    String destination;
    Double restoreSeconds;
    Double verifySeconds;
    Double rtoSeconds;
    boolean created;
    boolean cleanedUp;
    /** Whether the platform returned the throwaway copy (native drills). */
    boolean made;
    String cleanup;
    LifeboatException error;

    Outcome(String drillId, Instant started) {
      this.drillId = drillId;
      this.started = started;
    }
  }
}
