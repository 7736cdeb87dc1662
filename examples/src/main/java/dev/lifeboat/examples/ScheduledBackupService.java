package dev.lifeboat.examples;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Location;
import dev.lifeboat.Snapshot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedding Lifeboat in a service: a labelled backup on a schedule, the last good snapshot kept in
 * memory, and a health line that says how old the last good backup is (for a health endpoint).
 *
 * <pre>{@code
 * try (Lifeboat lifeboat = Lifeboat.builder().build();
 *      ScheduledBackupService backups = new ScheduledBackupService(lifeboat, "postgresql://app@db/shop",
 *          "file:/backups", Map.of("app", "shop"), Duration.ofHours(26), Clock.systemUTC())) {
 *   backups.start(Duration.ZERO, Duration.ofHours(24));
 *   ...
 *   String health = backups.healthLine(); // "OK  last good backup 2026...Z is 3h 12m old (limit 26h)"
 * }
 * }</pre>
 *
 * <p>A failed backup never stops the schedule; it is counted, logged and shown in the health line.
 */
public final class ScheduledBackupService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduledBackupService.class);

  private final Lifeboat lifeboat;
  private final String source;
  private final String target;
  private final Map<String, String> labels;
  private final Duration maxAge;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong runs = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile Snapshot lastGood;
  private volatile String lastError;

  /**
   * @param lifeboat the application's Lifeboat instance (not closed by this service)
   * @param source the database URI
   * @param target where snapshots are kept
   * @param labels labels every snapshot of this service carries
   * @param maxAge the age of the last good backup beyond which the service is unhealthy (the RPO)
   * @param clock where "now" comes from
   */
  public ScheduledBackupService(Lifeboat lifeboat, String source, String target, Map<String, String> labels,
      Duration maxAge, Clock clock) {
    this.lifeboat = Objects.requireNonNull(lifeboat, "lifeboat");
    this.source = Objects.requireNonNull(source, "source");
    this.target = Objects.requireNonNull(target, "target");
    this.labels = Map.copyOf(labels);
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    this.clock = Objects.requireNonNull(clock, "clock");
    ThreadFactory daemon = r -> {
      Thread t = new Thread(r, "lifeboat-scheduled-backup");
      t.setDaemon(true);
      return t;
    };
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon);
  }

  /** Runs {@link #backupNow()} after {@code initialDelay} and then {@code interval} after each run ends. */
  public void start(Duration initialDelay, Duration interval) {
    scheduler.scheduleWithFixedDelay(this::backupNow, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Takes one backup now, labelled with the service's labels plus {@code run=<n>}. Never throws:
   * a failure is recorded for the health line.
   *
   * @return the new snapshot, or empty when the backup failed
   */
  public Optional<Snapshot> backupNow() {
    long run = started.incrementAndGet();
    try {
      Map<String, String> all = new LinkedHashMap<>(labels);
      all.put("run", Long.toString(run));
      Snapshot s = lifeboat.backup(BackupRequest.builder(source, target).labels(all).build());
      lastGood = s;
      lastError = null;
      LOG.info("Scheduled backup {} of {} stored as {}", run, Location.redact(source), s.id());
      return Optional.of(s);
    } catch (RuntimeException e) {
      // Anything escaping a scheduled task would silently cancel the schedule.
      failures.incrementAndGet();
      lastError = Location.redact(e.getMessage());
      LOG.warn("Scheduled backup {} of {} failed: {}", run, Location.redact(source), lastError);
      return Optional.empty();
    } finally {
      runs.incrementAndGet();
    }
  }

  /** The id of the last snapshot that was stored, if any. */
  public Optional<String> lastSnapshotId() {
    return Optional.ofNullable(lastGood).map(Snapshot::id);
  }

  /** How old the last good backup is, if there is one. */
  public Optional<Duration> lastGoodAge() {
    Snapshot s = lastGood;
    return s == null ? Optional.empty() : Optional.of(Duration.between(s.createdAt(), clock.instant()));
  }

  /** Whether a good backup exists and is younger than the limit. */
  public boolean healthy() {
    return lastGoodAge().map(age -> age.compareTo(maxAge) <= 0).orElse(false);
  }

  /** Backups finished so far, good or failed. */
  public long runs() {
    return runs.get();
  }

  /** Backups that failed so far. */
  public long failures() {
    return failures.get();
  }

  /**
   * One line for a health endpoint: {@code OK}, {@code STALE} or {@code NO BACKUP}, the age of
   * the last good backup against the limit, and the last error when the latest run failed.
   */
  public String healthLine() {
    Snapshot s = lastGood;
    String error = lastError == null ? "" : "; last run failed: " + lastError;
    if (s == null) {
      return "NO BACKUP  no good backup yet after " + runs.get() + " runs" + error;
    }
    Duration age = Duration.between(s.createdAt(), clock.instant());
    return (healthy() ? "OK" : "STALE") + "  last good backup " + s.id() + " is " + human(age) + " old (limit "
        + human(maxAge) + ")" + error;
  }

  static String human(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m " + (s % 60) + "s";
    }
    if (s < 86400) {
      return (s / 3600) + "h " + (s % 3600 / 60) + "m";
    }
    return (s / 86400) + "d " + (s % 86400 / 3600) + "h";
  }

  /** Stops the schedule, letting a running backup finish (up to a minute). */
  @Override
  public void close() {
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(1, TimeUnit.MINUTES)) {
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code ScheduledBackupService [DATABASE_URI [TARGET [INTERVAL [RUNS]]]]}: takes RUNS backups
   * (default 3) every INTERVAL (ISO-8601, default PT2S) into TARGET (default ./scheduled-backups),
   * printing the health line after each. Without a URI it backs up an embedded sample database.
   */
  public static void main(String[] args) throws InterruptedException {
    String target = args.length > 1 ? args[1] : Location.of(Path.of("scheduled-backups")).raw();
    Duration interval = args.length > 2 ? Duration.parse(args[2]) : Duration.ofSeconds(2);
    int wanted = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    SampleDatabase sample = args.length > 0 ? null : SampleDatabase.start("bank", 500);
    String source = args.length > 0 ? args[0] : sample.uri();
    try (Lifeboat lifeboat = Lifeboat.builder().build();
        ScheduledBackupService service = new ScheduledBackupService(lifeboat, source, target,
            Map.of("app", "example", "schedule", "every-" + interval), interval.multipliedBy(3), Clock.systemUTC())) {
      service.start(Duration.ZERO, interval);
      while (service.runs() < wanted) {
        Thread.sleep(200);
      }
      System.out.println(service.healthLine());
      lifeboat.list(target).forEach(s -> System.out.println("  " + s));
      if (!service.healthy()) {
        System.exit(1);
      }
    } finally {
      if (sample != null) {
        sample.close();
      }
    }
  }
}
