package dev.lifeboat.pgdump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Check;
import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.ManifestKeys;
import dev.lifeboat.Progress;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.Verification;
import dev.lifeboat.VerifyRequest;
import dev.lifeboat.file.FileBlobStore;
import dev.lifeboat.spi.Archive;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
  void aRowChangedInTheStoredArchiveNeverReachesADestinationItWouldReplace() throws IOException {
    pg.createDatabase("wide");
    pg.exec("wide", "CREATE TABLE filler (id int PRIMARY KEY, body text);"
        + " INSERT INTO filler SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 20000) g");
    // Neither Lifeboat nor pg_dump compresses: a changed character is a valid row that only the checksum catches.
    Snapshot s = backup("wide", local, DumpOptions.builder().compression(Compression.NONE).extra("pg.compressLevel", "0").build());
    restore(local, s.id(), pg.uri("wide_copy"), RestoreOptions.defaults());
    pg.exec("wide_copy", "UPDATE filler SET body = 'kept' WHERE id = 1");
    Path archive = local.resolve(s.id()).resolve("archive.pg-custom");
    byte[] bytes = Files.readAllBytes(archive);
    // md5('100'), the body of an early row: megabytes before the archive's end, so pg_restore reads it long before the check.
    int at = indexOf(bytes, "f899139df5e1059396431415e770c6dd".getBytes(StandardCharsets.US_ASCII));
    assertThat(at).isPositive().isLessThan(bytes.length - (4 << 20));
    bytes[at] = (byte) 'e';
    Files.write(archive, bytes);

    assertThatThrownBy(() -> restore(local, s.id(), pg.uri("wide_copy"), RestoreOptions.builder().replace(true).build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH));
    assertThat(pg.number("wide_copy", "SELECT count(*) FROM filler")).isEqualTo(20000);
    assertThat(pg.number("wide_copy", "SELECT count(*) FROM filler WHERE id = 1 AND body = 'kept'")).isEqualTo(1);
    assertThat(pg.number("wide_copy", "SELECT count(*) FROM filler WHERE body LIKE 'e899139d%'")).isZero();
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

  /** An archive held in memory: what a restorer reads once core has checked size and SHA-256. */
  private record BytesArchive(Manifest manifest, byte[] bytes) implements Archive {
    @Override
    public InputStream open() {
      return new ByteArrayInputStream(bytes);
    }

    @Override
    public Path file(Path scratch) {
      try {
        return Files.write(scratch.resolve("archive"), bytes);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public Optional<Path> localFile() {
      return Optional.empty();
    }
  }

  /** An uncompressed custom archive of {@code db} (neither Lifeboat nor pg_dump compressing), and its manifest. */
  private BytesArchive plainArchive(String db) throws IOException {
    Snapshot s = backup(db, local, DumpOptions.builder().compression(Compression.NONE).extra("pg.compressLevel", "0").build());
    return new BytesArchive(s.manifest(), Files.readAllBytes(local.resolve(s.id()).resolve("archive.pg-custom")));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void verifyingAnArchiveReadsEveryDataBlockAndCountsItsRows() throws Exception {
    PgRestorer restorer = new PgRestorer(lifeboat.providerContext());
    BytesArchive good = plainArchive("src");
    assertThat(restorer.readArchive(good)).startsWith("every data block read: ")
        .contains(" rows in ").contains(" tables, as the manifest counts, read by pg_restore 15.");

    // A row's line end overwritten in place: block sizes still add up, the TOC is intact, one row fewer comes out.
    BytesArchive big = plainArchive("big");
    byte[] merged = big.bytes().clone();
    // pg_dump writes each row as its own length-prefixed chunk: the line end of row 1999 is the last one before row 2000.
    int at = indexOf(merged, "2000\t".getBytes(StandardCharsets.US_ASCII));
    assertThat(at).isPositive();
    while (merged[at] != '\n') {
      at--;
    }
    merged[at] = ' ';
    BytesArchive mergedRows = new BytesArchive(big.manifest(), merged);
    assertThat(restorer.checkArchive(mergedRows)).as("the cheap check before restores reads the TOC only").contains("TOC entries");
    assertThatThrownBy(() -> restorer.readArchive(mergedRows)).isInstanceOfSatisfying(LifeboatException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
      assertThat(e.code().exitStatus()).isEqualTo(3);
      assertThat(e.getMessage()).contains("public.filler has 3999 rows, the manifest says 4000");
    });

    // Cut in the middle of the data: the TOC at the front still reads.
    BytesArchive cut = new BytesArchive(big.manifest(), Arrays.copyOf(big.bytes(), big.bytes().length * 2 / 3));
    assertThat(restorer.checkArchive(cut)).contains("TOC entries");
    assertThatThrownBy(() -> restorer.readArchive(cut)).isInstanceOfSatisfying(LifeboatException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
      assertThat(e.getMessage()).contains("reading every data block, pg_restore says: ").contains("pg_restore: error");
    });
  }

  @Test
  void verifyWithoutADestinationFailsOnADamagedDataBlockWhoseChecksumWasRewritten() throws Exception {
    // pg_dump compresses its data blocks itself here; one flipped byte in the middle breaks one block's stream.
    Snapshot real = backup("big", local, DumpOptions.builder().compression(Compression.NONE).extra("pg.compressLevel", "6").build());
    byte[] bytes = Files.readAllBytes(local.resolve(real.id()).resolve("archive.pg-custom"));
    bytes[bytes.length * 2 / 3] ^= 0x5a;
    String id = storeRaw(local, real.manifest(), bytes);

    Verification v = lifeboat.verify(VerifyRequest.builder(Location.of(local), id).build());
    assertThat(v.passed()).as(v.toString()).isFalse();
    assertThat(v.checks()).extracting(Check::name, Check::status).containsExactly(
        org.assertj.core.groups.Tuple.tuple("size and sha256", Check.Status.PASSED),
        org.assertj.core.groups.Tuple.tuple("archive readable as pg-custom", Check.Status.FAILED));
    assertThat(v.failures().get(0).detail()).contains("is not a readable pg-custom archive").contains("pg_restore: error");

    Verification intact = lifeboat.verify(VerifyRequest.builder(Location.of(local), real.id()).build());
    assertThat(intact.passed()).as(intact.toString()).isTrue();
    assertThat(intact.checks().get(1).detail()).contains("4000 rows in 1 table,");
  }

  @Test
  void aRestoreThatFailsDropsTheDatabaseItCreatedButNoOther() throws IOException {
    Snapshot s = backup("big", store, DumpOptions.defaults());
    // pg_restore that reads archives as usual but fails when it loads into a database.
    Path bin = fakeBin("pg_restore", "#!/bin/sh\n"
        + "if [ \"$1\" = \"--version\" ]; then exec /usr/bin/pg_restore --version; fi\n"
        + "case \"$*\" in *--dbname=*) echo 'pg_restore: error: could not execute query: ERROR:  disk full (test)' >&2; exit 1;; esac\n"
        + "exec /usr/bin/pg_restore \"$@\"\n");
    pg.createDatabase("kept_empty");
    try (Lifeboat failing = TestPg.lifeboat(Map.of("pgdump.bin", bin.toString()))) {
      for (String db : new String[] {"dropped_again", "kept_empty"}) {
        assertThatThrownBy(() -> failing.restore(RestoreRequest.builder(Location.of(store), s.id(), Location.parse(pg.uri(db))).build()))
            .isInstanceOfSatisfying(LifeboatException.class, e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.RESTORE_FAILED);
              assertThat(e.getMessage()).contains("disk full (test)");
            });
      }
      assertThatThrownBy(() -> failing.restore(RestoreRequest.builder(Location.of(store), s.id(), Location.parse(pg.uri("dropped_jobs")))
          .options(RestoreOptions.builder().jobs(2).build()).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.getMessage()).contains("was dropped again"));
    }
    assertThat(pg.databaseExists("dropped_again")).isFalse();
    assertThat(pg.databaseExists("dropped_jobs")).isFalse();
    assertThat(pg.databaseExists("kept_empty")).as("a database Lifeboat did not create is never dropped").isTrue();
  }

  @Test
  void aTableThatNeedsObjectsTheSelectionLeavesOutIsRefusedBeforeAnythingChanges() {
    Snapshot s = backup("src", store, DumpOptions.defaults());
    assertThatThrownBy(() -> restore(store, s.id(), pg.uri("only_orders"), RestoreOptions.builder().table("shop.orders").build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
          assertThat(e.code().exitStatus()).isEqualTo(2);
          assertThat(e.getMessage()).isEqualTo("Restoring only shop.orders needs 2 objects the selection leaves out and the"
              + " destination lacks: type shop.order_status, domain shop.positive_money. Add the tables that own them with"
              + " --table, restore the whole snapshot, or create them in the destination first; nothing was changed.");
        });
    assertThat(pg.databaseExists("only_orders")).isFalse();

    pg.createDatabase("needs");
    pg.exec("needs", "CREATE TABLE a (id serial PRIMARY KEY);"
        + " CREATE FUNCTION label() RETURNS text LANGUAGE sql AS 'SELECT ''x''';"
        + " CREATE TABLE b (no int DEFAULT nextval('a_id_seq'), x text DEFAULT label()); INSERT INTO b DEFAULT VALUES");
    Snapshot needs = backup("needs", store, DumpOptions.defaults());
    assertThatThrownBy(() -> restore(store, needs.id(), pg.uri("only_b"), RestoreOptions.builder().table("public.b").build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.getMessage())
            .contains("Restoring only public.b needs 2 objects").contains("function public.label()").contains("sequence public.a_id_seq"));
    assertThat(pg.databaseExists("only_b")).isFalse();
    pg.createDatabase("only_b_busy");
    pg.exec("only_b_busy", "CREATE TABLE unrelated (x int); INSERT INTO unrelated VALUES (1)");
    assertThatThrownBy(() -> restore(store, needs.id(), pg.uri("only_b_busy"), RestoreOptions.builder().table("public.b").replace(true).build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION));
    assertThat(pg.number("only_b_busy", "SELECT count(*) FROM pg_class WHERE relname = 'b'")).as("no half-created table").isZero();

    // Where the destination already has what the table needs, the table alone restores.
    restore(store, needs.id(), pg.uri("needs_copy"), RestoreOptions.defaults());
    pg.exec("needs_copy", "DELETE FROM b");
    restore(store, needs.id(), pg.uri("needs_copy"), RestoreOptions.builder().table("public.b").replace(true).build());
    assertThat(pg.number("needs_copy", "SELECT count(*) FROM b")).isEqualTo(1);

    // A partition needs no parent, and a table's own sequence comes with it.
    restore(store, s.id(), pg.uri("part_and_audit"), RestoreOptions.builder().table("shop.events_2024").table("shop.audit").build());
    assertThat(pg.number("part_and_audit", "SELECT count(*) FROM shop.events_2024"))
        .isEqualTo(pg.number("src", "SELECT count(*) FROM shop.events_2024"));
    assertThat(pg.number("part_and_audit", "SELECT last_value FROM shop.audit_id_seq"))
        .isEqualTo(pg.number("src", "SELECT last_value FROM shop.audit_id_seq"));
  }

  @Test
  void aRestoreToAServerThatIsDownFailsTheOperation() throws IOException {
    Snapshot s = backup("big", store, DumpOptions.defaults());
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String down = "postgresql://postgres@localhost:" + closedPort + "/copy";
    assertThatThrownBy(() -> restore(store, s.id(), down, RestoreOptions.defaults()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
          assertThat(e.code().exitStatus()).isEqualTo(1);
          assertThat(e.getMessage()).startsWith("Cannot connect to PostgreSQL at " + down + ": ").doesNotContain("..");
        });
  }

  @Test
  void unicodeDatabaseNamesAppearDecodedInResultsAndMessages() {
    Snapshot s = backup("big", store, DumpOptions.defaults());
    String uri = "postgresql://postgres@localhost:" + pg.port() + "/%C3%A9t%C3%A9";
    RestoreResult r = lifeboat.restore(RestoreRequest.builder(Location.of(store), s.id(), Location.parse(uri)).build());
    assertThat(r.destination()).isEqualTo("postgresql://postgres@localhost:" + pg.port() + "/été");
    assertThat(pg.number("été", "SELECT count(*) FROM filler")).isEqualTo(4000);
    assertThatThrownBy(() -> restore(store, s.id(), uri, RestoreOptions.defaults()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.getMessage())
            .startsWith("Destination postgresql://postgres@localhost:" + pg.port() + "/été already holds objects (relation public.filler).")
            .doesNotContain("%C3").doesNotContain(".."));
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
    assertThat(real.manifest().properties()).containsEntry(ManifestKeys.PG_SOURCE, pg.uri("src"));
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
    withoutSource.remove(ManifestKeys.PG_SOURCE);
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

    // Replacing makes the destination equal the snapshot, which has no keep_me: refused until it is gone.
    assertThatThrownBy(() -> restore(store, s.id(), pg.uri("busy"), RestoreOptions.builder().replace(true).build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DESTINATION_NOT_EMPTY));
    pg.exec("busy", "DROP TABLE keep_me");
    // Objects the snapshot has are replaced, whatever they hold now.
    pg.exec("busy", "CREATE SCHEMA shop; CREATE TABLE shop.orders (id int); INSERT INTO shop.orders VALUES (-1)");
    restore(store, s.id(), pg.uri("busy"), RestoreOptions.builder().replace(true).build());
    assertThat(pg.number("busy", "SELECT count(*) FROM shop.orders")).isEqualTo(200);
    assertThat(pg.number("busy", "SELECT min(id) FROM shop.orders")).isEqualTo(1);
  }

  @Test
  void replacingRefusesADestinationWithObjectsTheSnapshotLacks() {
    Snapshot s = backup("src", store, DumpOptions.defaults());
    Map<String, String> snapshot = pg.contents("src");
    restore(store, s.id(), pg.uri("extras"), RestoreOptions.defaults());
    pg.exec("extras", "CREATE TABLE public.stray (x int); INSERT INTO public.stray VALUES (7);"
        + " CREATE VIEW shop.stray_view AS SELECT 1 AS one; CREATE MATERIALIZED VIEW public.stray_mv AS SELECT 2 AS two;"
        + " CREATE SEQUENCE public.stray_seq; CREATE TYPE shop.mood AS ENUM ('ok');"
        + " CREATE FUNCTION public.stray_fn() RETURNS int LANGUAGE sql AS 'SELECT 1';"
        + " CREATE EXTENSION IF NOT EXISTS pg_trgm;"
        + " DELETE FROM shop.\"Order Items\" WHERE line = 0");
    Map<String, String> before = pg.contents("extras");

    assertThatThrownBy(() -> restore(store, s.id(), pg.uri("extras"), RestoreOptions.builder().replace(true).build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.DESTINATION_NOT_EMPTY);
          assertThat(e.code().exitStatus()).isEqualTo(2);
          assertThat(e.getMessage()).contains("holds 6 objects that snapshot " + s.id() + " does not have: ")
              .contains("materialized view public.stray_mv", "sequence public.stray_seq", "table public.stray",
                  "function public.stray_fn", "type shop.mood", "view shop.stray_view")
              .contains("drop them or restore into an empty database")
              .as("extension members are not the user's objects").doesNotContain("similarity").doesNotContain("gtrgm");
          assertThat(e.getMessage().lines()).hasSize(1);
        });
    assertThat(pg.contents("extras")).as("nothing changed").isEqualTo(before);

    pg.exec("extras", "DROP TABLE public.stray; DROP VIEW shop.stray_view; DROP MATERIALIZED VIEW public.stray_mv;"
        + " DROP SEQUENCE public.stray_seq; DROP TYPE shop.mood; DROP FUNCTION public.stray_fn(); DROP EXTENSION pg_trgm");
    restore(store, s.id(), pg.uri("extras"), RestoreOptions.builder().replace(true).build());
    assertThat(pg.contents("extras")).isEqualTo(snapshot);
  }

  @Test
  void aListOfExtraObjectsIsCutAfterTenWithACount() {
    Snapshot s = backup("big", store, DumpOptions.defaults());
    restore(store, s.id(), pg.uri("many_extras"), RestoreOptions.defaults());
    StringBuilder sql = new StringBuilder();
    for (int i = 1; i <= 13; i++) {
      sql.append("CREATE TABLE extra_").append(String.format("%02d", i)).append(" (x int);");
    }
    pg.exec("many_extras", sql.toString());
    assertThatThrownBy(() -> restore(store, s.id(), pg.uri("many_extras"), RestoreOptions.builder().replace(true).build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.getMessage())
            .contains("holds 13 objects").contains("table public.extra_10 and 3 more.").doesNotContain("extra_11"));
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

  /** A folder with {@code tool} as the given script and a link to the real other one of pg_dump and pg_restore. */
  private Path fakeBin(String tool, String script) throws IOException {
    return fakeBin(local, tool, script);
  }

  /** {@link #fakeBin(String, String)} in {@code parent}. */
  static Path fakeBin(Path parent, String tool, String script) throws IOException {
    Path bin = Files.createDirectories(parent.resolve("bin-" + System.nanoTime()));
    Path exe = bin.resolve(tool);
    Files.writeString(exe, script);
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    String other = tool.equals("pg_restore") ? "pg_dump" : "pg_restore";
    Files.createSymbolicLink(bin.resolve(other), Path.of("/usr/bin/" + other));
    return bin;
  }
}
