package dev.lifeboat.pgdump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Progress;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.file.FileBlobStore;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupt archives, protected and non-empty destinations, failing pg_dump, tool selection and snapshot consistency. */
class PgSafetyTest {
  static TestPg pg;
  static Lifeboat lifeboat;
  @TempDir static Path store;
  @TempDir Path local;

  @BeforeAll
  static void start() {
    pg = TestPg.start();
    pg.loadFixture("src");
    pg.createDatabase("big");
    pg.exec("big", "CREATE TABLE filler (id int PRIMARY KEY, body text);"
        + " INSERT INTO filler SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 4000) g");
    lifeboat = TestPg.lifeboat(Map.of());
  }

  @AfterAll
  static void stop() {
    lifeboat.close();
    pg.close();
  }

  private Snapshot backup(String db, Path target, DumpOptions options) {
    return lifeboat.backup(BackupRequest.builder(Location.parse(pg.uri(db)), Location.of(target)).options(options).build());
  }

  private void restore(Path target, String id, String uri, RestoreOptions options) {
    lifeboat.restore(RestoreRequest.builder(Location.of(target), id, Location.parse(uri)).options(options).build());
  }

  @Test
  void aFlippedByteIsRefusedBeforeTheDestinationIsTouched() throws IOException {
    Snapshot s = backup("src", local, DumpOptions.defaults());
    Path archive = local.resolve(s.id()).resolve("archive.pg-custom.zst");
    byte[] bytes = Files.readAllBytes(archive);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(archive, bytes);

    assertThatThrownBy(() -> restore(local, s.id(), pg.uri("flipped"), RestoreOptions.defaults()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH));
    assertThat(pg.databaseExists("flipped")).isFalse();
  }

  @Test
  void anArchivePgRestoreCannotReadIsRefusedEvenWithACorrectChecksum() throws Exception {
    Snapshot real = backup("src", local, DumpOptions.builder().compression(Compression.NONE).build());
    byte[] whole = Files.readAllBytes(local.resolve(real.id()).resolve("archive.pg-custom"));
    byte[] truncated = Arrays.copyOf(whole, 300);
    byte[] garbage = "PGDMP this is not an archive at all".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (byte[] content : new byte[][] {truncated, garbage}) {
      String id = storeRaw(local, real.manifest(), content);
      assertThatThrownBy(() -> restore(local, id, pg.uri("unreadable"), RestoreOptions.defaults()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(e.getMessage()).contains("pg_restore --list").contains("pg_restore: error");
          });
      assertThat(pg.databaseExists("unreadable")).isFalse();
    }
  }

  /** Stores {@code content} as a snapshot whose manifest has the right size and SHA-256. */
  private static String storeRaw(Path target, Manifest like, byte[] content) throws Exception {
    String id = SnapshotIds.next(Clock.systemUTC());
    SnapshotTarget t = SnapshotTarget.over(FileBlobStore.at(target));
    try (PendingSnapshot p = t.create(id, "archive.pg-custom")) {
      p.output().write(content);
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
      p.commit(like.toBuilder().id(id).size(content.length).sha256(sha).compression(Compression.NONE).build());
    }
    return id;
  }

  @Test
  void restoringOntoTheSourceNeedsItsNameAndReplace() {
    Snapshot s = backup("src", store, DumpOptions.defaults());
    Map<String, String> before = pg.contents("src");
    for (String uri : new String[] {pg.uri("src"), "postgresql://postgres@127.0.0.1:" + pg.port() + "/src",
        "jdbc:postgresql://localhost:" + pg.port() + "/src?user=postgres"}) {
      assertThatThrownBy(() -> restore(store, s.id(), uri, RestoreOptions.defaults()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION);
            assertThat(e.getMessage()).contains("--confirm src");
          });
    }
    assertThatThrownBy(() -> restore(store, s.id(), pg.uri("src"), RestoreOptions.builder().confirm("wrong").replace(true).build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION));
    assertThatThrownBy(() -> restore(store, s.id(), pg.uri("src"), RestoreOptions.builder().confirm("src").build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DESTINATION_NOT_EMPTY));

    pg.exec("src", "DELETE FROM shop.\"Order Items\" WHERE line = 0");
    restore(store, s.id(), pg.uri("src"), RestoreOptions.builder().confirm("src").replace(true).build());
    assertThat(pg.contents("src")).isEqualTo(before);
  }

  @Test
  void aSnapshotNamedByAPlatformStillProtectsTheDatabaseThatWasDumped() throws Exception {
    Snapshot real = backup("src", local, DumpOptions.builder().compression(Compression.NONE).build());
    assertThat(real.manifest().properties()).containsEntry(PgRestorer.SOURCE_PROPERTY, pg.uri("src"));
    byte[] content = Files.readAllBytes(local.resolve(real.id()).resolve("archive.pg-custom"));
    Map<String, String> before = pg.contents("src");

    // A Neon branch dumped through this provider: the fingerprint names the platform, not the server.
    Manifest platform = real.manifest().toBuilder()
        .source(new SourceFingerprint("neon", "15", "src", "neon://project/main")).build();
    String viaPlatform = storeRaw(local, platform, content);
    assertThatThrownBy(() -> restore(local, viaPlatform, pg.uri("src"), RestoreOptions.builder().replace(true).build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION));

    // Nothing says where it came from: refused everywhere until the destination is confirmed by name.
    Map<String, String> withoutSource = new java.util.HashMap<>(real.manifest().properties());
    withoutSource.remove(PgRestorer.SOURCE_PROPERTY);
    Manifest unknown = Manifest.builder().id(real.id()).format(real.manifest().format())
        .inventory(real.manifest().inventory()).properties(withoutSource).build();
    String anonymous = storeRaw(local, unknown, content);
    assertThatThrownBy(() -> restore(local, anonymous, pg.uri("anon_copy"), RestoreOptions.defaults()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION);
          assertThat(e.getMessage()).contains("--confirm anon_copy");
        });
    assertThat(pg.databaseExists("anon_copy")).isFalse();
    restore(local, anonymous, pg.uri("anon_copy"), RestoreOptions.builder().confirm("anon_copy").build());
    assertThat(pg.contents("anon_copy")).isEqualTo(before);
    assertThat(pg.contents("src")).isEqualTo(before);
  }

  @Test
  void restoringOntoTheSourceUnderAnotherNameOfThisMachineIsRefusedEvenWithReplace() throws Exception {
    Snapshot s = backup("src", store, DumpOptions.defaults());
    Map<String, String> before = pg.contents("src");
    pg.exec("src", "CREATE TABLE keep_me (id int); INSERT INTO keep_me VALUES (1)");
    String machine = java.net.InetAddress.getLocalHost().getHostName();
    for (String host : new String[] {"[::ffff:127.0.0.1]", "LOCALHOST.", machine}) {
      String uri = "postgresql://postgres@" + host + ":" + pg.port() + "/src";
      assertThatThrownBy(() -> restore(store, s.id(), uri, RestoreOptions.builder().replace(true).build()))
          .as(uri)
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PROTECTED_DESTINATION);
            assertThat(e.getMessage()).contains("--confirm src");
          });
    }
    assertThat(pg.number("src", "SELECT count(*) FROM keep_me")).isEqualTo(1);
    pg.exec("src", "DROP TABLE keep_me");
    assertThat(pg.contents("src")).isEqualTo(before);
  }

  @Test
  void aNonEmptyDestinationIsRefusedUnlessReplacing() {
    Snapshot s = backup("src", store, DumpOptions.defaults());
    pg.createDatabase("busy");
    pg.exec("busy", "CREATE TABLE keep_me (id int); INSERT INTO keep_me VALUES (1)");
    assertThatThrownBy(() -> restore(store, s.id(), pg.uri("busy"), RestoreOptions.defaults()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.DESTINATION_NOT_EMPTY);
          assertThat(e.getMessage()).contains("public.keep_me");
        });
    assertThat(pg.number("busy", "SELECT count(*) FROM keep_me")).isEqualTo(1);
    assertThat(pg.number("busy", "SELECT count(*) FROM pg_namespace WHERE nspname = 'shop'")).isZero();

    restore(store, s.id(), pg.uri("busy"), RestoreOptions.builder().replace(true).build());
    assertThat(pg.number("busy", "SELECT count(*) FROM shop.orders")).isEqualTo(200);
  }

  @Test
  void aPgDumpKilledMidwayLeavesNothingListed() throws IOException {
    Path bin = fakeBin("pg_dump", "#!/bin/sh\n"
        + "if [ \"$1\" = \"--version\" ]; then exec /usr/bin/pg_dump --version; fi\n"
        + "/usr/bin/pg_dump \"$@\" | head -c 20000\n"
        + "echo 'pg_dump: error: connection lost (killed by the test after 20000 bytes)' >&2\n"
        + "kill -9 $$\n");
    Path target = local.resolve("killed");
    try (Lifeboat withWrapper = TestPg.lifeboat(Map.of("pgdump.bin", bin.toString()))) {
      assertThatThrownBy(() -> withWrapper.backup(BackupRequest.builder(Location.parse(pg.uri("big")), Location.of(target)).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_FAILED);
            assertThat(e.getMessage()).contains("killed by the test").contains("exit status 137");
          });
      assertThat(withWrapper.list(Location.of(target))).isEmpty();
    }
    try (Stream<Path> left = Files.exists(target) ? Files.list(target) : Stream.empty()) {
      assertThat(left).isEmpty();
    }
    // The snapshot transaction was ended with the dump.
    assertThat(pg.number("postgres", "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'lifeboat'")).isZero();
  }

  @Test
  void aBinFolderWithoutPgDumpIsAConfigurationError() {
    try (Lifeboat l = TestPg.lifeboat(Map.of("pgdump.bin", local.toString()))) {
      assertThatThrownBy(() -> l.backup(BackupRequest.builder(Location.parse(pg.uri("big")), Location.of(local.resolve("t"))).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
            assertThat(e.getMessage()).contains("pgdump.bin=" + local).contains("without a working pg_dump");
          });
    }
  }

  @Test
  void toolsOlderThanTheServerAreRefusedWithWhatToInstall() throws IOException {
    Path bin = fakeBin("pg_dump", "#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.0'\n");
    try (Lifeboat l = TestPg.lifeboat(Map.of("pgdump.bin", bin.toString()))) {
      assertThatThrownBy(() -> l.backup(BackupRequest.builder(Location.parse(pg.uri("big")), Location.of(local.resolve("t"))).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
            assertThat(e.getMessage()).contains("PostgreSQL server 15.").contains("pg_dump 15 or newer").contains("14.0")
                .contains("postgresql-client-15").contains("pgdump.bin");
          });
    }
  }

  @Test
  void rowsCommittedAfterTheSnapshotAreNeitherCountedNorDumped() {
    pg.createDatabase("moving");
    pg.exec("moving", "CREATE TABLE ticks (id serial PRIMARY KEY, at timestamptz DEFAULT now());"
        + " INSERT INTO ticks (at) SELECT now() FROM generate_series(1, 100)");
    // Between the snapshot's export and pg_dump's start, another session commits 25 more rows.
    dev.lifeboat.ProgressListener insertAfterSnapshot = (Progress p) -> {
      if (p.phase().equals("snapshot")) {
        pg.exec("moving", "INSERT INTO ticks (at) SELECT now() FROM generate_series(1, 25)");
      }
    };
    Path target = local.resolve("moving");
    try (Lifeboat l = Lifeboat.builder().secrets(n -> Optional.empty()).progress(insertAfterSnapshot).build()) {
      Snapshot s = l.backup(BackupRequest.builder(Location.parse(pg.uri("moving")), Location.of(target)).build());
      assertThat(pg.number("moving", "SELECT count(*) FROM ticks")).isEqualTo(125);
      assertThat(s.manifest().inventory().find("public.ticks").orElseThrow().count()).isEqualTo(100);
      l.restore(RestoreRequest.builder(Location.of(target), s.id(), Location.parse(pg.uri("moving_copy"))).build());
    }
    assertThat(pg.number("moving_copy", "SELECT count(*) FROM ticks")).isEqualTo(100);
    assertThat(pg.number("moving_copy", "SELECT max(id) FROM ticks")).isEqualTo(100);
  }

  /** A folder with a pg_restore link to the real one and {@code tool} as the given script. */
  private Path fakeBin(String tool, String script) throws IOException {
    Path bin = Files.createDirectories(local.resolve("bin-" + System.nanoTime()));
    Path exe = bin.resolve(tool);
    Files.writeString(exe, script);
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(bin.resolve("pg_restore"), Path.of("/usr/bin/pg_restore"));
    return bin;
  }
}
