package dev.lifeboat.mongo.archive;

/**
 * CRC-64/XZ (ECMA-182 polynomial, reflected, init and xorout all ones): the checksum mongodump
 * stores in each namespace's EOF block (Go's {@code crc64.ECMA}). Check value of ASCII
 * {@code 123456789} is {@code 0x995DC9BBDF1939FA}; the CRC of nothing is 0.
 *
 * <p>Feed it chunk by chunk with {@link #update}; not thread-safe.
 */
public final class Crc64 {
  private static final long POLY_REFLECTED = 0xC96C5795D7870F42L;
  /** Slicing-by-8 tables: TABLES[0] is the classic byte table. */
  private static final long[][] TABLES = buildTables();

  private long crc;

  /** The checksum of the bytes fed so far (0 before any). */
  public long value() {
    return crc;
  }

  /** Adds bytes to the checksum. */
  public void update(byte[] bytes, int offset, int length) {
    crc = update(crc, bytes, offset, length);
  }

  /** Adds all of {@code bytes}. */
  public void update(byte[] bytes) {
    update(bytes, 0, bytes.length);
  }

  /** The CRC of {@code bytes} continued from {@code previous} (0 to start). */
  public static long update(long previous, byte[] bytes, int offset, int length) {
    long c = ~previous;
    int i = offset;
    int end = offset + length;
    long[] t0 = TABLES[0];
    long[] t1 = TABLES[1];
    long[] t2 = TABLES[2];
    long[] t3 = TABLES[3];
    long[] t4 = TABLES[4];
    long[] t5 = TABLES[5];
    long[] t6 = TABLES[6];
    long[] t7 = TABLES[7];
    while (end - i >= 8) {
      c ^= (bytes[i] & 0xFFL) | (bytes[i + 1] & 0xFFL) << 8 | (bytes[i + 2] & 0xFFL) << 16
          | (bytes[i + 3] & 0xFFL) << 24 | (bytes[i + 4] & 0xFFL) << 32 | (bytes[i + 5] & 0xFFL) << 40
          | (bytes[i + 6] & 0xFFL) << 48 | (bytes[i + 7] & 0xFFL) << 56;
      c = t7[(int) (c & 0xFF)] ^ t6[(int) ((c >>> 8) & 0xFF)] ^ t5[(int) ((c >>> 16) & 0xFF)]
          ^ t4[(int) ((c >>> 24) & 0xFF)] ^ t3[(int) ((c >>> 32) & 0xFF)] ^ t2[(int) ((c >>> 40) & 0xFF)]
          ^ t1[(int) ((c >>> 48) & 0xFF)] ^ t0[(int) (c >>> 56)];
      i += 8;
    }
    while (i < end) {
      c = t0[(int) ((c ^ bytes[i]) & 0xFF)] ^ (c >>> 8);
      i++;
    }
    return ~c;
  }

  /** The CRC of {@code bytes}. */
  public static long of(byte[] bytes) {
    return update(0, bytes, 0, bytes.length);
  }

  private static long[][] buildTables() {
    long[][] t = new long[8][256];
    for (int n = 0; n < 256; n++) {
      long c = n;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
      }
      t[0][n] = c;
    }
    for (int n = 0; n < 256; n++) {
      long c = t[0][n];
      for (int k = 1; k < 8; k++) {
        c = t[0][(int) (c & 0xFF)] ^ (c >>> 8);
        t[k][n] = c;
      }
    }
    return t;
  }
}
