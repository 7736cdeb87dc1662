package dev.lifeboat.mongo.archive;

import dev.lifeboat.Compression;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipException;
import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonSerializationException;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and checks a mongodump archive, as written by {@code mongodump --archive} (server 3.4 and
 * later) or by Lifeboat. A gzip ({@code mongodump --gzip}) or zstd stream is recognised by its first
 * bytes and decompressed.
 *
 * <p>Everything {@code mongorestore} insists on is checked, and a violation is a
 * {@link LifeboatException} with {@link ErrorCode#CHECKSUM_MISMATCH} saying where: the magic number,
 * document lengths (5 bytes to 16 MiB, ending in a zero byte), valid metadata JSON, namespaces listed
 * in the prelude, no data after a namespace's EOF, each EOF's CRC-64/XZ against the documents read,
 * the stream ending exactly at a block boundary, and every listed namespace reaching EOF. Headers
 * with extra keys (some non-MongoDB writers add them) are accepted.
 *
 * <p>Memory: one document at a time. Not thread-safe.
 */
public final class MongoArchiveReader implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(MongoArchiveReader.class);
  private static final int TERMINATOR = 0xFFFFFFFF;

  private final InputStream in;
  private final byte[] word = new byte[4];
  private byte[] scratch = new byte[1 << 12];
  private int scratchLength;
  private long offset;
  private ArchivePrelude prelude;
  private Map<Namespace, CollectionMetadata> byDataNamespace;

  private MongoArchiveReader(InputStream in) {
    this.in = in;
  }

  /**
   * A reader over {@code in}, which may be gzip- or zstd-compressed. Closing the reader closes
   * {@code in}.
   */
  public static MongoArchiveReader open(InputStream in) {
    BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
    try {
      buffered.mark(4);
      byte[] head = buffered.readNBytes(4);
      buffered.reset();
      InputStream plain = buffered;
      if (head.length >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
        plain = new BufferedInputStream(Compression.GZIP.decompress(buffered), 1 << 16);
      } else if (head.length == 4 && (head[0] & 0xFF) == 0x28 && (head[1] & 0xFF) == 0xB5
          && (head[2] & 0xFF) == 0x2F && (head[3] & 0xFF) == 0xFD) {
        plain = new BufferedInputStream(Compression.ZSTD.decompress(buffered), 1 << 16);
      }
      return new MongoArchiveReader(plain);
    } catch (IOException e) {
      throw readFailure(e, 0);
    }
  }

  /** Reads a whole archive, checking everything; hands the body to {@code visitor}. */
  public static ArchiveSummary read(InputStream in, ArchiveVisitor visitor) {
    try (MongoArchiveReader reader = open(in)) {
      return reader.readAll(visitor);
    }
  }

  /** The prelude, read on first call. */
  public ArchivePrelude prelude() {
    if (prelude == null) {
      prelude = readPrelude();
      byDataNamespace = new LinkedHashMap<>();
      for (CollectionMetadata e : prelude.entries()) {
        e.metadata(); // invalid metadata JSON makes the archive unusable, as for mongorestore
        byDataNamespace.put(e.dataNamespace(prelude.header().serverVersion()), e);
        if (e.isTimeseries()) {
          // Accept either layout: the version string is not always a reliable guide.
          byDataNamespace.putIfAbsent(e.namespace(), e);
          byDataNamespace.putIfAbsent(new Namespace(e.db(), Namespace.BUCKETS_PREFIX + e.collection()), e);
        }
      }
    }
    return prelude;
  }

  /** Reads the body to its end, checking every block and CRC. */
  public ArchiveSummary readAll(ArchiveVisitor visitor) {
    ArchivePrelude p = prelude();
    Map<Namespace, Crc64> crcs = new HashMap<>();
    Map<Namespace, long[]> counts = new HashMap<>();
    Map<Namespace, NamespaceStats> ended = new LinkedHashMap<>();
    Set<CollectionMetadata> endedEntries = new LinkedHashSet<>();
    while (true) {
      long blockStart = offset;
      byte[] headerBytes = readDocumentOrTerminator(true);
      if (headerBytes == null) {
        break;
      }
      if (headerBytes.length == 0) {
        throw corrupt("a terminator where a namespace header was expected (consecutive terminators)", blockStart);
      }
      BlockHeader header = parseHeader(headerBytes, blockStart);
      Namespace ns = header.namespace;
      CollectionMetadata entry = byDataNamespace.get(ns);
      if (entry == null) {
        throw corrupt("data for namespace " + ns + ", which the prelude does not list", blockStart);
      }
      if (ended.containsKey(ns)) {
        throw corrupt("a namespace header for " + ns + " after that namespace's EOF", blockStart);
      }
      Crc64 crc = crcs.computeIfAbsent(ns, k -> new Crc64());
      long[] count = counts.computeIfAbsent(ns, k -> new long[2]);
      if (header.eof) {
        byte[] after = readDocumentOrTerminator(false);
        if (after.length != 0) {
          throw corrupt("a document inside the EOF block of " + ns, offset - after.length);
        }
        if (crc.value() != header.crc) {
          throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, String.format(
              "CRC mismatch for namespace %s: the archive stores %016x but its %d documents hash to %016x. "
                  + "The archive is corrupt; restore another snapshot.", ns, header.crc, count[0], crc.value()));
        }
        NamespaceStats stats = new NamespaceStats(count[0], count[1], crc.value());
        ended.put(ns, stats);
        endedEntries.add(entry);
        visitor.endOfNamespace(ns, stats);
        continue;
      }
      boolean wanted = visitor.wants(ns);
      while (true) {
        // Unwanted documents are only checked, so they share one buffer instead of an array each.
        byte[] doc = wanted ? readDocumentOrTerminator(false) : readIntoScratch();
        int length = wanted ? doc.length : scratchLength;
        if (length == 0) {
          break;
        }
        crc.update(doc, 0, length);
        count[0]++;
        count[1] += length;
        if (wanted) {
          visitor.document(ns, doc);
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (CollectionMetadata e : p.entries()) {
      if (!endedEntries.contains(e)) {
        missing.add(e.namespace().toString());
      }
    }
    if (!missing.isEmpty()) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "The archive ended before namespaces " + missing
          + " reached EOF, after " + offset + " bytes: it is truncated. Restore another snapshot.");
    }
    return new ArchiveSummary(p, ended);
  }

  private ArchivePrelude readPrelude() {
    readFully(word, 0, 4, "the magic number");
    int magic = Bson.int32(word, 0);
    if (magic != MongoArchiveWriter.MAGIC) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, String.format(
          "The stream does not look like a mongodump archive (magic number %08x, expected %08x). "
              + "Check that the file is a 'mongodump --archive' output.", magic, MongoArchiveWriter.MAGIC));
    }
    byte[] headerBytes = readDocumentOrTerminator(false);
    if (headerBytes.length == 0) {
      throw corrupt("a terminator where the prelude header was expected", 4);
    }
    BsonDocument h = decode(headerBytes, 4);
    ArchiveHeader header = new ArchiveHeader(
        intOf(h.get("concurrent_collections"), 1),
        stringOf(h.get("version"), ArchiveHeader.FORMAT_VERSION),
        stringOf(h.get("server_version"), "unknown"),
        stringOf(h.get("tool_version"), null));
    List<CollectionMetadata> entries = new ArrayList<>();
    while (true) {
      long at = offset;
      byte[] bytes = readDocumentOrTerminator(false);
      if (bytes.length == 0) {
        break;
      }
      BsonDocument d = decode(bytes, at);
      if (!d.isString("db") || !d.isString("collection")) {
        throw corrupt("a prelude entry without string 'db' and 'collection'", at);
      }
      entries.add(new CollectionMetadata(d.getString("db").getValue(), d.getString("collection").getValue(),
          stringOf(d.get("metadata"), ""), stringOf(d.get("type"), "")));
    }
    return new ArchivePrelude(header, entries);
  }

  /** A parsed namespace header. */
  private record BlockHeader(Namespace namespace, boolean eof, long crc) {}

  private BlockHeader parseHeader(byte[] bytes, long at) {
    BsonDocument d = decode(bytes, at);
    if (!d.isString("db") || !d.isString("collection") || !d.isBoolean("EOF")) {
      throw corrupt("a namespace header without string 'db', string 'collection' and boolean 'EOF'", at);
    }
    String collection = d.getString("collection").getValue();
    if (collection.isEmpty()) {
      throw corrupt("a namespace header without a collection", at);
    }
    if (d.size() != 4 || !d.containsKey("CRC")) {
      LOG.debug("Namespace header at byte {} has keys {}; reading it anyway", at, d.keySet());
    }
    long crc = 0;
    BsonValue c = d.get("CRC");
    if (c != null && c.isInt64()) {
      crc = c.asInt64().getValue();
    } else if (c != null && c.isInt32()) {
      crc = c.asInt32().getValue() & 0xFFFFFFFFL;
    }
    return new BlockHeader(new Namespace(d.getString("db").getValue(), collection), d.getBoolean("EOF").getValue(), crc);
  }

  /**
   * The next document's bytes, an empty array for a terminator, or {@code null} at a clean end of
   * stream when {@code endAllowed}.
   */
  private byte[] readDocumentOrTerminator(boolean endAllowed) {
    long at = offset;
    int n = readUpTo(word, 4);
    if (n == 0 && endAllowed) {
      return null;
    }
    if (n < 4) {
      throw truncated(at);
    }
    int len = Bson.int32(word, 0);
    if (len == TERMINATOR) {
      return new byte[0];
    }
    if (len < Bson.MIN_DOCUMENT || len > Bson.MAX_DOCUMENT) {
      throw corrupt("a BSON document length of " + Integer.toUnsignedString(len)
          + " (documents hold 5 bytes to 16 MiB)", at);
    }
    byte[] doc = new byte[len];
    System.arraycopy(word, 0, doc, 0, 4);
    readFully(doc, 4, len - 4, "a document");
    if (doc[len - 1] != 0) {
      throw corrupt("a BSON document that does not end with a zero byte", at);
    }
    return doc;
  }

  /**
   * Like {@link #readDocumentOrTerminator} inside a block, into {@link #scratch}: returns it, with
   * {@link #scratchLength} the document's length or 0 for a terminator.
   */
  private byte[] readIntoScratch() {
    long at = offset;
    if (readUpTo(word, 4) < 4) {
      throw truncated(at);
    }
    int len = Bson.int32(word, 0);
    if (len == TERMINATOR) {
      scratchLength = 0;
      return scratch;
    }
    if (len < Bson.MIN_DOCUMENT || len > Bson.MAX_DOCUMENT) {
      throw corrupt("a BSON document length of " + Integer.toUnsignedString(len)
          + " (documents hold 5 bytes to 16 MiB)", at);
    }
    if (scratch.length < len) {
      scratch = new byte[Math.max(len, scratch.length * 2)];
    }
    System.arraycopy(word, 0, scratch, 0, 4);
    readFully(scratch, 4, len - 4, "a document");
    if (scratch[len - 1] != 0) {
      throw corrupt("a BSON document that does not end with a zero byte", at);
    }
    scratchLength = len;
    return scratch;
  }

  private BsonDocument decode(byte[] bytes, long at) {
    try {
      BsonDocument d = new RawBsonDocument(bytes).toBsonDocument();
      d.size();
      return d;
    } catch (BsonSerializationException | BsonInvalidOperationException | IllegalArgumentException e) {
      throw corrupt("a header that is not valid BSON (" + e.getMessage() + ")", at);
    }
  }

  private int readUpTo(byte[] buf, int len) {
    int total = 0;
    try {
      while (total < len) {
        int r = in.read(buf, total, len - total);
        if (r < 0) {
          break;
        }
        total += r;
      }
    } catch (IOException e) {
      throw readFailure(e, offset + total);
    }
    offset += total;
    return total;
  }

  private void readFully(byte[] buf, int off, int len, String what) {
    int total = 0;
    try {
      while (total < len) {
        int r = in.read(buf, off + total, len - total);
        if (r < 0) {
          offset += total;
          throw truncated(offset);
        }
        total += r;
      }
    } catch (IOException e) {
      throw readFailure(e, offset + total);
    }
    offset += total;
  }

  private static LifeboatException truncated(long at) {
    return new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
        "The archive ends in the middle of a block at byte " + at + ": it is truncated. Restore another snapshot.");
  }

  private static LifeboatException corrupt(String what, long at) {
    return new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
        "The archive is corrupt: " + what + " at byte " + at + ". Restore another snapshot.");
  }

  private static LifeboatException readFailure(IOException e, long at) {
    if (e instanceof EOFException || e instanceof ZipException || e.getClass().getName().contains("Zstd")) {
      return new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
          "The archive's compressed stream is damaged or truncated near byte " + at + " (" + e.getMessage()
              + "). Restore another snapshot.", e);
    }
    return new LifeboatException(ErrorCode.TARGET_FAILED,
        "Reading the archive failed at byte " + at + ": " + e.getMessage(), e);
  }

  private static int intOf(BsonValue v, int fallback) {
    if (v == null) {
      return fallback;
    }
    if (v.isInt32()) {
      return v.asInt32().getValue();
    }
    if (v.isInt64()) {
      return (int) Math.min(Integer.MAX_VALUE, v.asInt64().getValue());
    }
    return fallback;
  }

  private static String stringOf(BsonValue v, String fallback) {
    return v != null && v.isString() ? v.asString().getValue() : fallback;
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      LOG.debug("Closing the archive stream failed: {}", e.getMessage());
    }
  }
}
