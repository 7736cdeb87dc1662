package dev.lifeboat;

import dev.lifeboat.internal.DefaultProviderContext;
import dev.lifeboat.internal.ProviderRegistry;
import dev.lifeboat.internal.StoredArchive;
import dev.lifeboat.io.DigestingOutputStream;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.Branching;
import dev.lifeboat.spi.Dump;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreJob;
import dev.lifeboat.spi.Restorer;
import dev.lifeboat.spi.SecretResolver;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up, lists, restores and verifies databases through the providers on the class path.
 *
 * <pre>{@code
 * try (Lifeboat lifeboat = Lifeboat.builder().build()) {
 *   Snapshot s = lifeboat.backup(BackupRequest.builder("postgresql://app@db/shop", "file:/backups")
 *       .label("reason", "nightly").build());
 *   RestoreResult r = lifeboat.restore(RestoreRequest.builder("file:/backups", s.id(),
 *       "postgresql://app@db/shop_restored").verify().build());
 * }
 * }</pre>
 *
 * <p>Thread-safe; create one per application and close it at shutdown. Drills, retention, health
 * and branching calls build on the same instance.
 */
public final class Lifeboat implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Lifeboat.class);
  private static final int COPY_BUFFER = 1 << 20;
  private static final long PROGRESS_EVERY = 64L << 20;

  private final DefaultProviderContext context;
  private final ProviderRegistry registry;
  private final Clock clock;
  private final ProgressListener progress;
  private final Set<RunningBackup> running = ConcurrentHashMap.newKeySet();
  private volatile boolean backupsAborted;

  private Lifeboat(Builder b) {
    this.clock = b.clock;
    this.progress = b.progress;
    this.context = new DefaultProviderContext(b.settings, b.secrets, b.clock, b.progress);
    this.registry = new ProviderRegistry(ProviderRegistry.discover(b.classLoader, b.providers), context);
    context.attach(registry);
    registry.checkSettings(b.settings);
  }

  public static Builder builder() {
    return new Builder();
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

  /** The installed providers, in the order they are asked. */
  public List<LifeboatProvider> providers() {
    return registry.providers();
  }

  /**
   * Backs up a source into a target. The target is checked first, before the source is dumped;
   * the dump is streamed through compression and SHA-256 into the target; nothing is listed
   * unless every byte arrived and the dump tool reported success.
   */
  public Snapshot backup(BackupRequest request) {
    Objects.requireNonNull(request, "request");
    RunningBackup op = start("Backup of " + request.source() + " into " + request.target());
    try (op) {
      return backup(request, op);
    } finally {
      running.remove(op);
    }
  }

  private Snapshot backup(BackupRequest request, RunningBackup op) {
    try (SnapshotTarget target = registry.target(request.target())) {
      target.checkWritable();
      if (target.snapshotsNatively(request.source())) {
        String id = SnapshotIds.next(clock);
        LOG.info("Taking native snapshot {} of {} in {}", id, request.source(), target.location());
        return target.snapshotNatively(request.source(), id, request.at().orElse(null), request.labels());
      }
      if (request.at().isPresent()) {
        throw new LifeboatException(ErrorCode.UNSUPPORTED,
            "A backup at a past instant needs a branching target (such as neon://project); "
                + target.location() + " can only store a dump of the source as it is now. Leave out --at.");
      }
      try (BackupSource source = registry.source(request.source())) {
        return dumpInto(source, target, request, op);
      } catch (RuntimeException e) {
        if (op.aborted() && !(e instanceof LifeboatException l && l.code() == ErrorCode.ABORTED)) {
          // What failed is what the abort closed; the abort is the news.
          throw op.stopped(e);
        }
        throw e;
      }
    }
  }

  private RunningBackup start(String description) {
    RunningBackup op = new RunningBackup(description);
    running.add(op);
    if (backupsAborted) {
      running.remove(op);
      throw new LifeboatException(ErrorCode.ABORTED,
          "This Lifeboat instance was stopped (abortBackups) and takes no new backups; build a new one.");
    }
    return op;
  }

  /**
   * Stops the backups this instance is running, for a shutdown (the command line calls it on
   * SIGTERM and Ctrl-C). Each backup's pending snapshot is discarded (a file target removes its
   * {@code .partial-} folder) and then its dump is closed, which stops the dump tool; the backups
   * fail with {@link ErrorCode#ABORTED}. A backup that committed before the abort is kept. From
   * this call on the instance refuses new backups; restores and verifications are not stopped.
   *
   * @param wait how long to wait for the running backups to let go of their files and processes
   * @return whether every running backup ended within {@code wait}
   */
  public boolean abortBackups(Duration wait) {
    Objects.requireNonNull(wait, "wait");
    backupsAborted = true;
    List<RunningBackup> now = List.copyOf(running);
    now.forEach(RunningBackup::abort);
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      for (RunningBackup op : now) {
        if (!op.awaitEnd(Duration.ofNanos(deadline - System.nanoTime()))) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Snapshot dumpInto(BackupSource source, SnapshotTarget target, BackupRequest request, RunningBackup op) {
    Compression compression = request.options().compression().orElseGet(source::defaultCompression);
    DumpOptions options = request.options().toBuilder().compression(compression).build();
    String id = SnapshotIds.next(clock);
    Instant createdAt = clock.instant();
    LOG.info("Backing up {} into {} as {}", request.source(), target.location(), id);
    try (Dump dump = op.attach(source.dump(options))) {
      String fileName = "archive." + dump.format() + compression.extension();
      try (PendingSnapshot pending = op.attach(target.create(id, fileName))) {
        DigestingOutputStream counted = new DigestingOutputStream(pending.output());
        long dumped = copyDump(dump, compression, counted, id);
        dump.finish();
        Manifest manifest = Manifest.builder()
            .id(id)
            .kind(SnapshotKind.ARCHIVE)
            .format(dump.format())
            .compression(compression)
            .size(counted.count())
            .sha256(counted.sha256Hex())
            .createdAt(createdAt)
            .consistentAt(dump.consistentAt())
            .source(dump.source())
            .inventory(dump.inventory())
            .labels(request.labels())
            .properties(dump.properties())
            .property("dumpBytes", Long.toString(dumped))
            .build();
        progress.onProgress(new Progress("store", counted.count(), manifest.inventory().totalCount(), id));
        if (op.aborted()) {
          // A dump stopped by the abort may look complete; the discarded pending refuses the commit anyway.
          throw op.stopped(null);
        }
        Snapshot snapshot = pending.commit(manifest);
        LOG.info("Backup {} stored: {} bytes, sha256 {}", id, manifest.size(), manifest.sha256());
        return snapshot;
      }
    }
  }

  /** Copies the dump into the target, compressing; returns the dump's own byte count. */
  private long copyDump(Dump dump, Compression compression, DigestingOutputStream counted, String id) {
    byte[] buffer = new byte[COPY_BUFFER];
    long total;
    InputStream in = dump.stream();
    OutputStream out;
    try {
      out = compression.compress(counted);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "Cannot start " + compression + " compression: " + e.getMessage(), e);
    }
    boolean finished = false;
    try {
      total = pump(dump, in, out, buffer, id);
      try {
        out.close();
      } catch (IOException e) {
        throw targetFailure(id, e);
      }
      finished = true;
      return total;
    } finally {
      if (!finished) {
        // Frees the compressor's native memory now rather than at garbage collection.
        closeQuietly(out);
      }
    }
  }

  private long pump(Dump dump, InputStream in, OutputStream out, byte[] buffer, String id) {
    long total = 0;
    long nextReport = PROGRESS_EVERY;
    while (true) {
      int n;
      try {
        n = in.read(buffer);
      } catch (IOException e) {
        // The dump's own error (pg_dump's stderr) says more than a broken pipe does.
        dump.finish();
        throw new LifeboatException(ErrorCode.SOURCE_FAILED,
            "Reading the dump of " + dump.source().uri() + " failed: " + e.getMessage() + ". Nothing was stored.", e);
      }
      if (n < 0) {
        break;
      }
      try {
        out.write(buffer, 0, n);
      } catch (IOException e) {
        throw targetFailure(id, e);
      }
      total += n;
      if (total >= nextReport) {
        progress.onProgress(new Progress("dump", total, -1, id));
        nextReport += PROGRESS_EVERY;
      }
    }
    return total;
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException | RuntimeException ignored) {
      // Already failing; the first error is the one to report.
    }
  }

  private static LifeboatException targetFailure(String id, IOException e) {
    String reason = String.valueOf(e.getMessage());
    String hint = reason.contains("No space left") ? " Free disk space in the target or choose another one." : "";
    return new LifeboatException(ErrorCode.TARGET_FAILED,
        "Writing snapshot " + id + " failed: " + reason + ". Nothing was stored." + hint, e);
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
    try (SnapshotTarget t = registry.target(target)) {
      return t.list();
    }
  }

  /**
   * The snapshot with this id (damaged or not), or the newest for {@code latest} (any case).
   *
   * @throws LifeboatException with {@link ErrorCode#CONFIGURATION} for an empty or blank id (it
   *     never means {@code latest}), {@link ErrorCode#NOT_FOUND} for an unknown id, and
   *     {@link ErrorCode#CHECKSUM_MISMATCH} for {@code latest} when the newest snapshot is damaged
   */
  public Snapshot snapshot(String target, String idOrLatest) {
    try (SnapshotTarget t = registry.target(Location.parse(target))) {
      return resolve(t, idOrLatest);
    }
  }

  /** Deletes one snapshot, damaged or not; {@code id} follows the rules of {@link #snapshot(String, String)}. */
  public void delete(String target, String id) {
    try (SnapshotTarget t = registry.target(Location.parse(target))) {
      t.delete(resolve(t, id).id());
    }
  }

  /**
   * Restores a snapshot. The archive's size and SHA-256 and its format are checked before anything
   * touches the destination; the restorer refuses protected and non-empty destinations unless the
   * options say otherwise. A damaged snapshot is refused with {@link ErrorCode#CHECKSUM_MISMATCH}.
   */
  public RestoreResult restore(RestoreRequest request) {
    Objects.requireNonNull(request, "request");
    long started = System.nanoTime();
    try (SnapshotTarget target = registry.target(request.target())) {
      Snapshot snapshot = intact(target, resolve(target, request.snapshot()));
      Manifest manifest = snapshot.manifest();
      RestoreResult result;
      if (manifest.kind() == SnapshotKind.BRANCH) {
        result = target.restoreNatively(snapshot, request.destination(), request.options());
      } else {
        Restorer restorer = registry.restorer(manifest.format(), request.destination());
        StoredArchive archive = new StoredArchive(target, manifest);
        checkChecksum(target, manifest);
        restorer.checkArchive(archive);
        LOG.info("Restoring snapshot {} into {}", manifest.id(), request.destination());
        result = restorer.restore(new RestoreJob(archive, request.destination(), request.options(), progress));
      }
      if (request.verify()) {
        Verification v = registry.verifier(manifest.format(), request.destination())
            .verify(manifest, request.destination(), request.options().tables(), request.expectations());
        result = result.withVerification(v);
      }
      return result.withElapsed(Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /**
   * Verifies a snapshot. Without a destination: its size, SHA-256 and format integrity. With one:
   * the restored database against the manifest and the request's expectations. A damaged snapshot
   * cannot be verified: it is refused with {@link ErrorCode#CHECKSUM_MISMATCH} and the reason.
   */
  public Verification verify(VerifyRequest request) {
    Objects.requireNonNull(request, "request");
    try (SnapshotTarget target = registry.target(request.target())) {
      Snapshot snapshot = intact(target, resolve(target, request.snapshot()));
      Manifest manifest = snapshot.manifest();
      if (request.destination().isPresent()) {
        Location destination = request.destination().get();
        return registry.verifier(manifest.format(), destination)
            .verify(manifest, destination, request.tables(), request.expectations());
      }
      return verifyArchive(target, manifest);
    }
  }

  private Verification verifyArchive(SnapshotTarget target, Manifest manifest) {
    List<Check> checks = new ArrayList<>();
    String subject = target.location().redacted() + "/" + manifest.id();
    if (manifest.kind() == SnapshotKind.BRANCH) {
      target.get(manifest.id()).ifPresentOrElse(
          s -> checks.add(Check.passed("branch exists", manifest.id())),
          () -> checks.add(Check.failed("branch exists", "the snapshot's branch is gone")));
      return new Verification(manifest.id(), subject, checks);
    }
    try {
      long bytes = checkChecksum(target, manifest);
      checks.add(Check.passed("size and sha256", bytes + " bytes, sha256 " + manifest.sha256()));
    } catch (LifeboatException e) {
      checks.add(Check.failed("size and sha256", e.getMessage()));
      return new Verification(manifest.id(), subject, checks);
    }
    registry.restorerFor(manifest.format()).ifPresentOrElse(r -> {
      try {
        checks.add(Check.passed("archive readable as " + manifest.format(), r.readArchive(new StoredArchive(target, manifest))));
      } catch (LifeboatException e) {
        checks.add(Check.failed("archive readable as " + manifest.format(), e.getMessage()));
      }
    }, () -> checks.add(Check.skipped("archive readable as " + manifest.format(), "no installed provider reads this format")));
    return new Verification(manifest.id(), subject, checks);
  }

  /** A branching platform (a Neon project, a local PostgreSQL server). Close it when done. */
  public Branching branching(String location) {
    return registry.branching(Location.parse(location));
  }

  /** Reads the whole stored archive, checking size and SHA-256; returns its size. */
  private long checkChecksum(SnapshotTarget target, Manifest manifest) {
    byte[] buffer = new byte[COPY_BUFFER];
    long total = 0;
    try (InputStream in = target.open(manifest.id())) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        total += n;
      }
      progress.onProgress(new Progress("check", total, -1, manifest.id()));
      return total;
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "Reading snapshot " + manifest.id() + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The snapshot named by an id or {@code latest}. An empty name is refused; {@code latest} is the
   * newest snapshot and never passes over a damaged one to an older snapshot.
   */
  private static Snapshot resolve(SnapshotTarget target, String idOrLatest) {
    SnapshotSelector.require(idOrLatest);
    if (SnapshotSelector.isLatest(idOrLatest)) {
      List<Snapshot> all = target.list();
      if (all.isEmpty()) {
        throw new LifeboatException(ErrorCode.NOT_FOUND,
            "Target " + target.location() + " holds no snapshots yet. Take one with 'lifeboat backup'.");
      }
      Snapshot newest = all.get(all.size() - 1);
      if (newest.isDamaged()) {
        throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
            "The newest snapshot in " + target.location() + ", " + newest.id() + ", is damaged: " + newest.damage()
                + ". 'latest' does not pass over it to an older snapshot: name the snapshot to use by its id"
                + " (see 'lifeboat list --target " + target.location() + "'), or delete " + newest.id() + ".");
      }
      return newest;
    }
    return target.get(idOrLatest).orElseThrow(() -> new LifeboatException(ErrorCode.NOT_FOUND,
        "No snapshot '" + idOrLatest + "' in " + target.location() + ". Run 'lifeboat list --target "
            + target.location() + "' to see the ids, or use 'latest'."));
  }

  private static Snapshot intact(SnapshotTarget target, Snapshot snapshot) {
    if (snapshot.isDamaged()) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
          "Snapshot " + snapshot.id() + " in " + target.location() + " is damaged: " + snapshot.damage()
              + ". It cannot be restored or verified; use another snapshot (see 'lifeboat list --target "
              + target.location() + "') or delete this one.");
    }
    return snapshot;
  }

  /** Closes shared resources (HTTP clients, driver pools) of the providers. */
  @Override
  public void close() {
    context.close();
  }

  /** Builds {@link Lifeboat} instances. */
  public static final class Builder {
    private final Map<String, String> settings = new LinkedHashMap<>();
    private SecretResolver secrets = SecretResolver.ENVIRONMENT;
    private Clock clock = Clock.systemUTC();
    private ProgressListener progress = ProgressListener.NONE;
    private ClassLoader classLoader = Lifeboat.class.getClassLoader();
    private final List<LifeboatProvider> providers = new ArrayList<>();

    private Builder() {}

    /** A provider setting, e.g. {@code pgdump.bin=/usr/lib/postgresql/16/bin}. */
    public Builder setting(String key, String value) { settings.put(key, value); return this; }
    public Builder settings(Map<String, String> values) { settings.putAll(values); return this; }
    /** Where secrets come from; the environment by default. */
    public Builder secrets(SecretResolver value) { secrets = Objects.requireNonNull(value); return this; }
    /** The clock for ids and timestamps; UTC system clock by default. */
    public Builder clock(Clock value) { clock = Objects.requireNonNull(value); return this; }
    public Builder progress(ProgressListener value) { progress = Objects.requireNonNull(value); return this; }
    /** Where {@link java.util.ServiceLoader} looks for providers. */
    public Builder classLoader(ClassLoader value) { classLoader = Objects.requireNonNull(value); return this; }
    /** A provider to use besides (and before) the discovered ones. */
    public Builder provider(LifeboatProvider value) { providers.add(Objects.requireNonNull(value)); return this; }

    public Lifeboat build() {
      return new Lifeboat(this);
    }
  }
}
