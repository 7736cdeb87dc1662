package dev.lifeboat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.Compression;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.io.DigestingOutputStream;
import dev.lifeboat.io.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeldTailInputStreamTest {
  private static final int SIZE = 3 * HeldTailInputStream.HELD + 12_345;

  /** The stored bytes, noting whether a reader reached their end. */
  private static final class Stored extends FilterInputStream {
    boolean atEnd;

    Stored(byte[] bytes) {
      super(new ByteArrayInputStream(bytes));
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      atEnd |= n < 0;
      return n;
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(7).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] bytes) throws IOException {
    DigestingOutputStream d = new DigestingOutputStream(OutputStream.nullOutputStream());
    d.write(bytes);
    return d.sha256Hex();
  }

  @Test
  void theLastBytesAreHandedOutOnlyAfterTheStoredBytesWereReadToTheirCheckedEnd() throws IOException {
    byte[] data = randomBytes(SIZE);
    Stored stored = new Stored(data);
    InputStream checked = new VerifyingInputStream(stored, data.length, sha256(data), "s1");
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (HeldTailInputStream in = new HeldTailInputStream(checked, checked, "s1", "none")) {
      byte[] buffer = new byte[65_536];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        received.write(buffer, 0, n);
        if (received.size() > SIZE - HeldTailInputStream.HELD) {
          assertThat(stored.atEnd).as("held bytes released before the end was checked").isTrue();
        }
      }
    }
    assertThat(received.toByteArray()).isEqualTo(data);
  }

  @Test
  void aCorruptArchiveFailsTheReadThatWouldHandOutItsLastBytes() throws IOException {
    byte[] data = randomBytes(SIZE);
    String sha = sha256(data);
    data[SIZE / 2] ^= 1;
    InputStream checked = new VerifyingInputStream(new ByteArrayInputStream(data), data.length, sha, "s2");
    long[] received = {0};
    assertThatThrownBy(() -> {
      try (HeldTailInputStream in = new HeldTailInputStream(checked, checked, "s2", "none")) {
        byte[] buffer = new byte[65_536];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          received[0] += n;
        }
      }
    }).isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH));
    assertThat(received[0]).isLessThanOrEqualTo(SIZE - HeldTailInputStream.HELD);
  }

  @Test
  void bytesTheDecompressorRejectsAreReportedAsDamageAfterTheStoredCheck() throws IOException {
    ByteArrayOutputStream zstd = new ByteArrayOutputStream();
    try (OutputStream out = Compression.ZSTD.compress(zstd)) {
      out.write(randomBytes(SIZE));
    }
    byte[] stored = zstd.toByteArray();
    stored[stored.length / 2] ^= 0x40;
    // The manifest matches these (damaged) bytes: only the decompressor can tell.
    InputStream checked = new VerifyingInputStream(new ByteArrayInputStream(stored), stored.length, sha256(stored), "s3");
    assertThatThrownBy(() -> {
      try (HeldTailInputStream in = new HeldTailInputStream(Compression.ZSTD.decompress(checked), checked, "s3", "zstd")) {
        in.transferTo(OutputStream.nullOutputStream());
      }
    }).isInstanceOfSatisfying(LifeboatException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
      assertThat(e.getMessage()).containsIgnoringCase("cannot be decompressed as zstd");
    });
  }

  @Test
  void anArchiveSmallerThanTheHeldTailIsHandedOutWholeAfterItsCheck() throws IOException {
    byte[] data = randomBytes(1000);
    Stored stored = new Stored(data);
    InputStream checked = new VerifyingInputStream(stored, data.length, sha256(data), "s4");
    try (HeldTailInputStream in = new HeldTailInputStream(checked, checked, "s4", "none")) {
      byte[] first = new byte[10];
      assertThat(in.read(first)).isEqualTo(10);
      assertThat(stored.atEnd).isTrue();
      assertThat(in.readAllBytes()).hasSize(990);
    }
  }
}
