package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompressionTest {

  /**
   * A caller that decompresses the start of a stored archive and then reads the rest of the stored
   * bytes itself (to check its SHA-256) must not find them closed by a collected decompressor.
   */
  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"GZIP", "ZSTD"})
  void aDecompressorThatIsNoLongerReferencedNeverClosesItsSource(Compression compression) throws Exception {
    ByteArrayOutputStream stored = new ByteArrayOutputStream();
    try (OutputStream out = compression.compress(stored)) {
      out.write("rows\n".repeat(1000).getBytes());
    }
    AtomicBoolean closed = new AtomicBoolean();
    InputStream source = new FilterInputStream(new ByteArrayInputStream(stored.toByteArray())) {
      @Override
      public void close() throws IOException {
        closed.set(true);
        super.close();
      }
    };

    WeakReference<InputStream> gone = new WeakReference<>(readSome(compression, source));
    for (int i = 0; i < 20 && gone.get() != null; i++) {
      System.gc();
      System.runFinalization();
    }
    System.runFinalization();

    assertThat(gone.get()).as("the decompressor was collected").isNull();
    assertThat(closed).as("source closed behind its reader's back").isFalse();
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void whatIsCompressedDecompressesToTheSameBytes(Compression compression) throws IOException {
    byte[] plain = "a line of a dump\n".repeat(5000).getBytes();
    ByteArrayOutputStream stored = new ByteArrayOutputStream();
    try (OutputStream out = compression.compress(stored, 3)) {
      out.write(plain);
    }
    try (InputStream in = compression.decompress(new ByteArrayInputStream(stored.toByteArray()))) {
      assertThat(in.readAllBytes()).isEqualTo(plain);
    }
  }

  private static InputStream readSome(Compression compression, InputStream source) throws IOException {
    InputStream plain = compression.decompress(source);
    assertThat(plain.readNBytes(10)).hasSize(10);
    return plain;
  }
}
