package dev.lifeboat.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.InsertManyOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Progress;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.mongo.archive.ArchiveRestorer;
import dev.lifeboat.mongo.archive.ArchiveVisitor;
import dev.lifeboat.mongo.archive.CollectionMetadata;
import dev.lifeboat.mongo.archive.CollectionNames;
import dev.lifeboat.mongo.archive.MongoArchiveReader;
import dev.lifeboat.mongo.archive.Namespace;
import dev.lifeboat.mongo.archive.NamespaceStats;
import dev.lifeboat.mongo.archive.RestorePlan;
import dev.lifeboat.mongo.archive.ShutdownSignal;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreJob;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a {@code mongo-archive} into a MongoDB database: the destination URI's database
 * (namespace renaming), all or the selected collections, with their options and indexes. Documents
 * are inserted as the archive holds them (raw BSON, {@code insertMany} in batches). Views are
 * created last, from their options. Replacing drops the collections the restore brings back, and
 * is refused before anything changes when the database holds collections the snapshot does not
 * have, since the result would not equal the snapshot.
 *
 * <p>Collections are loaded under staging names ({@value #STAGING_PREFIX}RUN.N) and renamed to
 * their own names only once the archive has been read to its end, which the checked stream allows
 * only after the stored bytes matched their size and SHA-256 ({@link Reading#STREAM_COMMITTING_AT_END}):
 * a damaged archive leaves the destination as it was, the collections a replace would drop
 * included, and the archive is read once. Staging collections a killed restore left behind are
 * dropped by the next restore into that database. Time-series collections cannot be renamed: a
 * snapshot holding one is checked in a separate pass first and loaded in place.
 *
 * <p>{@link RestoreOptions#jobs()} collections load at once (the command line's {@code --jobs},
 * default 1; never more loaders than collections): the archive is still read once, by one thread,
 * which hands full batches to the loaders. The number used is the result's {@code jobs} detail.
 */
final class MongoRestorer extends ArchiveRestorer {
  private static final Logger LOG = LoggerFactory.getLogger(MongoRestorer.class);
  private static final long BATCH_BYTES = 8L << 20;
  /** The start of the names collections are loaded under before they are renamed into place. */
  static final String STAGING_PREFIX = "lifeboat.restoring.";

  MongoRestorer(ProviderContext context) {
    super(context);
  }

  @Override
  public boolean accepts(Location destination) {
    return MongoProvider.isMongo(destination);
  }

  /**
   * One read, checked as it goes, unless the snapshot holds a time-series collection (which cannot
   * be loaded under another name and renamed).
   */
  @Override
  public Reading reading(Manifest manifest, RestoreOptions options) {
    boolean timeseries = manifest.inventory().items().stream().anyMatch(i -> CollectionMetadata.TIMESERIES.equals(i.kind()));
    return timeseries ? Reading.STREAM : Reading.STREAM_COMMITTING_AT_END;
  }

  @Override
  public RestoreResult restore(RestoreJob job) {
    long started = System.nanoTime();
    Manifest manifest = job.archive().manifest();
    MongoUri dest = MongoUri.parse(job.destination());
    MongoSettings settings = new MongoSettings(context, job.options().extra());
    refuseSource(manifest, dest, job.options().confirm());
    ShutdownSignal.watch();
    boolean staged = reading(manifest, job.options()) == Reading.STREAM_COMMITTING_AT_END;
    Map<String, String> loadNames = new LinkedHashMap<>();
    try (InputStream in = job.archive().open();
        MongoArchiveReader reader = MongoArchiveReader.open(in);
        MongoClient client = dest.connect(context.secrets(), settings.serverSelectionTimeoutMs())) {
      RestorePlan plan = RestorePlan.of(reader.prelude(), manifest, job.options().tables());
      MongoDatabase db = client.getDatabase(dest.database());
      List<String> clashes = prepare(db, plan, dest, manifest, job.options().replace(), staged);
      String run = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16);
      int loaders = loaders(plan, job.options().jobs());
      LOG.info("Loading {} collections into {} with {} loaders", plan.selected().size(), dest, loaders);
      Loader loader = new Loader(db, plan, settings.insertBatch(), job, loadNames, staged, loaders);
      try {
        for (CollectionMetadata e : plan.selected()) {
          if (!e.isView()) {
            String name = staged ? STAGING_PREFIX + run + "." + loadNames.size() : e.collection();
            loadNames.put(e.collection(), name);
            create(db, e, name);
          }
        }
        reader.readAll(loader);
        // The archive's terminator is read by now; reading on to the end of the stored bytes makes
        // the checked stream compare them with the manifest even if something followed it.
        in.transferTo(java.io.OutputStream.nullOutputStream());
        loader.finish();
      } catch (IOException | RuntimeException | Error e) {
        // No insert may run once the staging collections are dropped, or it would create them again.
        loader.stop();
        if (staged) {
          dropQuietly(db, loadNames.values());
        }
        throw e;
      }
      if (staged) {
        // The archive was read to its end, so it matched its checksum: only now is anything replaced.
        for (String name : clashes) {
          LOG.info("Dropping {} in {} to replace it", name, dest);
          db.getCollection(name).drop();
        }
        for (Map.Entry<String, String> n : loadNames.entrySet()) {
          db.getCollection(n.getValue()).renameCollection(new MongoNamespace(dest.database(), n.getKey()));
        }
      }
      createViews(db, plan);
      Map<String, String> details = new LinkedHashMap<>();
      details.put("documents", Long.toString(loader.total()));
      details.put("database", dest.database());
      details.put("jobs", Integer.toString(loaders));
      loader.counts().forEach((k, v) -> details.put("documents." + k, Long.toString(v)));
      LOG.info("Restored {} documents of {} collections into {}", loader.total(), plan.selected().size(), dest);
      return new RestoreResult(manifest.id(), dest.toString(), manifest.format(), plan.selectedNames(),
          Duration.ofNanos(System.nanoTime() - started), details, null);
    } catch (IOException e) {
      throw readFailure(manifest, e);
    } catch (RuntimeException e) {
      throw MongoErrors.wrap(e, "Restoring snapshot " + manifest.id(), dest, ErrorCode.RESTORE_FAILED);
    }
  }

  /**
   * How many collections load at once: {@code jobs} (the command line's {@code --jobs}, default 1),
   * but no more than there are collections to load.
   */
  static int loaders(RestorePlan plan, int jobs) {
    long collections = plan.selected().stream().filter(e -> !e.isView()).count();
    return (int) Math.max(1, Math.min(jobs, collections));
  }

  /** Refuses the snapshot's own source database unless confirmed with its name. */
  static void refuseSource(Manifest manifest, MongoUri dest, Optional<String> confirm) {
    if (manifest.source() == null || manifest.source().uri() == null) {
      return;
    }
    MongoUri source;
    try {
      source = MongoUri.parse(Location.parse(manifest.source().uri()));
    } catch (LifeboatException e) {
      return;
    }
    if (source.sameDatabaseAs(dest) && !confirm.map(dest.database()::equals).orElse(false)) {
      throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION, "The destination " + dest
          + " is the database snapshot " + manifest.id() + " was taken from. Restore into another database, or confirm with its name ("
          + dest.database() + ") to overwrite it.");
    }
  }

  /**
   * Refuses what must be refused before anything changes and returns the collections a replace
   * drops: already dropped unless {@code staged}, in which case the caller drops them once the
   * archive has been read whole. Drops staging collections of earlier restores that were killed.
   */
  private static List<String> prepare(MongoDatabase db, RestorePlan plan, MongoUri dest, Manifest manifest, boolean replace,
      boolean staged) {
    Set<String> existing = new HashSet<>();
    db.listCollectionNames().into(new ArrayList<>()).forEach(existing::add);
    List<String> leftovers = existing.stream().filter(n -> n.startsWith(STAGING_PREFIX)).toList();
    if (!leftovers.isEmpty()) {
      LOG.info("Dropping {} staging collections an interrupted restore left in {}", leftovers.size(), dest);
      leftovers.forEach(n -> db.getCollection(n).drop());
      leftovers.forEach(existing::remove);
    }
    if (staged && plan.selected().stream().anyMatch(CollectionMetadata::isTimeseries)) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "Snapshot " + manifest.id()
          + " holds a time-series collection its manifest does not list: the archive and its manifest disagree. Nothing was changed.");
    }
    if (replace) {
      Set<String> inSnapshot = new HashSet<>(plan.allNames());
      List<String> extras = existing.stream()
          .filter(name -> !CollectionNames.skipped(name) && !inSnapshot.contains(name)).toList();
      refuseExtras(extras, "collections", dest, manifest);
    }
    List<String> clashes = new ArrayList<>();
    for (CollectionMetadata e : plan.selected()) {
      if (existing.contains(e.collection())) {
        clashes.add(e.collection());
      }
      String buckets = Namespace.BUCKETS_PREFIX + e.collection();
      if (e.isTimeseries() && existing.contains(buckets)) {
        clashes.add(buckets);
      }
    }
    String refusal = "The destination " + dest + " already holds " + clashes
        + ". Restore into another database, or ask to replace them (--replace), which drops them first.";
    if (staged) {
      if (!clashes.isEmpty() && !replace) {
        throw new LifeboatException(ErrorCode.DESTINATION_NOT_EMPTY, refusal);
      }
      return clashes;
    }
    refuseOrDrop(clashes, replace, refusal, dest, name -> db.getCollection(name).drop());
    return List.of();
  }

  private static void dropQuietly(MongoDatabase db, java.util.Collection<String> names) {
    for (String name : names) {
      try {
        db.getCollection(name).drop();
      } catch (RuntimeException e) {
        LOG.warn("Could not drop staging collection {}: {}; the next restore into this database drops it", name, e.getMessage());
      }
    }
  }

  private static void create(MongoDatabase db, CollectionMetadata e) {
    create(db, e, e.collection());
  }

  private static void create(MongoDatabase db, CollectionMetadata e, String name) {
    BsonDocument command = new BsonDocument("create", new BsonString(name));
    BsonDocument options = e.options();
    for (Map.Entry<String, BsonValue> o : options.entrySet()) {
      if (!o.getKey().equals("uuid")) {
        command.put(o.getKey(), o.getValue());
      }
    }
    db.runCommand(command);
  }

  private static void createIndexes(MongoDatabase db, CollectionMetadata e, String name) {
    BsonArray specs = new BsonArray();
    for (BsonDocument spec : e.indexes()) {
      if (spec.isString("name") && spec.getString("name").getValue().equals("_id_")) {
        continue;
      }
      BsonDocument copy = spec.clone();
      copy.remove("ns");
      specs.add(copy);
    }
    if (!specs.isEmpty()) {
      db.runCommand(new BsonDocument("createIndexes", new BsonString(name)).append("indexes", specs));
    }
  }

  private static void createViews(MongoDatabase db, RestorePlan plan) {
    List<CollectionMetadata> views = new ArrayList<>(plan.selected().stream().filter(CollectionMetadata::isView).toList());
    // A view may be defined on another view: create those whose source exists first, repeatedly.
    Set<String> existing = new HashSet<>();
    db.listCollectionNames().into(new ArrayList<>()).forEach(existing::add);
    Set<String> viewNames = new HashSet<>(views.stream().map(CollectionMetadata::collection).toList());
    while (!views.isEmpty()) {
      boolean progressed = false;
      for (var it = views.iterator(); it.hasNext();) {
        CollectionMetadata v = it.next();
        String on = v.options().isString("viewOn") ? v.options().getString("viewOn").getValue() : "";
        if (!viewNames.contains(on) || existing.contains(on)) {
          create(db, v);
          existing.add(v.collection());
          it.remove();
          progressed = true;
        }
      }
      if (!progressed) {
        views.forEach(v -> create(db, v));
        views.clear();
      }
    }
  }

  /**
   * Inserts the selected namespaces' documents in batches and builds indexes at each EOF. With one
   * loader, on the thread that reads the archive. With more, the reading thread hands each full
   * batch to a pool of that many threads: a namespace's batches and its index build run one after
   * another (each waits for the one before), different namespaces at once, and at most as many
   * batches as loaders wait or run, so memory stays bounded. The first failure of a loader ends
   * the read at its next batch.
   */
  private static final class Loader implements ArchiveVisitor {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final MongoDatabase db;
    private final RestorePlan plan;
    private final int batchSize;
    private final RestoreJob job;
    private final Map<Namespace, List<RawBsonDocument>> batches = new HashMap<>();
    private final Map<Namespace, long[]> batchBytes = new HashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final InsertManyOptions insertOptions = new InsertManyOptions().ordered(true).bypassDocumentValidation(true);
    /** Each collection's name while it is loaded: a staging name, or its own. */
    private final Map<String, String> loadNames;
    /** Whether collections load under staging names (dropped when the load stops) or their own. */
    private final boolean staged;
    /** The loader threads, or null when the reading thread loads. */
    private final ExecutorService pool;
    /** Batches handed to the pool and not yet loaded. */
    private final Semaphore queued;
    /** Each namespace's last task: the next one runs after it. Used by the reading thread only. */
    private final Map<Namespace, CompletableFuture<Void>> tails = new HashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopped;
    private long total;

    Loader(MongoDatabase db, RestorePlan plan, int batchSize, RestoreJob job, Map<String, String> loadNames, boolean staged,
        int loaders) {
      this.db = db;
      this.plan = plan;
      this.batchSize = batchSize;
      this.job = job;
      this.loadNames = loadNames;
      this.staged = staged;
      if (loaders > 1) {
        AtomicInteger ids = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(loaders, r -> {
          Thread t = new Thread(r, "lifeboat-mongo-load-" + ids.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
        this.queued = new Semaphore(loaders);
      } else {
        this.pool = null;
        this.queued = null;
      }
    }

    /**
     * Ends the load when the JVM is stopping, while there is still time to drop the staging
     * collections; the renames that follow a complete read are short and are not cut off.
     */
    private void stopIfShuttingDown() {
      if (ShutdownSignal.stopping()) {
        throw new LifeboatException(ErrorCode.ABORTED, "Restoring snapshot " + job.archive().manifest().id()
            + " was stopped because the process is shutting down.\n" + (staged
                ? "The destination is unchanged: the collections loaded so far were dropped."
                : "The destination is partly restored; restore again with --replace."));
      }
    }

    @Override
    public boolean wants(Namespace ns) {
      return plan.byDataNamespace().containsKey(ns);
    }

    @Override
    public void document(Namespace ns, byte[] bson) {
      List<RawBsonDocument> batch = batches.computeIfAbsent(ns, k -> new ArrayList<>());
      long[] bytes = batchBytes.computeIfAbsent(ns, k -> new long[1]);
      batch.add(new RawBsonDocument(bson));
      bytes[0] += bson.length;
      if (batch.size() >= batchSize || bytes[0] >= BATCH_BYTES) {
        flush(ns);
      }
    }

    @Override
    public void endOfNamespace(Namespace ns, NamespaceStats stats) {
      CollectionMetadata e = plan.byDataNamespace().get(ns);
      if (e == null) {
        return;
      }
      flush(ns);
      synchronized (this) {
        counts.putIfAbsent(e.collection(), 0L);
      }
      if (!e.isView()) {
        String name = loadNames.getOrDefault(e.collection(), e.collection());
        run(ns, () -> createIndexes(db, e, name));
      }
    }

    private void flush(Namespace ns) {
      stopIfShuttingDown();
      List<RawBsonDocument> batch = batches.get(ns);
      if (batch == null || batch.isEmpty()) {
        return;
      }
      CollectionMetadata e = plan.byDataNamespace().get(ns);
      // A time-series collection's documents go to its buckets namespace, which is never staged.
      String name = ns.collection().equals(e.collection()) ? loadNames.getOrDefault(e.collection(), e.collection()) : ns.collection();
      long bytes = batchBytes.get(ns)[0];
      // The batch goes to a loader thread: the next documents of this namespace start a new one.
      batches.put(ns, new ArrayList<>());
      batchBytes.get(ns)[0] = 0;
      run(ns, () -> {
        stopIfShuttingDown();
        db.getCollection(name, RawBsonDocument.class).insertMany(batch, insertOptions);
        // One progress call at a time, as the listener has always been called.
        synchronized (this) {
          counts.merge(e.collection(), (long) batch.size(), Long::sum);
          total += batch.size();
          job.progress().onProgress(new Progress("restore", bytes, total, e.collection()));
        }
      });
    }

    /** Runs {@code task} now, or hands it to the pool after the namespace's tasks before it. */
    private void run(Namespace ns, Runnable task) {
      if (pool == null) {
        task.run();
        return;
      }
      rethrow();
      try {
        while (!queued.tryAcquire(200, TimeUnit.MILLISECONDS)) {
          rethrow();
          stopIfShuttingDown();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LifeboatException(ErrorCode.ABORTED, "Interrupted while restoring snapshot " + job.archive().manifest().id(), e);
      }
      CompletableFuture<Void> next = tails.getOrDefault(ns, DONE).thenRunAsync(() -> {
        try {
          if (!stopped && failure.get() == null) {
            task.run();
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          queued.release();
        }
      }, pool);
      tails.put(ns, next);
    }

    /** Throws the first failure of a loader thread, as it was thrown there. */
    private void rethrow() {
      Throwable t = failure.get();
      if (t instanceof RuntimeException re) {
        throw re;
      }
      if (t instanceof Error err) {
        throw err;
      }
      if (t != null) {
        throw new LifeboatException(ErrorCode.RESTORE_FAILED, "Loading snapshot " + job.archive().manifest().id() + " failed: " + t, t);
      }
    }

    /** Waits until every batch handed over is loaded; throws the first failure. */
    void finish() {
      if (pool != null) {
        awaitTasks();
        pool.shutdown();
        rethrow();
      }
    }

    /** Skips what has not started and waits for what has; after it no insert runs. */
    void stop() {
      stopped = true;
      if (pool != null) {
        awaitTasks();
        pool.shutdownNow();
      }
    }

    private void awaitTasks() {
      CompletableFuture<Void> all = CompletableFuture.allOf(tails.values().toArray(new CompletableFuture<?>[0]));
      boolean interrupted = false;
      while (true) {
        try {
          all.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (java.util.concurrent.ExecutionException e) {
          break;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    synchronized long total() {
      return total;
    }

    synchronized Map<String, Long> counts() {
      return new LinkedHashMap<>(counts);
    }
  }
}
