package dev.lifeboat.mongo;

import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Formats;
import dev.lifeboat.Inventory;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.ProgressListener;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.mongo.archive.ArchiveHeader;
import dev.lifeboat.mongo.archive.MongoArchiveWriter;
import dev.lifeboat.mongo.archive.Namespace;
import dev.lifeboat.spi.Dump;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running export of a MongoDB database as a mongodump archive. Up to {@code parallelCollections}
 * reader threads each drain one collection at a time with a cursor of raw documents, copy whole
 * documents into chunks of about {@code chunkBytes} and put them on a bounded queue; the thread that
 * reads {@link #stream()} frames them into the archive. Documents are never decoded.
 */
final class MongoArchiveDump implements Dump {
  private static final Logger LOG = LoggerFactory.getLogger(MongoArchiveDump.class);

  private final MongoDatabase database;
  private final List<CollectionSpec> specs;
  private final SourceFingerprint source;
  private final Instant startedAt;
  private final int batchSize;
  private final int chunkBytes;
  private final BlockingQueue<ArchiveStream.Message> queue;
  private final ArchiveStream stream;
  private final CountDownLatch readersDone;
  private final List<Thread> readers = new ArrayList<>();
  private final Map<String, String> properties = new LinkedHashMap<>();
  private volatile boolean aborted;
  private boolean finished;

  MongoArchiveDump(MongoDatabase database, List<CollectionSpec> specs, SourceFingerprint source, Instant startedAt,
      int parallel, int batchSize, int chunkBytes, ProgressListener progress) {
    this.database = database;
    this.specs = List.copyOf(specs);
    this.source = source;
    this.startedAt = startedAt;
    this.batchSize = batchSize;
    this.chunkBytes = chunkBytes;
    int workers = Math.max(1, Math.min(parallel, specs.size()));
    this.queue = new ArrayBlockingQueue<>(2 * workers);
    ArchiveHeader header = new ArchiveHeader(parallel, ArchiveHeader.FORMAT_VERSION, source.serverVersion(),
        "lifeboat " + dev.lifeboat.Version.current());
    this.stream = new ArchiveStream(queue, header, specs.stream().map(CollectionSpec::metadata).toList(),
        progress, () -> aborted);
    properties.put("tool", "lifeboat-provider-mongo");
    properties.put("mongo.parallelCollections", Integer.toString(parallel));
    properties.put("mongo.batchSize", Integer.toString(batchSize));
    properties.put("mongo.serverVersion", source.serverVersion());
    properties.put("mongo.consistency",
        "per collection, like mongodump without --oplog: each document as of when it was read; consistentAt is when reading began");
    ConcurrentLinkedQueue<CollectionSpec> pending = new ConcurrentLinkedQueue<>(this.specs);
    this.readersDone = new CountDownLatch(workers);
    AtomicInteger ids = new AtomicInteger();
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(() -> drain(pending), "lifeboat-mongo-dump-" + ids.incrementAndGet());
      t.setDaemon(true);
      readers.add(t);
    }
    readers.forEach(Thread::start);
  }

  private void drain(ConcurrentLinkedQueue<CollectionSpec> pending) {
    try {
      CollectionSpec spec;
      while (!aborted && (spec = pending.poll()) != null) {
        dumpCollection(spec);
      }
    } catch (Throwable e) {
      if (!aborted) {
        LOG.debug("Reading a collection failed", e);
        put(new ArchiveStream.Failure(e));
      }
    } finally {
      readersDone.countDown();
    }
  }

  private void dumpCollection(CollectionSpec spec) {
    Namespace ns = spec.dataNamespace();
    if (!spec.isView()) {
      byte[] chunk = new byte[chunkBytes];
      int used = 0;
      int docs = 0;
      try (MongoCursor<RawBsonDocument> cursor = database.getCollection(spec.dataCollection(), RawBsonDocument.class)
          .find().batchSize(batchSize).cursor()) {
        while (cursor.hasNext()) {
          if (aborted) {
            return;
          }
          ByteBuffer doc = cursor.next().getByteBuffer().asNIO();
          int len = doc.remaining();
          if (used + len > chunk.length && used > 0) {
            put(new ArchiveStream.Chunk(ns, chunk, used, docs));
            chunk = new byte[Math.max(chunkBytes, len)];
            used = 0;
            docs = 0;
          } else if (len > chunk.length) {
            chunk = new byte[len];
          }
          doc.get(chunk, used, len);
          used += len;
          docs++;
        }
      }
      if (used > 0) {
        put(new ArchiveStream.Chunk(ns, chunk, used, docs));
      }
    }
    put(new ArchiveStream.End(ns));
  }

  private void put(ArchiveStream.Message m) {
    try {
      while (!aborted) {
        if (queue.offer(m, 200, TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatException(ErrorCode.SOURCE_FAILED, "Interrupted while dumping " + source.uri(), e);
    }
  }

  @Override
  public String format() {
    return Formats.MONGO_ARCHIVE;
  }

  @Override
  public InputStream stream() {
    return stream;
  }

  @Override
  public SourceFingerprint source() {
    return source;
  }

  @Override
  public Instant consistentAt() {
    return startedAt;
  }

  @Override
  public void finish() {
    if (finished) {
      return;
    }
    Throwable failure = stream.failure();
    if (failure == null && !stream.complete()) {
      aborted = true;
      throw new LifeboatException(ErrorCode.SOURCE_FAILED,
          "The dump of " + source.uri() + " was not read to its end; nothing complete was produced.");
    }
    if (failure != null) {
      aborted = true;
      LifeboatException wrapped = failure instanceof RuntimeException re
          ? MongoErrors.wrap(re, "Dumping " + source.database(), source.uri(), ErrorCode.SOURCE_FAILED)
          : new LifeboatException(ErrorCode.SOURCE_FAILED, "Dumping " + source.uri() + " failed: " + failure.getMessage(), failure);
      if (wrapped.code() != ErrorCode.SOURCE_FAILED && wrapped.code() != ErrorCode.CONNECTION
          && wrapped.code() != ErrorCode.AUTHENTICATION) {
        wrapped = new LifeboatException(ErrorCode.SOURCE_FAILED, wrapped.getMessage(), failure);
      }
      throw wrapped;
    }
    try {
      readersDone.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    finished = true;
  }

  @Override
  public Inventory inventory() {
    if (!finished) {
      throw new IllegalStateException("The dump's inventory is known only after finish().");
    }
    List<InventoryItem> items = new ArrayList<>();
    MongoArchiveWriter writer = stream.writer();
    for (CollectionSpec spec : specs) {
      items.add(spec.inventoryItem(writer.documents(spec.dataNamespace())));
    }
    return new Inventory(items);
  }

  @Override
  public Map<String, String> properties() {
    return Map.copyOf(properties);
  }

  @Override
  public void close() {
    if (!finished) {
      aborted = true;
      readers.forEach(Thread::interrupt);
      queue.clear();
    }
  }
}
