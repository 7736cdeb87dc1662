package dev.lifeboat.internal;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import dev.lifeboat.ManifestKeys;
import dev.lifeboat.Progress;
import dev.lifeboat.ProgressListener;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.SnapshotKind;
import dev.lifeboat.crypto.Encryption;
import dev.lifeboat.crypto.KeyPairFiles;
import dev.lifeboat.crypto.PublicKey;
import dev.lifeboat.io.DigestingOutputStream;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.Dump;
import dev.lifeboat.spi.NativeSnapshots;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.SnapshotCatalog;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups of one Lifeboat instance: the target is checked before the source is dumped; the dump
 * streams through compression and SHA-256 into the target, and is committed only when every byte
 * arrived and the dump tool reported success. Keeps the running backups so that
 * {@link #abortAll(Duration)} can stop them.
 */
public final class BackupRun {
  /**
   * A public key file every archive backup is encrypted to when its request names none
   * ({@link BackupRequest#encryptTo()}); native snapshots are not affected.
   */
  public static final String ENCRYPT_TO_SETTING = "lifeboat.encryptTo";
  private static final Logger LOG = LoggerFactory.getLogger(BackupRun.class);
  private static final int COPY_BUFFER = 1 << 20;
  private static final long PROGRESS_EVERY = 64L << 20;

  private final ProviderRegistry registry;
  private final Clock clock;
  private final ProgressListener progress;
  private final Set<RunningBackup> running = ConcurrentHashMap.newKeySet();
  private volatile boolean aborted;

  public BackupRun(ProviderRegistry registry, Clock clock, ProgressListener progress) {
    this.registry = registry;
    this.clock = clock;
    this.progress = progress;
  }

  public Snapshot run(BackupRequest request) {
    RunningBackup op = start("Backup of " + request.source() + " into " + request.target());
    try (op) {
      return backup(request, op);
    } finally {
      running.remove(op);
    }
  }

  private Snapshot backup(BackupRequest request, RunningBackup op) {
    int zstdLevel = Compression.zstdLevel(registry.context().setting(Compression.ZSTD_LEVEL_SETTING));
    try (SnapshotCatalog catalog = registry.snapshots(request.target())) {
      if (catalog instanceof NativeSnapshots natively && natively.accepts(request.source())) {
        if (request.encryptTo().isPresent()) {
          throw new LifeboatException(ErrorCode.UNSUPPORTED, "Target " + catalog.location() + " keeps the platform's own snapshots,"
              + " which Lifeboat cannot encrypt; leave out --encrypt-to, or keep encrypted dumps in an archive target such as file:/var/backups.");
        }
        List<String> given = request.options().given();
        if (!given.isEmpty()) {
          throw new LifeboatException(ErrorCode.CONFIGURATION, "Target " + catalog.location() + " keeps the platform's own"
              + " snapshots, which hold the whole database as it is: " + String.join(", ", given) + (given.size() == 1 ? " does" : " do")
              + " not apply to them. Leave " + (given.size() == 1 ? "it" : "them") + " out, or dump into an archive target such as"
              + " file:/var/backups.");
        }
        String id = SnapshotIds.next(clock);
        LOG.info("Taking native snapshot {} of {} in {}", id, request.source(), catalog.location());
        op.waitingOnPlatform();
        try {
          return natively.take(request.source(), id, request.at().orElse(null), request.labels());
        } catch (RuntimeException e) {
          if (op.aborted() && !(e instanceof LifeboatException l && l.code() == ErrorCode.ABORTED)) {
            // Interrupted by the abort: the provider's message says what the platform holds now.
            throw op.stoppedOnPlatform(e);
          }
          throw e;
        } finally {
          op.doneWaiting();
        }
      }
      if (!(catalog instanceof SnapshotTarget target)) {
        throw new LifeboatException(ErrorCode.UNSUPPORTED, "Target " + catalog.location() + " keeps the platform's own snapshots"
            + " of its databases, and cannot snapshot " + request.source() + " natively; it stores no archives."
            + " Keep dumps in an archive target such as file:/var/backups.");
      }
      target.checkWritable();
      if (request.at().isPresent()) {
        throw new LifeboatException(ErrorCode.UNSUPPORTED,
            "A backup at a past instant needs a branching target (such as neon://project); "
                + target.location() + " can only store a dump of the source as it is now. Leave out --at.");
      }
      // Read before the dump starts: a bad key file is a usage error, found before any work.
      PublicKey encryptTo = request.encryptTo().orElseGet(() -> registry.context().setting(ENCRYPT_TO_SETTING)
          .filter(s -> !s.isBlank()).map(s -> KeyPairFiles.readPublic(java.nio.file.Path.of(s))).orElse(null));
      if (encryptTo == null) {
        target.refusesUnencrypted().ifPresent(why -> {
          throw new LifeboatException(ErrorCode.CONFIGURATION, "Target " + target.location() + " refuses unencrypted snapshots: " + why
              + " Encrypt the backup: 'lifeboat keys generate --out DIR' once, then --encrypt-to DIR/" + KeyPairFiles.PUBLIC_FILE + ".");
        });
      }
      try (BackupSource source = registry.source(request.source())) {
        return dumpInto(source, target, request, op, zstdLevel, encryptTo);
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
    if (aborted) {
      running.remove(op);
      throw new LifeboatException(ErrorCode.ABORTED,
          "This Lifeboat instance was stopped (abortBackups) and takes no new backups; build a new one.");
    }
    return op;
  }

  /**
   * Discards every running backup's pending snapshot, stops its dump, and refuses new backups.
   * Returns whether every running backup let go within {@code wait}.
   */
  public boolean abortAll(Duration wait) {
    aborted = true;
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

  private Snapshot dumpInto(BackupSource source, SnapshotTarget target, BackupRequest request, RunningBackup op, int zstdLevel,
      PublicKey encryptTo) {
    Compression compression = request.options().compression().orElseGet(source::defaultCompression);
    DumpOptions options = request.options().toBuilder().compression(compression).build();
    String id = SnapshotIds.next(clock);
    Instant createdAt = clock.instant();
    LOG.info("Backing up {} into {} as {}", request.source(), target.location(), id);
    try (Dump dump = op.attach(source.dump(options))) {
      String fileName = "archive." + dump.format() + compression.extension();
      try (PendingSnapshot pending = op.attach(target.create(id, fileName))) {
        DigestingOutputStream counted = new DigestingOutputStream(pending.output());
        long dumped = copyDump(dump, compression, zstdLevel, counted, id, encryptTo);
        dump.finish();
        Manifest.Builder built = Manifest.builder()
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
            .property(ManifestKeys.DUMP_BYTES, Long.toString(dumped));
        if (encryptTo != null) {
          // Only the algorithm and the key's fingerprint: the manifest stays readable without the key.
          built.property(ManifestKeys.ENCRYPTION, Encryption.ALGORITHM).property(ManifestKeys.ENCRYPTION_KEY, encryptTo.fingerprint());
        }
        Manifest manifest = built.build();
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

  /**
   * Copies the dump into the target, compressing, then encrypting when {@code encryptTo} is given
   * (so the SHA-256 describes the ciphertext); returns the dump's own byte count.
   */
  private long copyDump(Dump dump, Compression compression, int zstdLevel, DigestingOutputStream counted, String id, PublicKey encryptTo) {
    OutputStream out;
    try {
      out = compression.compress(encryptTo == null ? counted : Encryption.encrypt(counted, encryptTo, id), zstdLevel);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "Cannot start " + compression + " compression: " + e.getMessage(), e);
    }
    boolean finished = false;
    try {
      long total = pump(dump, dump.stream(), out, id);
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

  private long pump(Dump dump, InputStream in, OutputStream out, String id) {
    byte[] buffer = new byte[COPY_BUFFER];
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
        return total;
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
}
