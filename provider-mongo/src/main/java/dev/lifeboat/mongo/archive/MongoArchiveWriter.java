package dev.lifeboat.mongo.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.RawBsonDocument;

/**
 * Writes a mongodump archive ({@code mongodump --archive}) that {@code mongorestore --archive}
 * accepts: the magic number, the prelude (header, one metadata entry per namespace, terminator),
 * then namespace blocks, multiplexed, each namespace closed by an EOF block carrying the CRC-64/XZ
 * of exactly the document bytes written for it.
 *
 * <p>It enforces the rules of the format while writing: documents only for namespaces listed in
 * the prelude, none after a namespace's EOF, never more namespaces open at once than the header's
 * {@code concurrent_collections}, and {@link #finish()} only once every namespace has reached EOF.
 * An empty namespace (and every view) is written as mongodump writes it: an empty data segment,
 * then the EOF block. Not thread-safe: one writer thread.
 */
public final class MongoArchiveWriter {
  /** The archive magic number {@code 0x8199E26D}, little-endian on the wire. */
  public static final int MAGIC = 0x8199E26D;

  private static final byte[] TERMINATOR = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

  private final OutputStream out;
  private final Map<Namespace, State> namespaces = new LinkedHashMap<>();
  private int concurrentLimit;
  private int openCount;
  private int maxOpen;
  private Namespace current;
  private boolean preludeWritten;
  private boolean finished;

  /** What has been written for one namespace. */
  private static final class State {
    final Crc64 crc = new Crc64();
    long documents;
    long bytes;
    boolean opened;
    boolean ended;
  }

  /** A writer onto {@code out}; nothing is written until {@link #writePrelude}. */
  public MongoArchiveWriter(OutputStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  /**
   * Writes the magic number and the prelude. Every namespace that will hold data must have an entry
   * (a time series from servers before 8.3 writes its data under {@code system.buckets.X}).
   */
  public void writePrelude(ArchiveHeader header, List<CollectionMetadata> entries) {
    if (preludeWritten) {
      throw new IllegalStateException("The prelude was already written.");
    }
    if (header.concurrentCollections() < 1) {
      throw new IllegalArgumentException("concurrent_collections must be at least 1.");
    }
    concurrentLimit = header.concurrentCollections();
    BsonDocument head = new BsonDocument()
        .append("concurrent_collections", new BsonInt32(header.concurrentCollections()))
        .append("version", new BsonString(header.version()))
        .append("server_version", new BsonString(header.serverVersion()))
        .append("tool_version", new BsonString(header.toolVersion() == null ? "" : header.toolVersion()));
    write(ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(MAGIC).array());
    write(Bson.encode(head));
    for (CollectionMetadata e : entries) {
      Namespace data = e.dataNamespace(header.serverVersion());
      if (namespaces.putIfAbsent(data, new State()) != null) {
        throw new IllegalArgumentException("Namespace " + data + " is listed twice in the prelude.");
      }
      if (e.collection().isEmpty()) {
        throw new IllegalArgumentException("A prelude entry has an empty collection name.");
      }
      write(Bson.encode(new BsonDocument()
          .append("db", new BsonString(e.db()))
          .append("collection", new BsonString(e.collection()))
          .append("metadata", new BsonString(e.metadataJson()))
          .append("size", new BsonInt32(0))
          .append("type", new BsonString(e.type()))));
    }
    write(TERMINATOR);
    preludeWritten = true;
  }

  /** Appends one raw document to {@code ns}. */
  public void writeDocument(Namespace ns, RawBsonDocument doc) {
    ByteBuffer buf = doc.getByteBuffer().asNIO();
    if (buf.hasArray()) {
      writeDocuments(ns, buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
    } else {
      byte[] copy = new byte[buf.remaining()];
      buf.get(copy);
      writeDocuments(ns, copy, 0, copy.length);
    }
  }

  /**
   * Appends a run of whole raw documents to {@code ns}, exactly as given. The run is checked to
   * consist of complete documents of valid length.
   */
  public void writeDocuments(Namespace ns, byte[] bytes, int offset, int length) {
    State state = stateFor(ns);
    long documents = countDocuments(bytes, offset, length);
    if (documents == 0) {
      return;
    }
    switchTo(ns, state);
    write(bytes, offset, length);
    state.crc.update(bytes, offset, length);
    state.documents += documents;
    state.bytes += length;
  }

  /** Writes {@code ns}'s EOF block with its CRC. A namespace with no data gets an empty data segment first. */
  public void endNamespace(Namespace ns) {
    State state = stateFor(ns);
    if (!state.opened) {
      switchTo(ns, state);
    }
    if (current != null) {
      write(TERMINATOR);
      current = null;
    }
    write(namespaceHeader(ns, true, state.crc.value()));
    write(TERMINATOR);
    state.ended = true;
    openCount--;
  }

  /** Documents written to {@code ns} so far. */
  public long documents(Namespace ns) {
    State s = namespaces.get(ns);
    return s == null ? 0 : s.documents;
  }

  /** Document bytes written to {@code ns} so far. */
  public long bytes(Namespace ns) {
    State s = namespaces.get(ns);
    return s == null ? 0 : s.bytes;
  }

  /** The CRC-64/XZ of {@code ns}'s documents so far. */
  public long crc(Namespace ns) {
    State s = namespaces.get(ns);
    return s == null ? 0 : s.crc.value();
  }

  /** The most namespaces that were open at the same time. */
  public int maxOpenNamespaces() {
    return maxOpen;
  }

  /** Whether every namespace of the prelude has reached EOF. */
  public boolean allEnded() {
    return namespaces.values().stream().allMatch(s -> s.ended);
  }

  /** Checks that every namespace reached EOF and flushes. Writes nothing after the last terminator. */
  public void finish() {
    if (!preludeWritten) {
      throw new IllegalStateException("The prelude was never written.");
    }
    List<Namespace> open = namespaces.entrySet().stream().filter(e -> !e.getValue().ended).map(Map.Entry::getKey).toList();
    if (!open.isEmpty()) {
      throw new IllegalStateException("Namespaces never reached EOF: " + open);
    }
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    finished = true;
  }

  /** Whether {@link #finish()} succeeded. */
  public boolean finished() {
    return finished;
  }

  private State stateFor(Namespace ns) {
    if (!preludeWritten) {
      throw new IllegalStateException("Write the prelude before any namespace block.");
    }
    State state = namespaces.get(ns);
    if (state == null) {
      throw new IllegalArgumentException("Namespace " + ns + " has no entry in the prelude.");
    }
    if (state.ended) {
      throw new IllegalStateException("Namespace " + ns + " already reached EOF.");
    }
    return state;
  }

  private void switchTo(Namespace ns, State state) {
    if (ns.equals(current)) {
      return;
    }
    if (!state.opened) {
      if (openCount >= concurrentLimit) {
        throw new IllegalStateException("Opening " + ns + " would keep more than " + concurrentLimit
            + " namespaces open, more than the header's concurrent_collections.");
      }
      state.opened = true;
      openCount++;
      maxOpen = Math.max(maxOpen, openCount);
    }
    if (current != null) {
      write(TERMINATOR);
    }
    write(namespaceHeader(ns, false, 0));
    current = ns;
  }

  private static byte[] namespaceHeader(Namespace ns, boolean eof, long crc) {
    return Bson.encode(new BsonDocument()
        .append("db", new BsonString(ns.db()))
        .append("collection", new BsonString(ns.collection()))
        .append("EOF", BsonBoolean.valueOf(eof))
        .append("CRC", new BsonInt64(crc)));
  }

  private static long countDocuments(byte[] bytes, int offset, int length) {
    long n = 0;
    int pos = offset;
    int end = offset + length;
    while (pos < end) {
      if (end - pos < Bson.MIN_DOCUMENT) {
        throw new IllegalArgumentException("A document run ends in the middle of a document.");
      }
      int len = Bson.int32(bytes, pos);
      if (len < Bson.MIN_DOCUMENT || len > Bson.MAX_DOCUMENT || len > end - pos || bytes[pos + len - 1] != 0) {
        throw new IllegalArgumentException("Invalid BSON document of length " + len + " in a document run.");
      }
      pos += len;
      n++;
    }
    return n;
  }

  private void write(byte[] bytes) {
    write(bytes, 0, bytes.length);
  }

  private void write(byte[] bytes, int offset, int length) {
    try {
      out.write(bytes, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
