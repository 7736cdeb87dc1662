package dev.lifeboat;

import dev.lifeboat.internal.BackupRun;
import dev.lifeboat.internal.CatalogRun;
import dev.lifeboat.internal.DefaultProviderContext;
import dev.lifeboat.internal.DrillRecords;
import dev.lifeboat.internal.DrillRun;
import dev.lifeboat.internal.Events;
import dev.lifeboat.internal.HealthRun;
import dev.lifeboat.internal.ProviderRegistry;
import dev.lifeboat.internal.PruneRun;
import dev.lifeboat.internal.RestoreRun;
import dev.lifeboat.internal.VerifyRun;
import dev.lifeboat.spi.Branching;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Backs up, lists, restores and verifies databases through the providers on the class path.
 *
 * <pre>{@code
 * try (Lifeboat lifeboat = Lifeboat.builder().listener(e -> log.info("{}", e)).build()) {
 *   Snapshot s = lifeboat.backup(BackupRequest.builder("postgresql://app@db/shop", "file:/backups")
 *       .label("reason", "nightly").build());
 *   RestoreResult r = lifeboat.restore(RestoreRequest.builder("file:/backups", s.id(),
 *       "postgresql://app@db/shop_restored").verify().build());
 * }
 * }</pre>
 *
 * <p>Thread-safe; create one per application and close it at shutdown. Each operation is handed
 * to its own run class; every backup, restore and verification is reported to the
 * {@link LifeboatListener}s as a {@link LifeboatEvent} when it starts and when it succeeds or
 * fails. {@link #branches(String)} gives throwaway branches on branching platforms.
 */
public final class Lifeboat implements AutoCloseable {
  private final DefaultProviderContext context;
  private final ProviderRegistry registry;
  private final Events events;
  private final BackupRun backups;
  private final CatalogRun catalog;
  private final RestoreRun restores;
  private final VerifyRun verifications;
  private final DrillRun drills;
  private final PruneRun prunes;
  private final HealthRun health;

  Lifeboat(LifeboatBuilder b) {
    this.context = new DefaultProviderContext(b.settings, b.secrets, b.clock, b.progress);
    this.registry = new ProviderRegistry(b.providers, ProviderRegistry.discover(b.classLoader), context);
    context.attach(registry);
    registry.checkSettings(b.settings);
    this.events = new Events(b.listeners, b.clock);
    this.backups = new BackupRun(registry, b.clock, b.progress);
    this.catalog = new CatalogRun(registry);
    this.verifications = new VerifyRun(registry, context);
    this.restores = new RestoreRun(registry, context, verifications);
    this.drills = new DrillRun(registry, context, b.clock);
    this.prunes = new PruneRun(registry, b.clock, DrillRecords.HISTORY);
    this.health = new HealthRun(registry, context, verifications, b.clock, DrillRecords.HISTORY);
  }

  public static LifeboatBuilder builder() {
    return new LifeboatBuilder();
  }

  /** The schemes the installed providers serve, e.g. {@code [file, postgresql, postgres]}. */
  public Set<String> schemes() {
    return registry.schemes();
  }

  /**
   * The context this instance hands its providers: its settings, secrets, clock, progress listener,
   * shared objects, and the installed providers' parts. For tests and tools that drive SPI parts
   * directly; it is closed with this instance.
   */
  public ProviderContext providerContext() {
    return context;
  }

  /** The installed providers, in the order they are asked (see {@link LifeboatProvider#priority()}). */
  public List<LifeboatProvider> providers() {
    return registry.providers();
  }

  /**
   * Backs up a source into a target. The target is checked first, before the source is dumped;
   * the dump is streamed through compression and SHA-256 into the target; nothing is listed
   * unless every byte arrived and the dump tool reported success. A target that takes snapshots
   * natively (a Neon project for one of its branches) takes one instead of a dump.
   */
  public Snapshot backup(BackupRequest request) {
    Objects.requireNonNull(request, "request");
    return events.run("backup", request.target().redacted(), request.source().redacted(), scope -> backups.run(request), Snapshot::id);
  }

  /**
   * Stops the backups this instance is running, for a shutdown (the command line calls it on
   * SIGTERM and Ctrl-C). Each backup's pending snapshot is discarded and then its dump is closed,
   * which stops the dump tool; the backups fail with {@link ErrorCode#ABORTED}. A native snapshot
   * (a Neon backup branch) has no dump: its waiting thread is interrupted, and its failure says
   * what the platform was left holding. A backup that committed before the abort is kept. From this call on the instance refuses new backups;
   * restores and verifications are not stopped.
   *
   * @param wait how long to wait for the running backups to let go of their files and processes
   * @return whether every running backup ended within {@code wait}
   */
  public boolean abortBackups(Duration wait) {
    return backups.abortAll(Objects.requireNonNull(wait, "wait"));
  }

  /**
   * Every snapshot in a target, oldest first, damaged ones included ({@link Snapshot#isDamaged()}).
   *
   * @throws LifeboatException with {@link ErrorCode#NOT_FOUND} when the target does not exist (a
   *     file target's folder), {@link ErrorCode#CONFIGURATION} when it cannot hold snapshots
   */
  public List<Snapshot> list(String target) {
    return list(Location.parse(target));
  }

  /** Every snapshot in a target, oldest first, damaged ones included; see {@link #list(String)}. */
  public List<Snapshot> list(Location target) {
    return catalog.list(target);
  }

  /**
   * The snapshot with this id (damaged or not), or the newest for {@code latest} (any case).
   *
   * @throws LifeboatException with {@link ErrorCode#CONFIGURATION} for an empty or blank id (it
   *     never means {@code latest}), {@link ErrorCode#NOT_FOUND} for an unknown id, and
   *     {@link ErrorCode#CHECKSUM_MISMATCH} for {@code latest} when the newest snapshot is damaged
   */
  public Snapshot snapshot(String target, String idOrLatest) {
    return catalog.snapshot(Location.parse(target), idOrLatest);
  }

  /** Deletes one snapshot, damaged or not; {@code id} follows the rules of {@link #snapshot(String, String)}. */
  public void delete(String target, String id) {
    catalog.delete(Location.parse(target), id);
  }

  /**
   * Restores a snapshot. The archive is read from its target once: its size and SHA-256 and its
   * format are checked before anything touches the destination; the restorer refuses protected
   * and non-empty destinations unless the options say otherwise. A damaged snapshot is refused
   * with {@link ErrorCode#CHECKSUM_MISMATCH}.
   */
  public RestoreResult restore(RestoreRequest request) {
    Objects.requireNonNull(request, "request");
    return events.run("restore", request.target().redacted(), request.destination().redacted(), scope -> restores.run(request, scope), RestoreResult::snapshotId);
  }

  /**
   * Verifies a snapshot. Without a destination: its size, SHA-256 and format integrity. With one:
   * the restored database against the manifest and the request's expectations. A damaged snapshot
   * cannot be verified: it is refused with {@link ErrorCode#CHECKSUM_MISMATCH} and the reason.
   */
  public Verification verify(VerifyRequest request) {
    Objects.requireNonNull(request, "request");
    return events.run("verify", request.target().redacted(),
        request.destination().map(Location::redacted).orElse(null), scope -> verifications.run(request, scope), Verification::snapshotId);
  }

  /** Applies a retention policy to a target and deletes what it removes unless a dry run; see {@link PruneResult}. */
  public PruneResult prune(PruneRequest request) {
    return events.run("prune", request.target().redacted(), scope -> prunes.run(request), r -> null);
  }

  /** Checks a target's health; {@link ErrorCode#TARGET_FAILED} when it cannot be determined. */
  public HealthReport health(HealthRequest request) {
    return events.run("health", request.target().redacted(), scope -> health.run(request), r -> null);
  }

  /**
   * Restore drill: restores into a throwaway database on {@code into}, verifies, measures RTO/RPO,
   * always drops it, writes the report and records the drill. Failed checks or objectives give a
   * report that did not pass; a drill that could not run to its end has {@link DrillReport#error()}.
   */
  public DrillReport drill(DrillRequest request) {
    Objects.requireNonNull(request, "request");
    return events.run("drill", request.target().redacted(), scope -> drills.run(request, scope), DrillReport::snapshotId);
  }

  /** Drops the scratch databases of the drills running now (the command line does on SIGTERM). */
  public void cleanUpDrills() { drills.cleanUpRunning(); }

  /** The newest drill recorded in {@code target}, for health reports and retention. */
  public Optional<DrillRecord> lastDrill(String target) { return drills.last(Location.parse(target)); }

  /**
   * The branches of a branching platform (a Neon project, a local PostgreSQL server); branches
   * created through it come as handles that delete them when closed. Close it when done.
   */
  public Branches branches(String location) {
    Location platform = Location.parse(location);
    return new Branches(registry.branching(platform), platform);
  }

  /**
   * The branching platform's SPI object, for tests and tools that drive it directly. Applications
   * use {@link #branches(String)}. Close it when done.
   */
  public Branching branching(String location) {
    return registry.branching(Location.parse(location));
  }

  /** Closes shared resources (HTTP clients, driver pools) of the providers. */
  @Override
  public void close() {
    context.close();
  }
}
