package dev.lifeboat.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The part size setting and the heap it needs. */
class S3SettingsTest {

  @Test
  void partSizesAreReadWithUnitsAndKeptWithinS3sLimits() {
    assertThat(S3Settings.partSize(Optional.empty())).isEqualTo(64 << 20);
    assertThat(S3Settings.partSize(Optional.of("16MiB"))).isEqualTo(16 << 20);
    assertThat(S3Settings.partSize(Optional.of("8m"))).isEqualTo(8 << 20);
    assertThat(S3Settings.partSize(Optional.of("1GiB"))).isEqualTo(1 << 30);
    assertThat(S3Settings.partSize(Optional.of("5242880"))).isEqualTo(5 << 20);
    for (String bad : new String[] {"4MiB", "2GiB", "lots", "-5m", "99999999999999999999"}) {
      assertThatThrownBy(() -> S3Settings.partSize(Optional.of(bad))).as(bad).isInstanceOfSatisfying(LifeboatException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
        assertThat(e.getMessage()).contains("s3.part-size");
      });
    }
  }

  @Test
  void aPartSizeWhoseTwoBuffersDoNotFitTheHeapIsRefusedBeforeTheBackup() {
    S3Settings.checkFitsHeap(5 << 20, 62L << 20);
    S3Settings.checkFitsHeap(64 << 20, 256L << 20);
    assertThatThrownBy(() -> S3Settings.checkFitsHeap(64 << 20, 62L << 20)).isInstanceOfSatisfying(LifeboatException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
      assertThat(e.getMessage()).isEqualTo("An S3 backup with s3.part-size=64MiB holds two parts in memory and needs a Java heap of at least"
          + " 160MiB; this one has 62MiB. Give Java more (e.g. JAVA_OPTS=-Xmx256m) or set a smaller --setting s3.part-size"
          + " (16MiB allows archives up to about 156 GiB).");
    });
  }
}
