package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import dev.lifeboat.file.FileBlobStore;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The facade end to end with the {@link FakeProvider} as source, restorer and verifier and a local folder as target. */
class LifeboatFacadeTest {
  private static final String SOURCE = "fake://app:Sup3r-Secret@db.local/shop";

  @TempDir
  Path dir;

  private final List<Progress> progress = new CopyOnWriteArrayList<>();
  private Lifeboat lifeboat;
  private String target;

  @BeforeEach
  void start() {
    FakeProvider.reset();
    lifeboat = Lifeboat.builder().progress(progress::add).build();
    target = "file:" + dir.resolve("backups");
  }

  @AfterEach
  void stop() {
    lifeboat.close();
  }

  private Snapshot backup(String source) {
    return lifeboat.backup(BackupRequest.builder(source, target).build());
  }

  private Path storedFile(Snapshot s) {
    return SnapshotTarget.over(FileBlobStore.open(Location.parse(target))).localFile(s.id()).orElseThrow();
  }

  @Test
  void theManifestRecordsTheSizeAndSha256OfTheStoredFile() throws Exception {
    Snapshot s = backup(SOURCE);

    Path file = storedFile(s);
    byte[] stored = Files.readAllBytes(file);
    assertThat(s.manifest().size()).isEqualTo(stored.length);
    assertThat(s.manifest().sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)));
    assertThat(stored).isEqualTo(FakeProvider.bytes(1000));
    assertThat(file.getFileName().toString()).isEqualTo("archive.fake-dump");
    assertThat(s.manifest().format()).isEqualTo("fake-dump");
    assertThat(s.manifest().properties()).containsEntry("tool", "fake 1.0").containsEntry("dumpBytes", Long.toString(stored.length));
    assertThat(s.manifest().inventory().find("main.rows").orElseThrow().count()).isEqualTo(1000);
    assertThat(lifeboat.list(target)).extracting(Snapshot::id).containsExactly(s.id());
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void everyCompressionRoundTripsTheDumpsBytes(Compression compression) throws IOException {
    Snapshot s = lifeboat.backup(BackupRequest.builder(SOURCE, target)
        .options(DumpOptions.builder().compression(compression).build()).build());

    Path file = storedFile(s);
    assertThat(file.getFileName().toString()).isEqualTo("archive.fake-dump" + compression.extension());
    assertThat(s.manifest().compression()).isEqualTo(compression);
    byte[] plain;
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = compression == Compression.GZIP ? new GZIPInputStream(raw)
            : compression == Compression.ZSTD ? new ZstdInputStream(raw) : raw) {
      plain = in.readAllBytes();
    }
    assertThat(plain).isEqualTo(FakeProvider.bytes(1000));
    if (compression != Compression.NONE) {
      assertThat(Files.size(file)).as("compressed size").isLessThan(plain.length / 2);
    }
    assertThat(s.manifest().size()).isEqualTo(Files.size(file));

    // And the restorer sees the uncompressed bytes.
    lifeboat.restore(RestoreRequest.builder(target, s.id(), "fake://db.local/copy").build());
    assertThat(FakeProvider.DESTINATIONS.get("copy")).isEqualTo(FakeProvider.bytes(1000));
  }

  @Test
  void aDumpThatFailsAtFinishStoresNothingAndPropagates() {
    assertThatThrownBy(() -> backup(SOURCE + "?fail=finish"))
        .isInstanceOf(LifeboatException.class)
        .hasMessageContaining("failed on purpose")
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.SOURCE_FAILED));

    assertThat(lifeboat.list(target)).isEmpty();
    try (Stream<Path> left = Files.list(dir.resolve("backups"))) {
      assertThat(left).as("nothing left behind in the target folder").isEmpty();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anUnknownSchemeListsTheKnownOnes() {
    assertThatThrownBy(() -> backup("nosuch://host/db"))
        .isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.UNKNOWN_SCHEME))
        .hasMessageContaining("nosuch")
        .hasMessageContaining("fake")
        .hasMessageContaining("file");
    assertThat(lifeboat.schemes()).contains("fake", "file");
  }

  @Test
  void latestIsTheNewestSnapshot() {
    Snapshot first = backup(SOURCE);
    Snapshot second = backup(SOURCE + "?rows=7");

    assertThat(lifeboat.snapshot(target, "latest").id()).isEqualTo(second.id());
    assertThat(lifeboat.list(target)).extracting(Snapshot::id).containsExactly(first.id(), second.id());
    RestoreResult r = lifeboat.restore(RestoreRequest.builder(target, "latest", "fake://db.local/newest").build());
    assertThat(r.snapshotId()).isEqualTo(second.id());
    assertThat(FakeProvider.DESTINATIONS.get("newest")).isEqualTo(FakeProvider.bytes(7));
  }

  @Test
  void latestOfAnEmptyTargetAndUnknownIdsAreNotFound() {
    assertThatThrownBy(() -> lifeboat.snapshot(target, "latest"))
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessageContaining("lifeboat backup");
    backup(SOURCE);
    String unknown = SnapshotIds.next(Instant.parse("2020-01-01T00:00:00Z"));
    assertThatThrownBy(() -> lifeboat.snapshot(target, unknown))
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessageContaining(unknown)
        .hasMessageContaining("lifeboat list");
    assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder(target, unknown, "fake://db.local/x").build()))
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(FakeProvider.RESTORED).isEmpty();
  }

  @Test
  void verifyWithoutDestinationPassesAGoodArchiveAndFailsAFlippedOne() throws IOException {
    Snapshot s = backup(SOURCE);

    Verification good = lifeboat.verify(VerifyRequest.builder(target, s.id()).build());
    assertThat(good.passed()).as("%s", good).isTrue();
    assertThat(good.checks()).extracting(Check::status).containsExactly(Check.Status.PASSED, Check.Status.PASSED);
    assertThat(FakeProvider.CHECKED).containsExactly(s.id());

    flipMiddleByte(storedFile(s));
    Verification bad = lifeboat.verify(VerifyRequest.builder(target, s.id()).build());
    assertThat(bad.passed()).isFalse();
    assertThat(bad.failures()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("size and sha256");
      assertThat(c.detail()).contains("corrupt");
    });
    assertThat(bad.toString()).startsWith("FAILED");
  }

  @Test
  void aFlippedArchiveIsRefusedBeforeTheRestorerIsCalled() throws IOException {
    Snapshot s = backup(SOURCE);
    flipMiddleByte(storedFile(s));

    assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder(target, s.id(), "fake://db.local/copy").build()))
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH))
        .hasMessageContaining(s.id());
    assertThat(FakeProvider.CHECKED).isEmpty();
    assertThat(FakeProvider.RESTORED).isEmpty();
    assertThat(FakeProvider.DESTINATIONS).isEmpty();
  }

  @Test
  void aRestoreWithVerifyAttachesTheVerifiersResult() {
    Snapshot s = backup(SOURCE);
    RestoreResult r = lifeboat.restore(RestoreRequest.builder(target, s.id(), "fake://app:Other-Secret@db.local/copy").verify().build());

    assertThat(FakeProvider.RESTORED).containsExactly(s.id());
    assertThat(r.verified()).hasValueSatisfying(v -> assertThat(v.passed()).isTrue());
    assertThat(r.destination()).doesNotContain("Other-Secret");
    assertThat(r.toString()).doesNotContain("Other-Secret");
    assertThat(r.elapsed()).isNotNull();

    Verification direct = lifeboat.verify(VerifyRequest.builder(target, s.id()).destination("fake://db.local/empty").build());
    assertThat(direct.passed()).isFalse();
    assertThat(direct.failures()).singleElement().satisfies(c -> assertThat(c.detail()).isEqualTo("expected 1000, found 0"));
  }

  @Test
  void progressReceivesAStoreReport() {
    Snapshot s = backup(SOURCE);
    assertThat(progress).filteredOn(p -> p.phase().equals("store")).singleElement().satisfies(p -> {
      assertThat(p.bytes()).isEqualTo(s.manifest().size());
      assertThat(p.items()).isEqualTo(1000);
      assertThat(p.detail()).isEqualTo(s.id());
    });
  }

  @Test
  void labelsRoundTrip() {
    Snapshot s = lifeboat.backup(BackupRequest.builder(SOURCE, target).label("env", "prod").label("reason", "nightly backup").build());
    assertThat(s.manifest().labels()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("env", "prod", "reason", "nightly backup"));
    assertThat(lifeboat.snapshot(target, s.id()).manifest().labels()).isEqualTo(s.manifest().labels());
    assertThat(s.toString()).contains("env=prod");
  }

  @Test
  void idsAndTimestampsComeFromTheConfiguredClock() {
    Instant now = Instant.parse("2031-05-06T07:08:09.123Z");
    try (Lifeboat fixed = Lifeboat.builder().clock(Clock.fixed(now, ZoneOffset.UTC)).build()) {
      Snapshot a = fixed.backup(BackupRequest.builder(SOURCE, target).build());
      Snapshot b = fixed.backup(BackupRequest.builder(SOURCE, target).build());
      assertThat(a.id()).startsWith("20310506T070809.123Z-");
      assertThat(b.id()).startsWith("20310506T070809.123Z-").isNotEqualTo(a.id());
      assertThat(a.manifest().createdAt()).isEqualTo(now);
      assertThat(a.manifest().consistentAt()).isEqualTo(now);
      assertThat(fixed.list(target)).hasSize(2);
    }
  }

  @Test
  void theSourcePasswordIsNowhereInTheStoredSnapshot() throws IOException {
    Snapshot s = backup(SOURCE);
    assertThat(s.manifest().source().uri()).isEqualTo("fake://app@db.local/shop");
    assertThat(s.toString()).doesNotContain("Sup3r-Secret");
    assertThat(Json.write(s)).doesNotContain("Sup3r-Secret");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain("Sup3r-Secret");
      }
    }
  }

  @Test
  void aPastInstantNeedsABranchingTarget() {
    assertThatThrownBy(() -> lifeboat.backup(BackupRequest.builder(SOURCE, target).at(Instant.now().minusSeconds(60)).build()))
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED));
    assertThat(dir.resolve("backups")).as("nothing was created").doesNotExist();
  }

  @Test
  void deleteRemovesOneSnapshot() {
    Snapshot first = backup(SOURCE);
    Snapshot second = backup(SOURCE);
    lifeboat.delete(target, first.id());
    assertThat(lifeboat.list(target)).extracting(Snapshot::id).containsExactly(second.id());
  }

  @Test
  void aRestoreIntoADestinationNoProviderServesIsUnsupportedAndNamesIt() {
    Snapshot s = backup(SOURCE);
    assertThatThrownBy(() -> lifeboat.restore(RestoreRequest.builder(target, s.id(), "/tmp/some-folder").build()))
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED))
        .hasMessageContaining("fake-dump");
    assertThat(FakeProvider.RESTORED).isEmpty();
  }

  @Test
  void anEmptyOrBlankSnapshotIdIsAUsageErrorAndNeverLatest() {
    backup(SOURCE);
    for (String blank : List.of("", " ", "\t")) {
      assertCode(ErrorCode.CONFIGURATION, () -> lifeboat.snapshot(target, blank), "'latest'");
      assertCode(ErrorCode.CONFIGURATION, () -> lifeboat.delete(target, blank), "'latest'");
      assertCode(ErrorCode.CONFIGURATION, () -> lifeboat.restore(RestoreRequest.builder(target, blank, "fake://db.local/copy").build()), "'latest'");
      assertCode(ErrorCode.CONFIGURATION, () -> lifeboat.verify(VerifyRequest.builder(target, blank).build()), "'latest'");
    }
    assertCode(ErrorCode.CONFIGURATION, () -> lifeboat.snapshot(target, null), "'latest'");
    assertThat(FakeProvider.RESTORED).isEmpty();
    assertThat(lifeboat.list(target)).hasSize(1);
    assertThat(lifeboat.snapshot(target, "LATEST").id()).as("latest in any case").isEqualTo(lifeboat.snapshot(target, "latest").id());
  }

  @Test
  void aDamagedNewestSnapshotStopsLatestAndCannotBeRestoredOrVerified() throws IOException {
    Snapshot older = backup(SOURCE + "?rows=3");
    Snapshot newest = backup(SOURCE);
    Path manifest = dir.resolve("backups").resolve(newest.id()).resolve("manifest.json");
    Files.writeString(manifest, Files.readString(manifest).replace("\"count\" : 1000", "\"count\" : 999"));

    assertThat(lifeboat.list(target)).extracting(Snapshot::id).containsExactly(older.id(), newest.id());
    assertThat(lifeboat.list(target).get(1).damage()).contains("changed after it was written");
    for (ThrowingCallable call : List.<ThrowingCallable>of(
        () -> lifeboat.snapshot(target, "latest"),
        () -> lifeboat.restore(RestoreRequest.builder(target, "latest", "fake://db.local/copy").build()),
        () -> lifeboat.verify(VerifyRequest.builder(target, "latest").build()))) {
      assertCode(ErrorCode.CHECKSUM_MISMATCH, call, newest.id());
    }
    assertCode(ErrorCode.CHECKSUM_MISMATCH,
        () -> lifeboat.restore(RestoreRequest.builder(target, newest.id(), "fake://db.local/copy").build()), "changed after it was written");
    assertCode(ErrorCode.CHECKSUM_MISMATCH,
        () -> lifeboat.verify(VerifyRequest.builder(target, newest.id()).destination("fake://db.local/copy").build()), "damaged");
    assertThat(FakeProvider.CHECKED).isEmpty();
    assertThat(FakeProvider.RESTORED).isEmpty();
    assertThat(lifeboat.snapshot(target, newest.id()).isDamaged()).as("looked up by id, it is shown as it is").isTrue();

    // The older one still restores by its id; deleting the damaged one makes it the latest again.
    lifeboat.restore(RestoreRequest.builder(target, older.id(), "fake://db.local/copy").build());
    assertThat(FakeProvider.DESTINATIONS.get("copy")).isEqualTo(FakeProvider.bytes(3));
    lifeboat.delete(target, newest.id());
    assertThat(lifeboat.snapshot(target, "latest").id()).isEqualTo(older.id());
  }

  @Test
  void aTargetThatCannotHoldSnapshotsIsRefusedBeforeTheSourceIsDumped() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
    Snapshot s = backup(SOURCE);
    Path snapshotFolder = dir.resolve("backups").resolve(s.id());
    FakeProvider.reset();
    for (String bad : List.of("file:" + file, "file:" + snapshotFolder, "file:" + dir.resolve("backups/.partial-x"),
        "file:" + file.resolve("below"))) {
      assertCode(ErrorCode.CONFIGURATION, () -> lifeboat.backup(BackupRequest.builder(SOURCE, bad).build()), "not");
    }
    assertThat(FakeProvider.DUMPED).as("no dump was started").isEmpty();
    assertThat(Files.readString(file)).isEqualTo("not a folder");
    assertThat(lifeboat.list(target)).extracting(Snapshot::id).containsExactly(s.id());

    String missing = "file:" + dir.resolve("new/deeper");
    assertCode(ErrorCode.NOT_FOUND, () -> lifeboat.list(missing), "does not exist");
    Snapshot created = lifeboat.backup(BackupRequest.builder(SOURCE, missing).build());
    assertThat(lifeboat.list(missing)).extracting(Snapshot::id).containsExactly(created.id());
  }

  @Test
  @Timeout(60)
  void abortBackupsDiscardsThePendingSnapshotClosesTheDumpAndRefusesNewBackups() throws Exception {
    java.util.concurrent.CompletableFuture<Snapshot> running = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> backup(SOURCE + "?slow=true"));
    Path store = dir.resolve("backups");
    while (!hasPartial(store)) {
      assertThat(running).as("the backup is still running").isNotDone();
      Thread.sleep(10);
    }

    assertThat(lifeboat.abortBackups(java.time.Duration.ofSeconds(10))).as("ended in time").isTrue();

    assertThatThrownBy(running::join).cause()
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.ABORTED))
        .hasMessageContaining("stopped before it finished");
    assertThat(FakeProvider.CLOSED).as("the dump (its tool) was stopped").isNotEmpty().containsOnly("shop");
    assertThat(hasPartial(store)).as("the partial snapshot was removed").isFalse();
    assertThat(lifeboat.list(target)).as("a dump that merely ended early is not committed").isEmpty();
    assertCode(ErrorCode.ABORTED, () -> backup(SOURCE), "no new backups");
    assertThat(FakeProvider.DUMPED).containsExactly("shop");
  }

  private static boolean hasPartial(Path store) throws IOException {
    if (!Files.isDirectory(store)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(store)) {
      // A snapshot's folder without its manifest: one being written.
      return entries.anyMatch(p -> SnapshotIds.isValid(p.getFileName().toString()) && !Files.exists(p.resolve("manifest.json")));
    }
  }

  private static void assertCode(ErrorCode code, ThrowingCallable call, String hint) {
    assertThatThrownBy(call).isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).as(e.getMessage()).isEqualTo(code))
        .hasMessageContaining(hint);
  }

  static void flipMiddleByte(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    all[all.length / 2] ^= (byte) 0xFF;
    Files.write(file, all);
  }
}
