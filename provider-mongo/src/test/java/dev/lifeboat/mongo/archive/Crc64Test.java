package dev.lifeboat.mongo.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.mongo.TestData;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64Test {

  /** The byte-at-a-time definition from the format spec, to check the sliced implementation against. */
  private static long reference(byte[] bytes) {
    long[] table = new long[256];
    for (int i = 0; i < 256; i++) {
      long c = i;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ 0xC96C5795D7870F42L : c >>> 1;
      }
      table[i] = c;
    }
    long crc = ~0L;
    for (byte b : bytes) {
      crc = table[(int) ((crc ^ b) & 0xFF)] ^ (crc >>> 8);
    }
    return ~crc;
  }

  @Test
  void checkValueOfTheCatalogue() {
    assertThat(Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x995DC9BBDF1939FAL);
  }

  @Test
  void emptyInputIsZero() {
    assertThat(Crc64.of(new byte[0])).isZero();
    assertThat(new Crc64().value()).isZero();
  }

  @Test
  void chunkedEqualsWholeAndMatchesTheByteWiseDefinition() {
    Random random = new Random(42);
    for (int len : new int[] {1, 7, 8, 9, 15, 16, 17, 63, 1000, 4099}) {
      byte[] data = new byte[len];
      random.nextBytes(data);
      Crc64 chunked = new Crc64();
      int pos = 0;
      while (pos < len) {
        int n = Math.min(len - pos, 1 + random.nextInt(13));
        chunked.update(data, pos, n);
        pos += n;
      }
      assertThat(chunked.value()).as("length %d", len).isEqualTo(Crc64.of(data)).isEqualTo(reference(data));
    }
  }

  @Test
  void storedCrcOfASampleArchiveNamespace() {
    // test.bar.archive's test.bar document (35 bytes at offset 0x31C) has CRC 0x9369F0F35BEC50D9.
    byte[] archive = TestData.bytes("mongo-tools/mongorestore/testdata/test.bar.archive");
    byte[] doc = java.util.Arrays.copyOfRange(archive, 0x31C, 0x31C + 35);
    assertThat(Crc64.of(doc)).isEqualTo(0x9369F0F35BEC50D9L);
  }
}
