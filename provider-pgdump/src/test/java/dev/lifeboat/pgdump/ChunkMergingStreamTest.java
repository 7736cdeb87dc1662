package dev.lifeboat.pgdump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Location;
import dev.lifeboat.Snapshot;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merged chunks against pg_restore itself: the merged archive must give pg_restore the same script
 * and the same database, a cut one must fail where the original fails, and what the merger does not
 * understand must come out byte for byte.
 */
class ChunkMergingStreamTest {
  private static final int ROWS = 20_000;

  static TestPg pg;
  static Lifeboat lifeboat;
  @TempDir static Path store;
  @TempDir Path work;

  /** {@code pg_dump -Fc -Z0} of a database with many small rows, awkward text, a row over 64 KiB, an empty table and a large object. */
  static byte[] plain;
  /** The same database as pg_dump compresses it by default. */
  static byte[] compressed;
  static Path pgRestore;

  @BeforeAll
  static void dump() throws IOException {
    pg = TestPg.start();
    pg.createDatabase("src");
    pg.exec("src", "CREATE TABLE small (id int PRIMARY KEY, body text);"
        + " INSERT INTO small SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g;"
        + " CREATE TABLE awkward (id int PRIMARY KEY, body text, raw bytea);"
        + " INSERT INTO awkward VALUES (1, E'tab\\there\\nnewline\\\\backslash \\\\. end', '\\x00ff0a'),"
        + " (2, 'ünïcödé ✓', NULL), (3, repeat('wide', 50000), decode(repeat('ab', 40000), 'hex')), (4, '', '');"
        + " CREATE TABLE empty (id int);"
        + " SELECT lo_from_bytea(0, 'large object bytes');");
    lifeboat = TestPg.lifeboat(Map.of());
    plain = stored(DumpOptions.builder().compression(Compression.NONE).extra("pg.compressLevel", "0").build());
    compressed = stored(DumpOptions.builder().compression(Compression.NONE).build());
  }

  private static byte[] stored(DumpOptions options) throws IOException {
    Snapshot s = lifeboat.backup(BackupRequest.builder(Location.parse(pg.uri("src")), Location.of(store)).options(options).build());
    pgRestore = Path.of(s.manifest().properties().get("pg.dumpTool")).resolveSibling("pg_restore");
    return Files.readAllBytes(store.resolve(s.id()).resolve("archive.pg-custom"));
  }

  @AfterAll
  static void stop() {
    lifeboat.close();
    pg.close();
  }

  @Test
  void aMergedArchiveGivesPgRestoreTheSameScriptWithTheRowsInFewerChunks() throws Exception {
    byte[] merged = merge(plain);

    Run original = restoreScript(plain);
    Run mergedRun = restoreScript(merged);
    assertThat(original.status).isZero();
    assertThat(mergedRun.status).as(mergedRun.messages).isZero();
    assertThat(mergedRun.script).isEqualTo(original.script);
    assertThat(original.script).contains("ünïcödé ✓").contains("lowrite");
    // Every row of 'small' was a chunk with a 5-byte length of its own; now a few hundred lengths remain.
    assertThat(plain.length - merged.length).isGreaterThan(5 * (ROWS - ROWS / 50));
  }

  @Test
  void aMergedArchiveRestoresTheSameDatabase() throws Exception {
    Path file = work.resolve("merged.dump");
    Files.write(file, merge(plain));
    pg.createDatabase("merged_copy");
    Process p = new ProcessBuilder(pgRestore.toString(), "--exit-on-error", "--single-transaction", "--dbname=" + pg.uri("merged_copy"))
        .redirectInput(file.toFile()).redirectErrorStream(true).start();
    String messages = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(messages).isZero();
    assertThat(pg.contents("merged_copy")).isEqualTo(pg.contents("src"));
  }

  /**
   * pg_restore with parallel jobs seeks in a file: the merged archive as a file (what a parallel
   * restore of a compressed snapshot now seeks in) restores the same database with two jobs.
   */
  @Test
  void aMergedArchiveFileRestoresTheSameDatabaseWithParallelJobs() throws Exception {
    Path file = work.resolve("merged-for-jobs.dump");
    Files.write(file, merge(plain));
    pg.createDatabase("merged_jobs");
    Process p = new ProcessBuilder(pgRestore.toString(), "--exit-on-error", "--jobs=2", "--dbname=" + pg.uri("merged_jobs"),
        file.toString()).redirectErrorStream(true).start();
    String messages = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(messages).isZero();
    assertThat(pg.contents("merged_jobs")).isEqualTo(pg.contents("src"));
  }

  @Test
  void shortReadsOnBothSidesGiveTheSameBytes() throws IOException {
    byte[] whole = merge(plain);
    InputStream trickle = new FilterInputStream(new ByteArrayInputStream(plain)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 3));
      }
    };
    byte[] sipped;
    try (InputStream in = new ChunkMergingStream(trickle); var out = new java.io.ByteArrayOutputStream()) {
      byte[] small = new byte[7];
      int n;
      while ((n = in.read(small, 0, 1 + out.size() % 7)) >= 0) {
        out.write(small, 0, n);
      }
      assertThat(in.read()).isEqualTo(-1);
      sipped = out.toByteArray();
    }
    assertThat(sipped).isEqualTo(whole);
  }

  @Test
  void whatTheMergerDoesNotUnderstandPassesThroughByteForByte() throws IOException {
    byte[] newerVersion = plain.clone();
    newerVersion[6] = 99;
    byte[] directoryFormat = plain.clone();
    directoryFormat[10] = 5;
    byte[] random = new byte[100_000];
    new Random(7).nextBytes(random);
    // Blocks whose id names no TABLE DATA entry are never merged: here the entries say TABLE DATX.
    byte[] noTableData = new String(plain, StandardCharsets.ISO_8859_1).replace("TABLE DATA", "TABLE DATX")
        .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(noTableData).isNotEqualTo(plain);
    List<byte[]> inputs = List.of(compressed, newerVersion, directoryFormat, noTableData, random, new byte[0],
        "PGDMP".getBytes(StandardCharsets.US_ASCII), "PGDMP this is not an archive at all".getBytes(StandardCharsets.US_ASCII));
    for (byte[] input : inputs) {
      assertThat(merge(input)).isEqualTo(input);
    }
  }

  @Test
  void aCutArchiveFailsInPgRestoreExactlyWhereTheOriginalFails() throws Exception {
    List<Integer> cuts = new ArrayList<>();
    for (int at = 0; at < 400; at += 13) {
      cuts.add(at);
    }
    Random random = new Random(11);
    for (int i = 0; i < 30; i++) {
      cuts.add(400 + random.nextInt(plain.length - 401));
    }
    for (int at : cuts) {
      byte[] cut = Arrays.copyOf(plain, at);
      Run original = restoreScript(cut);
      Run merged = restoreScript(merge(cut));
      assertThat(merged.status).as("cut at %d: %s", at, merged.messages).isNotZero();
      assertThat(merged.script).as("cut at %d", at).isEqualTo(original.script);
    }
  }

  private static byte[] merge(byte[] archive) throws IOException {
    try (InputStream in = new ChunkMergingStream(new ByteArrayInputStream(archive))) {
      return in.readAllBytes();
    }
  }

  private record Run(int status, String script, String messages) {
  }

  /** pg_restore's script of {@code archive}, read from its standard input as a restore reads it. */
  private Run restoreScript(byte[] archive) throws Exception {
    Path file = Files.createTempFile(work, "archive", ".dump");
    Files.write(file, archive);
    Path errors = work.resolve("errors.txt");
    Process p = new ProcessBuilder(pgRestore.toString(), "--file=-").redirectInput(file.toFile()).redirectError(errors.toFile()).start();
    String script;
    try (InputStream out = p.getInputStream()) {
      // Without the lines that carry the random key pg_restore puts into every script (restrict, unrestrict).
      script = new String(out.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^\\\\(un)?restrict .*$", "");
    }
    int status = p.waitFor();
    Files.delete(file);
    return new Run(status, script, Files.readString(errors));
  }
}
