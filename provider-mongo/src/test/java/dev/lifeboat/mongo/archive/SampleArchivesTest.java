package dev.lifeboat.mongo.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.Compression;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.mongo.TestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample archive written by the real mongodump (servers 3.4 to 8.0) reads, and bad ones fail. */
class SampleArchivesTest {

  /** Namespace -> {documents, bytes, crc} as the spec's section 13 lists them. */
  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.of(TestData.BAR, "3.4.3", expect(
            "admin.system.version", 1, 59, 0xf685812fd02a263eL,
            "test.bar", 1, 35, 0x9369f0f35bec50d9L)),
        Arguments.of(TestData.OPLOG, "4.0.2", expect(
            "admin.system.version", 1, 59, 0x0cb0ef0ea1d16e0dL,
            "test.foo", 25, 725, 0x9cc6a0e47a6d6d82L,
            ".oplog", 18, 2760, 0x803bd1a62aaa916cL)),
        Arguments.of(TestData.TIMESERIES, "5.0.0-rc0", expect(
            "admin.system.version", 1, 59, 0x509d986e92154e53L,
            "admin.system.views", 0, 0, 0L,
            "timeseries_test.system.buckets.foo_ts", 10, 38020, 0x401f4fd88569654fL)),
        Arguments.of(TestData.MODERN, "8.0.3-120-gbc35ab4", expect(
            "admin.system.users", 4, 1552, 0x5c06e1e65b9eb163L,
            "admin.system.roles", 4, 3311, 0x6e66b3d93443a845L,
            "admin.system.version", 2, 104, 0xcd1d01e3b9f80ab3L,
            "testDB.testColl", 1500, 43500, 0xf3697bbc981e7bd8L)));
  }

  private static Map<String, NamespaceStats> expect(Object... v) {
    Map<String, NamespaceStats> m = new LinkedHashMap<>();
    for (int i = 0; i < v.length; i += 4) {
      m.put((String) v[i], new NamespaceStats(((Integer) v[i + 1]).longValue(), ((Integer) v[i + 2]).longValue(), (Long) v[i + 3]));
    }
    return m;
  }

  private static Map<String, NamespaceStats> read(byte[] archive) {
    ArchiveSummary summary = MongoArchiveReader.read(new ByteArrayInputStream(archive), ArchiveVisitor.NONE);
    Map<String, NamespaceStats> out = new LinkedHashMap<>();
    summary.namespaces().forEach((ns, s) -> out.put(ns.toString(), s));
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void readsEverySampleWithItsCountsAndCrcs(String file, String serverVersion, Map<String, NamespaceStats> expected) {
    byte[] archive = TestData.bytes(file);
    assertThat(read(archive)).containsExactlyInAnyOrderEntriesOf(expected);
    ArchiveSummary summary = MongoArchiveReader.read(new ByteArrayInputStream(archive), ArchiveVisitor.NONE);
    assertThat(summary.prelude().header().serverVersion()).isEqualTo(serverVersion);
    assertThat(summary.prelude().header().version()).isEqualTo("0.1");
  }

  @ParameterizedTest(name = "{0} gzip")
  @MethodSource("samples")
  void readsGzipAndZstdCompressedSamples(String file, String serverVersion, Map<String, NamespaceStats> expected) throws IOException {
    byte[] archive = TestData.bytes(file);
    assertThat(read(TestData.gzip(archive))).containsExactlyInAnyOrderEntriesOf(expected);
    ByteArrayOutputStream zstd = new ByteArrayOutputStream();
    try (var out = Compression.ZSTD.compress(zstd)) {
      out.write(archive);
    }
    assertThat(read(zstd.toByteArray())).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void preludeOfTheModernArchiveMatchesMongodumpParsersExpectation() {
    ArchivePrelude p = MongoArchiveReader.open(new ByteArrayInputStream(TestData.bytes(TestData.MODERN))).prelude();
    assertThat(p.header().concurrentCollections()).isEqualTo(4);
    assertThat(p.header().toolVersion()).isEqualTo("100.7.1");
    CollectionMetadata coll = p.entry("testDB", "testColl").orElseThrow();
    assertThat(coll.type()).isEqualTo("collection");
    assertThat(coll.indexNames()).containsExactly("_id_");
    assertThat(coll.metadata().orElseThrow().getString("uuid").getValue()).isEqualTo("f4df33f029b34b4fbd5326b5b5c286f3");
  }

  @Test
  void timeseriesEntryMapsToItsBucketsNamespace() {
    ArchivePrelude p = MongoArchiveReader.open(new ByteArrayInputStream(TestData.bytes(TestData.TIMESERIES))).prelude();
    CollectionMetadata ts = p.entry("timeseries_test", "foo_ts").orElseThrow();
    assertThat(ts.isTimeseries()).isTrue();
    assertThat(ts.dataNamespace(p.header().serverVersion())).isEqualTo(new Namespace("timeseries_test", "system.buckets.foo_ts"));
    assertThat(ts.options().containsKey("timeseries")).isTrue();
  }

  @Test
  void legacyArchiveWithoutTypesAndRelaxedMetadataReads() {
    ArchivePrelude p = MongoArchiveReader.open(new ByteArrayInputStream(TestData.bytes(TestData.BAR))).prelude();
    assertThat(p.entries()).extracting(CollectionMetadata::type).containsOnly("");
    assertThat(p.entry("test", "bar").orElseThrow().kind()).isEqualTo("collection");
  }

  @Test
  void rejectsBadFormatArchiveForItsInvalidMetadata() {
    assertThatThrownBy(() -> read(TestData.bytes(TestData.BAD)))
        .isInstanceOf(LifeboatException.class)
        .hasMessageContaining("test.ixtest").hasMessageContaining("not valid Extended JSON")
        .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
  }

  @Test
  void rejectsEveryTruncationOfTestBar() {
    byte[] archive = TestData.bytes(TestData.BAR);
    for (int len = 0; len < archive.length; len++) {
      byte[] cut = Arrays.copyOf(archive, len);
      int at = len;
      assertThatThrownBy(() -> read(cut)).as("truncated at %d", at)
          .isInstanceOf(LifeboatException.class)
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
    }
    assertThat(read(archive)).hasSize(2);
  }

  @Test
  void rejectsTruncatedGzipArchive() {
    byte[] gz = TestData.gzip(TestData.bytes(TestData.MODERN));
    byte[] cut = Arrays.copyOf(gz, gz.length / 2);
    assertThatThrownBy(() -> read(cut)).isInstanceOf(LifeboatException.class)
        .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
  }

  @Test
  void rejectsAWrongStoredCrc() {
    byte[] archive = TestData.bytes(TestData.BAR);
    // The EOF header of test.bar starts at 0x343 (57 bytes); its CRC is the last 8 bytes before the trailing zero.
    int crcOffset = 0x343 + 57 - 1 - 8;
    assertThat(Bson.int32(archive, crcOffset)).isEqualTo(0x5BEC50D9);
    byte[] bad = archive.clone();
    bad[crcOffset] ^= 0x01;
    assertThatThrownBy(() -> read(bad)).isInstanceOf(LifeboatException.class)
        .hasMessageContaining("CRC mismatch for namespace test.bar")
        .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
  }

  @Test
  void aFlippedByteInsideADocumentIsCaughtByTheCrc() {
    byte[] archive = TestData.bytes(TestData.BAR);
    // test.bar's document is at 0x31C; flip a byte of the value "bar" (not its framing).
    byte[] bad = archive.clone();
    bad[0x31C + 30] ^= 0x20;
    assertThatThrownBy(() -> read(bad)).isInstanceOf(LifeboatException.class)
        .hasMessageContaining("CRC mismatch for namespace test.bar");
  }

  @Test
  void aFlippedByteInADocumentLengthIsCaughtByTheFraming() {
    byte[] archive = TestData.bytes(TestData.BAR);
    byte[] bad = archive.clone();
    bad[0x31C + 3] = 0x40; // length becomes > 16 MiB
    assertThatThrownBy(() -> read(bad)).isInstanceOf(LifeboatException.class)
        .hasMessageContaining("BSON document length")
        .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
    byte[] shorter = archive.clone();
    shorter[0x31C] = 33; // two bytes short: the document no longer ends with a zero byte
    assertThatThrownBy(() -> read(shorter)).isInstanceOf(LifeboatException.class)
        .hasMessageContaining("does not end with a zero byte");
  }

  @Test
  void rejectsAWrongMagicNumber() {
    byte[] bad = TestData.bytes(TestData.BAR).clone();
    bad[0] = 0x00;
    assertThatThrownBy(() -> read(bad)).isInstanceOf(LifeboatException.class)
        .hasMessageContaining("does not look like a mongodump archive");
  }

  @Test
  void rejectsTrailingBytesAfterTheLastBlock() {
    byte[] archive = TestData.bytes(TestData.BAR);
    byte[] extra = Arrays.copyOf(archive, archive.length + 4);
    Arrays.fill(extra, archive.length, extra.length, (byte) 0xFF);
    assertThatThrownBy(() -> read(extra)).isInstanceOf(LifeboatException.class)
        .hasMessageContaining("consecutive terminators");
  }
}
