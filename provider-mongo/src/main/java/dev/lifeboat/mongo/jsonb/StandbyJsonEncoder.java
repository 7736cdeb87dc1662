package dev.lifeboat.mongo.jsonb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.bson.types.Decimal128;

/**
 * Writes the JSON of {@link StandbyJson} straight from BSON bytes into UTF-8 bytes, without
 * decoding documents into objects: the standby load spends its time here, and the driver's
 * {@code JsonWriter} is several times slower. Optionally escapes the output for PostgreSQL's
 * {@code COPY} text format (every backslash doubled; JSON never holds raw control characters).
 * Not thread-safe; reuse one per thread.
 */
final class StandbyJsonEncoder {
  private static final long MAX_ISO_DATE = 253402300799999L; // 9999-12-31T23:59:59.999Z
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private byte[] buf = new byte[1 << 12];
  private int len;
  private boolean copyEscape;
  private boolean canonical;

  /** The bytes written since the last {@link #reset()}. */
  byte[] buffer() {
    return buf;
  }

  int length() {
    return len;
  }

  void reset() {
    len = 0;
  }

  /** Whether output is escaped for COPY's text format. */
  void copyEscape(boolean value) {
    copyEscape = value;
  }

  /** Appends the relaxed standby JSON of the document at {@code bson[offset]}. */
  void data(byte[] bson, int offset) {
    canonical = false;
    document(bson, offset, false);
  }

  /** Appends the canonical Extended JSON of the document's {@code _id}; false when it has none. */
  boolean id(byte[] bson, int offset) {
    int end = offset + int32(bson, offset) - 1;
    int p = offset + 4;
    while (p < end) {
      byte type = bson[p++];
      int nameStart = p;
      while (bson[p] != 0) {
        p++;
      }
      boolean isId = p - nameStart == 3 && bson[nameStart] == '_' && bson[nameStart + 1] == 'i' && bson[nameStart + 2] == 'd';
      p++;
      if (isId) {
        canonical = true;
        value(type, bson, p);
        return true;
      }
      p = skip(type, bson, p);
    }
    return false;
  }

  /** Appends raw text (ASCII), e.g. a COPY delimiter. */
  void ascii(char c) {
    ensure(1);
    buf[len++] = (byte) c;
  }

  private int document(byte[] b, int offset, boolean array) {
    int size = int32(b, offset);
    int end = offset + size - 1;
    int p = offset + 4;
    put(array ? '[' : '{');
    boolean first = true;
    while (p < end) {
      byte type = b[p++];
      int nameStart = p;
      while (b[p] != 0) {
        p++;
      }
      if (!first) {
        put(',');
        put(' ');
      }
      first = false;
      if (!array) {
        string(b, nameStart, p - nameStart);
        put(':');
        put(' ');
      }
      p = value(type, b, p + 1);
    }
    put(array ? ']' : '}');
    return offset + size;
  }

  /** Writes one value of {@code type} at {@code p}; returns the position after it. */
  private int value(byte type, byte[] b, int p) {
    switch (type) {
      case 0x01 -> {
        writeDouble(Double.longBitsToDouble(int64(b, p)));
        return p + 8;
      }
      case 0x02 -> {
        int n = int32(b, p);
        string(b, p + 4, n - 1);
        return p + 4 + n;
      }
      case 0x03 -> {
        return document(b, p, false);
      }
      case 0x04 -> {
        return document(b, p, true);
      }
      case 0x05 -> {
        int n = int32(b, p);
        int subtype = b[p + 4] & 0xFF;
        int dataStart = p + 5;
        int dataLen = n;
        if (subtype == 0x02) {
          // The old binary subtype repeats the length inside; drivers drop it, and so does Extended JSON.
          dataStart += 4;
          dataLen -= 4;
        }
        open("$binary");
        put('{');
        key("base64");
        quoted(Base64.getEncoder().encode(Arrays.copyOfRange(b, dataStart, dataStart + dataLen)));
        put(',');
        put(' ');
        key("subType");
        put('"');
        put((char) HEX[subtype >>> 4]);
        put((char) HEX[subtype & 0xF]);
        put('"');
        put('}');
        put('}');
        return p + 5 + n;
      }
      case 0x06 -> {
        open("$undefined");
        ascii("true}");
        return p;
      }
      case 0x07 -> {
        open("$oid");
        objectId(b, p);
        put('}');
        return p + 12;
      }
      case 0x08 -> {
        ascii(b[p] != 0 ? "true" : "false");
        return p + 1;
      }
      case 0x09 -> {
        long ms = int64(b, p);
        open("$date");
        if (!canonical && ms >= 0 && ms <= MAX_ISO_DATE) {
          quoted(Instant.ofEpochMilli(ms).toString());
        } else {
          numberLong(ms);
        }
        put('}');
        return p + 8;
      }
      case 0x0A -> {
        ascii("null");
        return p;
      }
      case 0x0B -> {
        int patternEnd = p;
        while (b[patternEnd] != 0) {
          patternEnd++;
        }
        int optionsEnd = patternEnd + 1;
        while (b[optionsEnd] != 0) {
          optionsEnd++;
        }
        open("$regularExpression");
        put('{');
        key("pattern");
        string(b, p, patternEnd - p);
        put(',');
        put(' ');
        key("options");
        string(b, patternEnd + 1, optionsEnd - patternEnd - 1);
        put('}');
        put('}');
        return optionsEnd + 1;
      }
      case 0x0C -> {
        int n = int32(b, p);
        open("$dbPointer");
        put('{');
        key("$ref");
        string(b, p + 4, n - 1);
        put(',');
        put(' ');
        key("$id");
        put('{');
        key("$oid");
        objectId(b, p + 4 + n);
        put('}');
        put('}');
        put('}');
        return p + 4 + n + 12;
      }
      case 0x0D, 0x0E -> {
        int n = int32(b, p);
        open(type == 0x0D ? "$code" : "$symbol");
        string(b, p + 4, n - 1);
        put('}');
        return p + 4 + n;
      }
      case 0x0F -> {
        int total = int32(b, p);
        int n = int32(b, p + 4);
        open("$code");
        string(b, p + 8, n - 1);
        put(',');
        put(' ');
        key("$scope");
        document(b, p + 8 + n, false);
        put('}');
        return p + total;
      }
      case 0x10 -> {
        int v = int32(b, p);
        if (canonical) {
          open("$numberInt");
          quoted(Integer.toString(v));
          put('}');
        } else {
          ascii(Integer.toString(v));
        }
        return p + 4;
      }
      case 0x11 -> {
        long inc = int32(b, p) & 0xFFFFFFFFL;
        long t = int32(b, p + 4) & 0xFFFFFFFFL;
        open("$timestamp");
        put('{');
        key("t");
        ascii(Long.toString(t));
        put(',');
        put(' ');
        key("i");
        ascii(Long.toString(inc));
        put('}');
        put('}');
        return p + 8;
      }
      case 0x12 -> {
        open("$numberLong");
        quoted(Long.toString(int64(b, p)));
        put('}');
        return p + 8;
      }
      case 0x13 -> {
        long low = int64(b, p);
        long high = int64(b, p + 8);
        open("$numberDecimal");
        quoted(Decimal128.fromIEEE754BIDEncoding(high, low).toString());
        put('}');
        return p + 16;
      }
      case (byte) 0xFF, 0x7F -> {
        open(type == 0x7F ? "$maxKey" : "$minKey");
        ascii("1}");
        return p;
      }
      default -> throw new IllegalArgumentException("Unknown BSON type 0x" + Integer.toHexString(type & 0xFF));
    }
  }

  private static int skip(byte type, byte[] b, int p) {
    return switch (type) {
      case 0x01, 0x09, 0x11, 0x12 -> p + 8;
      case 0x02, 0x0D, 0x0E -> p + 4 + int32(b, p);
      case 0x03, 0x04, 0x0F -> p + int32(b, p);
      case 0x05 -> p + 5 + int32(b, p);
      case 0x06, 0x0A, (byte) 0xFF, 0x7F -> p;
      case 0x07 -> p + 12;
      case 0x08 -> p + 1;
      case 0x0B -> {
        int q = p;
        while (b[q] != 0) {
          q++;
        }
        q++;
        while (b[q] != 0) {
          q++;
        }
        yield q + 1;
      }
      case 0x0C -> p + 4 + int32(b, p) + 12;
      case 0x10 -> p + 4;
      case 0x13 -> p + 16;
      default -> throw new IllegalArgumentException("Unknown BSON type 0x" + Integer.toHexString(type & 0xFF));
    };
  }

  private void writeDouble(double d) {
    boolean special = Double.isNaN(d) || Double.isInfinite(d) || (d == 0.0 && Double.doubleToRawLongBits(d) != 0L);
    if (canonical || special) {
      open("$numberDouble");
      String text = Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : Double.toString(d);
      quoted(text);
      put('}');
      return;
    }
    String text = Double.toString(d);
    if (text.indexOf('E') >= 0) {
      BigDecimal exact = new BigDecimal(text);
      text = (exact.scale() < 1 ? exact.setScale(1) : exact).toPlainString();
    }
    ascii(text);
  }

  private void numberLong(long v) {
    put('{');
    key("$numberLong");
    quoted(Long.toString(v));
    put('}');
  }

  private void objectId(byte[] b, int p) {
    ensure(26);
    buf[len++] = '"';
    for (int i = 0; i < 12; i++) {
      int v = b[p + i] & 0xFF;
      buf[len++] = HEX[v >>> 4];
      buf[len++] = HEX[v & 0xF];
    }
    buf[len++] = '"';
  }

  /** {@code {"name": } */
  private void open(String name) {
    put('{');
    key(name);
  }

  private void key(String name) {
    quoted(name);
    put(':');
    put(' ');
  }

  private void quoted(String ascii) {
    put('"');
    ascii(ascii);
    put('"');
  }

  private void quoted(byte[] ascii) {
    ensure(ascii.length + 2);
    buf[len++] = '"';
    System.arraycopy(ascii, 0, buf, len, ascii.length);
    len += ascii.length;
    buf[len++] = '"';
  }

  private void ascii(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  /**
   * A JSON string from UTF-8 bytes: quotes, backslashes and control characters escaped. In
   * {@code data}, a string holding U+0000 (valid in BSON) is written as
   * {@link StandbyJson#STRING_WITH_NUL}, since {@code jsonb} refuses {@code \u0000} and one such
   * document would fail the whole load; the canonical {@code _id} column is text and keeps the escape.
   */
  private void string(byte[] b, int start, int n) {
    if (!canonical && holdsNul(b, start, n)) {
      open(StandbyJson.STRING_WITH_NUL);
      put('[');
      int part = start;
      for (int i = start; i <= start + n; i++) {
        if (i == start + n || b[i] == 0) {
          if (part > start) {
            put(',');
            put(' ');
          }
          plainString(b, part, i - part);
          part = i + 1;
        }
      }
      put(']');
      put('}');
      return;
    }
    plainString(b, start, n);
  }

  private static boolean holdsNul(byte[] b, int start, int n) {
    for (int i = start; i < start + n; i++) {
      if (b[i] == 0) {
        return true;
      }
    }
    return false;
  }

  private void plainString(byte[] b, int start, int n) {
    ensure(n * 2 + 2);
    buf[len++] = '"';
    for (int i = start; i < start + n; i++) {
      byte c = b[i];
      if (c == '"') {
        backslash();
        ensure(n * 2 + 2);
        buf[len++] = c;
      } else if (c == '\\') {
        backslash();
        backslash();
        ensure(n * 2 + 2);
      } else if (c >= 0 && c < 0x20) {
        escapeControl(c);
        ensure(n * 2 + 2);
      } else {
        buf[len++] = c;
      }
    }
    put('"');
  }

  private void escapeControl(byte c) {
    backslash();
    switch (c) {
      case '\b' -> put('b');
      case '\f' -> put('f');
      case '\n' -> put('n');
      case '\r' -> put('r');
      case '\t' -> put('t');
      default -> {
        ascii("u00");
        put((char) HEX[c >>> 4]);
        put((char) HEX[c & 0xF]);
      }
    }
  }

  private void backslash() {
    ensure(2);
    buf[len++] = '\\';
    if (copyEscape) {
      buf[len++] = '\\';
    }
  }

  private void put(char c) {
    ensure(1);
    buf[len++] = (byte) c;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  private static long int64(byte[] b, int p) {
    return (int32(b, p) & 0xFFFFFFFFL) | ((long) int32(b, p + 4) << 32);
  }

  /** The little-endian int32 at {@code offset}, as BSON stores lengths and int32 values. */
  private static int int32(byte[] bytes, int offset) {
    return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8 | (bytes[offset + 2] & 0xFF) << 16
        | (bytes[offset + 3] & 0xFF) << 24;
  }
}
