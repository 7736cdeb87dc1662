package dev.lifeboat.internal;

import dev.lifeboat.Durations;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.HealthCheck;
import dev.lifeboat.HealthReport;
import dev.lifeboat.HealthRequest;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotKind;
import dev.lifeboat.Verification;
import dev.lifeboat.spi.HealthLimits;
import dev.lifeboat.spi.NativeSnapshots;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.SnapshotCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A health check of one store: the newest snapshot's age and stored bytes, damaged snapshots, the
 * last restore drill, and the platform's own checks for native snapshots. When the store cannot be
 * read the health cannot be determined: that is a {@link ErrorCode#TARGET_FAILED} error, not a
 * failed check.
 */
public final class HealthRun {
  static final String NEWEST_AGE = "newest snapshot age";
  static final String NEWEST_INTACT = "newest snapshot intact";
  static final String DAMAGED = "damaged snapshots";
  static final String LAST_DRILL = "last restore drill";

  private final ProviderRegistry registry;
  private final ProviderContext context;
  private final VerifyRun verifications;
  private final Clock clock;
  private final DrillHistory drills;

  public HealthRun(ProviderRegistry registry, ProviderContext context, VerifyRun verifications, Clock clock, DrillHistory drills) {
    this.registry = registry;
    this.context = context;
    this.verifications = verifications;
    this.clock = clock;
    this.drills = drills;
  }

  public HealthReport run(HealthRequest request) {
    Instant now = clock.instant();
    try (SnapshotCatalog catalog = registry.snapshots(request.target())) {
      Location where = catalog.location();
      if (request.platformLimitsGiven() && !(catalog instanceof NativeSnapshots)) {
        // Leaving them out silently would report HEALTHY for a window nobody checked.
        throw new LifeboatException(ErrorCode.CONFIGURATION, "--min-pitr and --max-branch-use hold a platform's own backups"
            + " to limits (neon://PROJECT_ID, supabase://PROJECT_REF); " + where
            + " holds snapshot archives, which have neither: leave those options out.");
      }
      List<Snapshot> all = undetermined(where, catalog::list);
      List<HealthCheck> checks = new ArrayList<>();
      Optional<Snapshot> newestIntact = newest(all.stream().filter(s -> !s.isDamaged()).toList());
      checks.add(age(newestIntact, request, now, where));
      newest(all).ifPresent(newest -> checks.add(intact(catalog, newest, request.deep())));
      checks.add(damaged(all, where));
      checks.add(lastDrill(catalog, request, now));
      if (catalog instanceof NativeSnapshots platform) {
        HealthLimits limits = new HealthLimits(request.minPitr(), request.maxBranchUsePercent());
        checks.addAll(undetermined(where, () -> platform.health(limits)));
      }
      return HealthReport.of(now, checks);
    }
  }

  /** What the store answers, or why its health cannot be determined. */
  private static <T> T undetermined(Location where, Supplier<T> read) {
    try {
      return read.get();
    } catch (LifeboatException e) {
      if (e.code() == ErrorCode.CONFIGURATION || e.code() == ErrorCode.UNKNOWN_SCHEME) {
        throw e;
      }
      throw undeterminedFailure(where, e);
    }
  }

  private static Optional<Snapshot> newest(List<Snapshot> oldestFirst) {
    return oldestFirst.isEmpty() ? Optional.empty() : Optional.of(oldestFirst.get(oldestFirst.size() - 1));
  }

  private static HealthCheck age(Optional<Snapshot> newest, HealthRequest request, Instant now, Location where) {
    String limit = request.maxAge().map(Durations::format).orElse(null);
    if (newest.isEmpty() || newest.get().createdAt() == null) {
      return HealthCheck.of(NEWEST_AGE, "no intact snapshot", limit == null ? "a snapshot" : limit, false,
          "Nothing to restore from: take a backup with 'lifeboat backup --target " + where + "'.");
    }
    Snapshot s = newest.get();
    Duration age = Duration.between(s.createdAt(), now);
    String value = age.isNegative() ? "in the future (" + s.createdAt() + ")" : Durations.format(age.truncatedTo(ChronoUnit.SECONDS));
    if (limit == null) {
      return HealthCheck.info(NEWEST_AGE, value, "Snapshot " + s.id() + "; give --max-age (your RPO) to hold it to a limit.");
    }
    boolean passed = age.compareTo(request.maxAge().get()) <= 0;
    return HealthCheck.of(NEWEST_AGE, value, limit, passed, passed
        ? "Snapshot " + s.id() + "."
        : "The newest backup, " + s.id() + ", is older than " + limit + ": check that the backup job still runs.");
  }

  private HealthCheck intact(SnapshotCatalog catalog, Snapshot newest, boolean deep) {
    String name = NEWEST_INTACT;
    if (newest.isDamaged()) {
      return HealthCheck.of(name, "damaged", "size and sha256 match", false,
          newest.id() + ": " + newest.damage() + ". Take a new backup; restore an older snapshot by its id meanwhile.");
    }
    if (newest.manifest().kind() == SnapshotKind.BRANCH) {
      return HealthCheck.of(name, "listed by the platform", "exists", true,
          newest.id() + " is a native snapshot: its bytes are kept by the platform.");
    }
    String limit = deep ? "size, sha256 and format readable" : "size and sha256 match";
    if (deep) {
      Verification v = verifications.verifyArchive(catalog, newest);
      String failures = v.checks().stream().filter(c -> c.status() == dev.lifeboat.Check.Status.FAILED)
          .map(c -> c.name() + ": " + c.detail()).collect(Collectors.joining("; "));
      if (v.passed() && dev.lifeboat.crypto.Encryption.isEncrypted(newest.manifest())) {
        // health takes no private key: of an encrypted archive only the ciphertext can be checked.
        return HealthCheck.of(name, "ciphertext intact", limit, true, newest.id()
            + " is encrypted: its stored bytes match; its format is checked by verify or drill with --private-key.");
      }
      return v.passed()
          ? HealthCheck.of(name, "intact, read whole", limit, true, newest.id() + " read through its format (" + newest.manifest().format() + ").")
          : HealthCheck.of(name, "damaged", limit, false, newest.id() + ": " + failures);
    }
    try (VerifiedArchive archive = new VerifiedArchive(RestoreRun.archiveTarget(catalog, newest), newest.manifest(), context)) {
      long bytes = archive.verify();
      return HealthCheck.of(name, bytes + " bytes, sha256 ok", limit, true,
          newest.id() + "; --deep also reads it through its format.");
    } catch (LifeboatException e) {
      if (e.code() != ErrorCode.CHECKSUM_MISMATCH) {
        throw undeterminedFailure(catalog.location(), e);
      }
      return HealthCheck.of(name, "damaged", limit, false, newest.id() + ": " + e.getMessage());
    }
  }

  private static LifeboatException undeterminedFailure(Location where, LifeboatException e) {
    return new LifeboatException(ErrorCode.TARGET_FAILED,
        "The health of " + where + " could not be determined: " + e.getMessage(), e);
  }

  private static HealthCheck damaged(List<Snapshot> all, Location where) {
    List<Snapshot> damaged = all.stream().filter(Snapshot::isDamaged).toList();
    if (damaged.isEmpty()) {
      return HealthCheck.of(DAMAGED, "0", "0", true, all.size() + (all.size() == 1 ? " snapshot" : " snapshots") + " listed, none damaged.");
    }
    return HealthCheck.of(DAMAGED, Integer.toString(damaged.size()), "0", false,
        damaged.stream().map(Snapshot::id).collect(Collectors.joining(", "))
            + ": see 'lifeboat list --target " + where + "', then delete them or restore them from a copy.");
  }

  private HealthCheck lastDrill(SnapshotCatalog catalog, HealthRequest request, Instant now) {
    String limit = request.maxDrillAge().map(d -> "passed, at most " + Durations.format(d) + " ago").orElse(null);
    Optional<DrillHistory.Drill> last = drills.lastDrill(catalog);
    if (last.isEmpty()) {
      // Without --max-drill-age no drill is information; with it, a store never drilled has not
      // met the limit the user set, however new its snapshots are.
      return limit == null
          ? HealthCheck.info(LAST_DRILL, "no drill recorded", "Prove a snapshot restores with a restore drill.")
          : HealthCheck.of(LAST_DRILL, "no drill recorded", limit, false,
              "No restore drill of " + catalog.location() + " is recorded: run 'lifeboat drill --target " + catalog.location() + "'.");
    }
    DrillHistory.Drill d = last.get();
    Duration age = Duration.between(d.finishedAt(), now);
    String value = (d.passed() ? "passed " : "failed ") + Durations.format(age.truncatedTo(ChronoUnit.SECONDS)) + " ago";
    if (limit == null) {
      return HealthCheck.of(LAST_DRILL, value, "passed", d.passed(), "Snapshot " + d.snapshotId() + ".");
    }
    boolean passed = d.passed() && age.compareTo(request.maxDrillAge().get()) <= 0;
    return HealthCheck.of(LAST_DRILL, value, limit, passed, passed
        ? "Snapshot " + d.snapshotId() + "."
        : "Snapshot " + d.snapshotId() + ": run a restore drill and fix what it finds.");
  }
}
