package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.io.DigestingOutputStream;
import dev.lifeboat.io.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VerifyingInputStreamTest {
  private static final byte[] DATA = data();
  private static final String SHA = sha(DATA);

  private static byte[] data() {
    byte[] b = new byte[100_000];
    new Random(7).nextBytes(b);
    return b;
  }

  private static String sha(byte[] data) {
    DigestingOutputStream d = new DigestingOutputStream(OutputStreamSink.INSTANCE);
    try {
      d.write(data);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(d.count()).isEqualTo(data.length);
    return d.sha256Hex();
  }

  private static VerifyingInputStream verifying(byte[] stored) {
    return new VerifyingInputStream(new ByteArrayInputStream(stored), DATA.length, SHA, "20260101T000000.000Z-00000000");
  }

  @Test
  void aGoodStreamReadsToItsEnd() throws IOException {
    try (VerifyingInputStream in = verifying(DATA)) {
      assertThat(in.readAllBytes()).isEqualTo(DATA);
      assertThat(in.count()).isEqualTo(DATA.length);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void aGoodStreamReadByteByByteAndBySkippingPasses() throws IOException {
    try (InputStream in = verifying(DATA)) {
      assertThat(in.skip(50_000)).isEqualTo(50_000);
      int b;
      int n = 0;
      while ((b = in.read()) >= 0) {
        assertThat((byte) b).isEqualTo(DATA[50_000 + n]);
        n++;
      }
      assertThat(n).isEqualTo(50_000);
    }
  }

  @Test
  void aFlippedByteIsAChecksumMismatchAtTheEnd() {
    byte[] bad = DATA.clone();
    bad[12_345] ^= 0x01;
    assertMismatch(bad, "SHA-256");
  }

  @Test
  void aTruncatedStreamIsAChecksumMismatch() {
    assertMismatch(Arrays.copyOf(DATA, DATA.length - 1), "99999 bytes");
  }

  @Test
  void anExtraByteIsAChecksumMismatch() {
    assertMismatch(Arrays.copyOf(DATA, DATA.length + 1), "longer");
  }

  @Test
  void skippingDoesNotHideAFlippedByte() {
    byte[] bad = DATA.clone();
    bad[10] ^= 0x01;
    assertThatThrownBy(() -> {
      try (InputStream in = verifying(bad)) {
        in.skip(DATA.length);
        in.read();
      }
    }).satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH));
  }

  @Test
  void theDigestingStreamDoesNotCloseItsDelegate() throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream() {
      @Override
      public void close() {
        throw new AssertionError("closed the delegate");
      }
    };
    DigestingOutputStream d = new DigestingOutputStream(sink);
    d.write(DATA, 0, 10);
    d.write(DATA[10]);
    d.close();
    assertThat(sink.toByteArray()).isEqualTo(Arrays.copyOf(DATA, 11));
    assertThat(d.count()).isEqualTo(11);
  }

  private static void assertMismatch(byte[] stored, String detail) {
    assertThatThrownBy(() -> {
      try (InputStream in = verifying(stored)) {
        in.readAllBytes();
      }
    }).isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH))
        .hasMessageContaining("20260101T000000.000Z-00000000")
        .hasMessageContaining(detail)
        .hasMessageContaining("Do not restore it");
  }

  /** Discards bytes. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}
  }
}
