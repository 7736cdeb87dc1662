package dev.lifeboat.pgdump;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * A pg_dump custom-format archive read with the data chunks of each table merged into chunks of
 * up to {@value #MERGED} bytes.
 *
 * <p>Why: uncompressed ({@code pg_dump -Z0}, which Lifeboat runs under its own zstd) pg_dump
 * writes every row as a chunk of its own, and pg_restore hands every chunk to the server as a
 * CopyData message of its own: for every row a length read byte by byte, a call into libpq and a
 * message the server takes apart. Merged, the same rows cost pg_restore and the server about a
 * tenth less CPU (docs/BENCHMARKS.md). The COPY protocol lets CopyData messages split the data
 * anywhere, and pg_restore passes the bytes of a chunk on as they are, so a merged archive
 * restores exactly the same rows.
 *
 * <p>Only what is understood is changed. The header, the table of contents and every block other
 * than table data pass through byte for byte. An archive that is not in the custom format, that
 * pg_dump compressed itself, or whose version is outside 1.12–1.16 (PostgreSQL 9.6 to 17) passes
 * through whole. From a point where the structure is not what it should be (a negative length, an
 * unknown block type, an early end) the bytes pass on exactly as they came, so pg_restore reports
 * the damage as it would have.
 */
final class ChunkMergingStream extends InputStream {
  /** The size of a merged chunk: large enough that per-chunk costs vanish, small enough to stay in cache. */
  static final int MERGED = 1 << 16;

  private static final byte[] MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TABLE_DATA = "TABLE DATA".getBytes(StandardCharsets.US_ASCII);
  private static final int FORMAT_CUSTOM = 1;
  private static final int BLOCK_DATA = 1;
  private static final int V1_12 = version(1, 12);
  private static final int V1_14 = version(1, 14);
  private static final int V1_15 = version(1, 15);
  private static final int V1_16 = version(1, 16);

  private enum State { HEADER, TOC, BLOCK, DATA, ROW, PASS, END }

  private final InputStream in;
  private byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private boolean eof;

  private byte[] out = new byte[MERGED + 64];
  private int outStart;
  private int outEnd;

  private State state = State.HEADER;
  private int version;
  private int intSize;
  private int offSize;
  private long entriesLeft;
  /** The dump ids of the table of contents' TABLE DATA entries: only their blocks are merged. */
  private final Set<Long> tableData = new HashSet<>();
  private long rowLeft;

  ChunkMergingStream(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (outStart == outEnd) {
      if (state == State.END) {
        return -1;
      }
      outStart = 0;
      outEnd = 0;
      advance();
    }
    int n = Math.min(len, outEnd - outStart);
    System.arraycopy(out, outStart, b, off, n);
    outStart += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Produces the next output: one step of the structure, at most one merged chunk. */
  private void advance() throws IOException {
    switch (state) {
      case HEADER -> header();
      case TOC -> tocEntry();
      case BLOCK -> block();
      case DATA -> data();
      case ROW -> row();
      case PASS -> pass();
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void header() throws IOException {
    state = State.PASS;
    if (!ensure(MAGIC.length + 6) || !Arrays.equals(buf, pos, pos + MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return;
    }
    version = version(buf[pos + 5] & 0xff, buf[pos + 6] & 0xff);
    intSize = buf[pos + 8] & 0xff;
    offSize = buf[pos + 9] & 0xff;
    int format = buf[pos + 10] & 0xff;
    if (version < V1_12 || version > V1_16 || format != FORMAT_CUSTOM || intSize < 1 || intSize > 8 || offSize > 16) {
      return;
    }
    echo(MAGIC.length + 6);
    boolean compressed;
    if (version >= V1_15) {
      if (!ensure(1)) {
        return;
      }
      compressed = buf[pos] != 0;
      echo(1);
    } else {
      Long level = echoInt();
      if (level == null) {
        return;
      }
      compressed = level != 0;
    }
    if (compressed) {
      return;
    }
    for (int i = 0; i < 7; i++) {
      if (echoInt() == null) {
        return;
      }
    }
    for (int i = 0; i < 3; i++) {
      if (!echoString()) {
        return;
      }
    }
    Long entries = echoInt();
    if (entries == null || entries < 0) {
      return;
    }
    entriesLeft = entries;
    state = State.TOC;
  }

  /** One entry of the table of contents, as pg_restore's ReadToc reads it for versions 1.12 to 1.16. */
  private void tocEntry() throws IOException {
    if (entriesLeft == 0) {
      state = State.BLOCK;
      return;
    }
    state = State.PASS;
    // dumpId, hadDumper, table oid, oid, tag, desc, section, definition, drop, copy statement, schema, tablespace
    Long dumpId = echoInt();
    if (dumpId == null || echoInt() == null || !echoStrings(3)) {
      return;
    }
    int descAt = outEnd;
    if (!echoString()) {
      return;
    }
    boolean isTableData = Arrays.equals(out, descAt + 1 + intSize, outEnd, TABLE_DATA, 0, TABLE_DATA.length);
    if (echoInt() == null || !echoStrings(5)) {
      return;
    }
    if (version >= V1_14 && !echoString()) {
      return;
    }
    if (version >= V1_16 && echoInt() == null) {
      return;
    }
    // owner, "with oids"
    if (!echoStrings(2)) {
      return;
    }
    while (true) {
      Long length = echoInt();
      if (length == null) {
        return;
      }
      if (length == -1) {
        break;
      }
      if (length < 0 || !echoBytes(length)) {
        return;
      }
    }
    if (!ensure(1 + offSize)) {
      return;
    }
    echo(1 + offSize);
    if (isTableData) {
      tableData.add(dumpId);
    }
    entriesLeft--;
    state = State.TOC;
  }

  private void block() throws IOException {
    if (!ensure(1)) {
      state = State.PASS;
      return;
    }
    if (buf[pos] != BLOCK_DATA) {
      // Large objects, or something unknown: passed on as they are.
      state = State.PASS;
      return;
    }
    // A block is merged only when its id names a TABLE DATA entry: a table of contents read
    // wrongly (a version whose layout differs from what is expected here) changes nothing.
    if (!ensure(2 + intSize)) {
      state = State.PASS;
      return;
    }
    pos++;
    long id = peekInt();
    pos--;
    if (!tableData.contains(id)) {
      state = State.PASS;
      return;
    }
    echo(2 + intSize);
    state = State.DATA;
  }

  /** Merges the chunks of a table's data block into one chunk of up to {@value #MERGED} bytes. */
  private void data() throws IOException {
    int header = 1 + intSize;
    int chunkAt = outEnd;
    reserve(header);
    outEnd += header;
    long merged = 0;
    while (true) {
      if (!ensure(header)) {
        endChunk(chunkAt, merged);
        state = State.PASS;
        return;
      }
      long length = peekInt();
      if (length < 0 || length > Integer.MAX_VALUE - 64) {
        endChunk(chunkAt, merged);
        state = State.PASS;
        return;
      }
      if (length == 0) {
        endChunk(chunkAt, merged);
        echo(header);
        state = State.BLOCK;
        return;
      }
      if (merged > 0 && merged + length > MERGED) {
        endChunk(chunkAt, merged);
        return;
      }
      if (length >= MERGED) {
        // A row this large is a chunk of its own, passed on as it came, a buffer at a time.
        endChunk(chunkAt, merged);
        echo(header);
        rowLeft = length;
        state = State.ROW;
        return;
      }
      pos += header;
      int rowAt = outEnd;
      if (!copy((int) length)) {
        // The archive ends inside this chunk: what came before it is merged, the rest passes on as it came.
        if (merged == 0) {
          writeInt(chunkAt, length);
        } else {
          writeInt(chunkAt, merged);
          int partial = outEnd - rowAt;
          reserve(header);
          System.arraycopy(out, rowAt, out, rowAt + header, partial);
          writeInt(rowAt, length);
          outEnd += header;
        }
        state = State.PASS;
        return;
      }
      merged += length;
    }
  }

  /** Passes on the next buffer of a row too large to merge. */
  private void row() throws IOException {
    if (pos == limit && !fill()) {
      state = State.END;
      return;
    }
    int n = (int) Math.min(rowLeft, limit - pos);
    echo(n);
    rowLeft -= n;
    if (rowLeft == 0) {
      state = State.DATA;
    }
  }

  /** Writes the length of a merged chunk into its place, or gives the place back when nothing was merged. */
  private void endChunk(int chunkAt, long merged) {
    if (merged == 0) {
      outEnd = chunkAt;
    } else {
      writeInt(chunkAt, merged);
    }
  }

  private void pass() throws IOException {
    if (pos == limit && !fill()) {
      state = State.END;
      return;
    }
    int n = limit - pos;
    reserve(n);
    System.arraycopy(buf, pos, out, outEnd, n);
    outEnd += n;
    pos = limit;
  }

  /** The next integer (pg_dump's: a sign byte, then {@link #intSize} bytes, least significant first), not consumed. */
  private long peekInt() {
    long value = 0;
    for (int i = intSize; i >= 1; i--) {
      value = value << 8 | buf[pos + i] & 0xff;
    }
    return buf[pos] == 0 ? value : -value;
  }

  private void writeInt(int at, long value) {
    out[at] = 0;
    for (int i = 1; i <= intSize; i++) {
      out[at + i] = (byte) (value >>> (8 * (i - 1)));
    }
  }

  /** Passes on the next integer and returns it; null at an early end (what was there is passed on). */
  private Long echoInt() throws IOException {
    if (!ensure(1 + intSize)) {
      return null;
    }
    long value = peekInt();
    echo(1 + intSize);
    return value;
  }

  private boolean echoString() throws IOException {
    Long length = echoInt();
    return length != null && length >= -1 && (length <= 0 || echoBytes(length));
  }

  private boolean echoStrings(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      if (!echoString()) {
        return false;
      }
    }
    return true;
  }

  /** Passes on {@code n} bytes; false when the input ends first (what there was is passed on). */
  private boolean echoBytes(long n) throws IOException {
    while (n > 0) {
      if (pos == limit && !fill()) {
        return false;
      }
      int k = (int) Math.min(n, limit - pos);
      echo(k);
      n -= k;
    }
    return true;
  }

  /** Copies {@code n} bytes of input to the output; false when the input ends first. */
  private boolean copy(int n) throws IOException {
    reserve(n);
    while (n > 0) {
      if (pos == limit && !fill()) {
        return false;
      }
      int k = Math.min(n, limit - pos);
      System.arraycopy(buf, pos, out, outEnd, k);
      outEnd += k;
      pos += k;
      n -= k;
    }
    return true;
  }

  private void echo(int n) {
    reserve(n);
    System.arraycopy(buf, pos, out, outEnd, n);
    outEnd += n;
    pos += n;
  }

  private void reserve(int n) {
    if (outEnd + n > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, outEnd + n));
    }
  }

  /** Makes {@code n} bytes available from {@link #pos}; false when the input ends first. */
  private boolean ensure(int n) throws IOException {
    while (limit - pos < n) {
      if (pos > 0) {
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        pos = 0;
      }
      if (n > buf.length) {
        buf = Arrays.copyOf(buf, n);
      }
      if (!fillMore()) {
        return false;
      }
    }
    return true;
  }

  /** Reads more input into an emptied buffer; false at the end. */
  private boolean fill() throws IOException {
    pos = 0;
    limit = 0;
    return fillMore();
  }

  private boolean fillMore() throws IOException {
    if (eof) {
      return false;
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
      return false;
    }
    limit += n;
    return true;
  }

  private static int version(int major, int minor) {
    return major << 8 | minor;
  }
}
