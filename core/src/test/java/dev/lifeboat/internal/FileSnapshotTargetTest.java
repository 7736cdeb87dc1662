package dev.lifeboat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.file.FileBlobStore;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's commit protocol ({@link BlobSnapshotTarget}) over a local folder ({@link FileBlobStore}):
 * what it guarantees beyond the TCK's snapshot target contract (run in the tck module).
 */
class FileSnapshotTargetTest {
  private static final String MANIFEST = BlobSnapshotTarget.MANIFEST;
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir
  Path dir;

  @Test
  @Timeout(60)
  void aBackupKilledWithSigkillMidWriteIsNeverListed() throws Exception {
    Path root = dir.resolve("backups");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SlowBackupMain.class.getName(), root.toString())
        .redirectErrorStream(true)
        .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      StringBuilder seen = new StringBuilder();
      while ((line = out.readLine()) != null && !line.equals("WRITING")) {
        seen.append(line).append('\n');
      }
      assertThat(line).as("the child's output before it died:%n%s", seen).isEqualTo("WRITING");
      Path partial = onlyPartial(root);
      assertThat(sizeOfTree(partial)).as("bytes written before the kill").isGreaterThanOrEqualTo(64 * 1024);
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(child.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);

    SnapshotTarget target = at(root);
    assertThat(target.list()).isEmpty();
    Path partial = onlyPartial(root);
    assertThat(WriterRecord.parse(Files.readAllBytes(partial.resolve(WriterRecord.KEY)))).as("the writer is recorded")
        .hasValueSatisfying(w -> assertThat(w.pid()).isEqualTo(child.pid()));

    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      Snapshot s = lifeboat.backup(BackupRequest.builder("fake://db.local/shop?rows=10", "file:" + root).build());
      assertThat(lifeboat.list("file:" + root)).extracting(Snapshot::id).containsExactly(s.id());
    }
    assertThat(partial).as("removed by the next backup: its writer is gone").doesNotExist();
  }

  @Test
  void partialsAreRemovedOnceTheirWriterIsGoneAndKeptWhileItRuns() throws IOException {
    SnapshotTarget target = at(dir);
    ProcessHandle self = ProcessHandle.current();
    Instant selfStarted = self.info().startInstant().orElseThrow();
    long deadPid = deadPid();
    String here = WriterRecord.current().host();
    Path live = partial(1, new WriterRecord(self.pid(), selfStarted, here), Instant.now().minusSeconds(3 * 86400));
    Path dead = partial(2, new WriterRecord(deadPid, Instant.now().minusSeconds(60), here), Instant.now());
    Path reused = partial(3, new WriterRecord(self.pid(), selfStarted.minusSeconds(3600), here), Instant.now());
    Path foreignRecent = partial(4, new WriterRecord(deadPid, Instant.now(), "another-machine"), Instant.now().minusSeconds(3600));
    Path foreignOld = partial(5, new WriterRecord(deadPid, Instant.now(), "another-machine"), Instant.now().minusSeconds(2 * 86400));
    Path unrecordedNew = unrecorded(6, Instant.now());
    Path unrecordedOld = unrecorded(7, Instant.now().minusSeconds(600));
    Path legacyDeleting = legacy(".deleting-", 8, Instant.now());
    Path legacyPartialNew = legacy(".partial-", 9, Instant.now().minusSeconds(3600));
    Path legacyPartialOld = legacy(".partial-", 10, Instant.now().minusSeconds(2 * 86400));
    String committed = store(target, SnapshotIds.next(T0.plusSeconds(11)), "committed");
    Files.write(dir.resolve(committed).resolve(WriterRecord.KEY), new WriterRecord(deadPid, Instant.now(), here).toBytes());

    String next = store(target, SnapshotIds.next(T0.plusSeconds(60)), "next");

    assertThat(live).as("a running backup's partial, even one that started days ago").exists();
    assertThat(dead).as("its writer process is gone").doesNotExist();
    assertThat(reused).as("its pid now belongs to a process that started later").doesNotExist();
    assertThat(foreignRecent).as("a writer on another machine cannot be judged by pid").exists();
    assertThat(foreignOld).as("another machine's partial untouched for a day").doesNotExist();
    assertThat(unrecordedNew).as("being created this instant").exists();
    assertThat(unrecordedOld).as("no writer and untouched for minutes").doesNotExist();
    assertThat(legacyDeleting).as("the rest of a snapshot deleted by an earlier version").doesNotExist();
    assertThat(legacyPartialNew).as("an earlier version's partial written an hour ago").exists();
    assertThat(legacyPartialOld).as("an earlier version's partial untouched for a day").doesNotExist();
    assertThat(dir.resolve(committed).resolve(WriterRecord.KEY)).as("the stale writer record of a committed snapshot").doesNotExist();
    assertThat(target.list()).extracting(Snapshot::id).as("partials are never listed")
        .containsExactly(committed, next);
  }

  @Test
  void aDeleteCutShortIsNeverListedAndIsFinishedByTheNextBackup() throws IOException {
    SnapshotTarget target = at(dir);
    String id = store(target, SnapshotIds.next(T0), "doomed");
    // What a delete leaves when its process dies after removing the manifest.
    Files.write(dir.resolve(id).resolve(WriterRecord.KEY), new WriterRecord(deadPid(), Instant.now(), WriterRecord.current().host()).toBytes());
    Files.delete(dir.resolve(id).resolve(MANIFEST));

    assertThat(target.list()).as("not a snapshot that lost its manifest").isEmpty();
    assertThat(target.get(id)).isEmpty();
    store(target, SnapshotIds.next(T0.plusSeconds(1)), "next");
    assertThat(dir.resolve(id)).doesNotExist();
  }

  @Test
  void anArchiveOfAnotherSizeThanItsManifestSaysIsListedAsDamaged() throws IOException {
    SnapshotTarget target = at(dir);
    String id = store(target, SnapshotIds.next(T0), "archive bytes");
    Files.writeString(dir.resolve(id).resolve("archive.x"), "archive");
    assertThat(target.get(id).orElseThrow().damage()).contains("has 7 bytes, its manifest records 13");
    assertThatThrownBy(() -> target.open(id))
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH));
  }

  /** An unfinished snapshot folder with an archive written at {@code written} and a writer record. */
  private Path partial(int n, WriterRecord writer, Instant written) throws IOException {
    Path p = Files.createDirectories(dir.resolve(SnapshotIds.next(T0.plusSeconds(n))));
    Files.write(p.resolve(WriterRecord.KEY), writer.toBytes());
    Files.writeString(p.resolve(".archive.x.partial-0a1b2c"), "half");
    return touched(p, written);
  }

  /** A snapshot folder with only a writer record being written, at {@code written}. */
  private Path unrecorded(int n, Instant written) throws IOException {
    Path p = Files.createDirectories(dir.resolve(SnapshotIds.next(T0.plusSeconds(n))));
    Files.writeString(p.resolve("." + WriterRecord.KEY + ".partial-0a1b2c"), "{\"pid\":");
    return touched(p, written);
  }

  /** A folder an earlier version's file target left: {@code .partial-ID} or {@code .deleting-ID}. */
  private Path legacy(String prefix, int n, Instant written) throws IOException {
    Path p = Files.createDirectories(dir.resolve(prefix + SnapshotIds.next(T0.plusSeconds(n))));
    Files.writeString(p.resolve("archive.x"), "half");
    Files.writeString(p.resolve(".writer"), "pid=1\nstarted=\nhost=elsewhere\n");
    return touched(p, written);
  }

  private static Path touched(Path p, Instant written) throws IOException {
    try (Stream<Path> all = Files.walk(p)) {
      for (Path f : (Iterable<Path>) all::iterator) {
        Files.setLastModifiedTime(f, FileTime.from(written));
      }
    }
    return p;
  }

  /** The pid of a process that has ended. */
  private static long deadPid() throws IOException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(ProcessHandle.of(p.pid())).isEmpty();
    return p.pid();
  }

  @Test
  void aSnapshotWhoseManifestIsMissingOrGarbledIsListedAsDamaged() throws IOException {
    SnapshotTarget target = at(dir);
    String good = store(target, SnapshotIds.next(T0), "good");
    String noManifest = store(target, SnapshotIds.next(T0.plusSeconds(1)), "no manifest");
    String garbled = store(target, SnapshotIds.next(T0.plusSeconds(2)), "garbled");
    String truncated = store(target, SnapshotIds.next(T0.plusSeconds(3)), "truncated");

    Files.delete(dir.resolve(noManifest).resolve(MANIFEST));
    Files.writeString(dir.resolve(garbled).resolve(MANIFEST), "{not json at all");
    Path m = dir.resolve(truncated).resolve(MANIFEST);
    byte[] json = Files.readAllBytes(m);
    Files.write(m, java.util.Arrays.copyOf(json, json.length / 2));

    assertThat(target.list()).extracting(Snapshot::id).containsExactly(good, noManifest, garbled, truncated);
    assertThat(target.list()).extracting(Snapshot::isDamaged).containsExactly(false, true, true, true);
    assertThat(target.get(noManifest).orElseThrow().damage()).isEqualTo("its manifest.json is missing");
    assertThat(target.get(garbled).orElseThrow().damage()).startsWith("its manifest.json is not valid JSON");
    assertThat(target.get(truncated).orElseThrow().damage()).startsWith("its manifest.json is not valid JSON");
    Snapshot damaged = target.get(garbled).orElseThrow();
    assertThat(damaged.manifest().format()).as("nothing of the manifest is trusted").isEqualTo(Snapshot.UNKNOWN_FORMAT);
    assertThat(damaged.createdAt()).as("the time in its id").isEqualTo(T0.plusSeconds(2));
    for (String id : List.of(noManifest, garbled, truncated)) {
      assertThatThrownBy(() -> target.open(id)).as(id)
          .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH))
          .hasMessageContaining(id).hasMessageContaining("damaged");
      assertThatThrownBy(() -> target.localFile(id)).as(id)
          .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH));
    }
    target.delete(garbled);
    assertThat(target.list()).extracting(Snapshot::id).containsExactly(good, noManifest, truncated);
  }

  @Test
  void aDamagedManifestsReasonSaysWhereInPlainWordsWithoutTheParsersText() throws IOException {
    SnapshotTarget target = at(dir);
    String garbled = store(target, SnapshotIds.next(T0), "garbled");
    String truncated = store(target, SnapshotIds.next(T0.plusSeconds(1)), "truncated");
    String wrongType = store(target, SnapshotIds.next(T0.plusSeconds(2)), "wrong type");
    String noId = store(target, SnapshotIds.next(T0.plusSeconds(3)), "no id");
    Files.writeString(dir.resolve(garbled).resolve(MANIFEST), "{\"id\" x}");
    Files.writeString(dir.resolve(truncated).resolve(MANIFEST), "{\n  \"id\" : \"x\",\n");
    resealed(dir.resolve(wrongType).resolve(MANIFEST), tree -> tree.put("size", "six bytes"));
    resealed(dir.resolve(noId).resolve(MANIFEST), tree -> tree.remove("id"));

    assertThat(target.get(garbled).orElseThrow().damage()).isEqualTo("its manifest.json is not valid JSON (line 1, column 7)");
    assertThat(target.get(truncated).orElseThrow().damage()).isEqualTo("its manifest.json is not valid JSON (it ends early, at line 3, column 1)");
    assertThat(target.get(wrongType).orElseThrow().damage())
        .isEqualTo("its manifest.json does not describe a snapshot (its field size holds a value of the wrong kind)");
    assertThat(target.get(noId).orElseThrow().damage()).isEqualTo("its manifest.json does not describe a snapshot (it has no id)");
    for (String id : List.of(garbled, truncated, wrongType, noId)) {
      assertThat(target.get(id).orElseThrow().damage()).as(id)
          .doesNotContain("Source").doesNotContain("Unexpected").doesNotContain("code 120").doesNotContain("dev.lifeboat")
          .doesNotContain("`").doesNotContain("Cannot");
    }
  }

  /** Rewrites a manifest.json with {@code edit} applied and a seal that matches, as a writer of the store could. */
  private static void resealed(Path manifest, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit) throws IOException {
    com.fasterxml.jackson.databind.node.ObjectNode tree =
        (com.fasterxml.jackson.databind.node.ObjectNode) dev.lifeboat.Json.mapper().readTree(Files.readAllBytes(manifest));
    tree.remove(SealedManifest.SEAL);
    edit.accept(tree);
    tree.put(SealedManifest.SEAL, SealedManifest.sealOf(tree));
    Files.write(manifest, dev.lifeboat.Json.mapper().writeValueAsBytes(tree));
  }

  @Test
  void theManifestIsSealedSoEditsAreCaught() throws IOException {
    SnapshotTarget target = at(dir);
    String id = store(target, SnapshotIds.next(T0), "sealed");
    Path m = dir.resolve(id).resolve(MANIFEST);
    String original = Files.readString(m);
    assertThat(original).contains("\"" + SealedManifest.SEAL + "\"");

    // The same document written differently (fields reordered, no indentation) is the same manifest.
    com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) dev.lifeboat.Json.mapper().readTree(original);
    com.fasterxml.jackson.databind.node.ObjectNode reordered = tree.objectNode();
    List<String> names = new java.util.ArrayList<>();
    tree.fieldNames().forEachRemaining(names::add);
    java.util.Collections.reverse(names);
    names.forEach(n -> reordered.set(n, tree.get(n)));
    Files.writeString(m, reordered.toString());
    assertThat(target.get(id).orElseThrow().isDamaged()).as("reformatted").isFalse();

    String sha = target.get(id).orElseThrow().manifest().sha256();
    for (String edited : List.of(
        original.replace("\"size\" : 6", "\"size\" : 7"),
        original.replace(sha, sha256("forged".getBytes(StandardCharsets.UTF_8))),
        original.replace("\"format\" : \"x\"", "\"format\" : \"pg-custom\""),
        original.replaceAll(",\\s*\"" + SealedManifest.SEAL + "\"\\s*:\\s*\"[0-9a-f]+\"", ""))) {
      assertThat(edited).isNotEqualTo(original);
      Files.writeString(m, edited);
      Snapshot s = target.get(id).orElseThrow();
      assertThat(s.isDamaged()).as(edited).isTrue();
      assertThat(s.damage()).containsAnyOf("changed after it was written", "no " + SealedManifest.SEAL);
      assertThatThrownBy(() -> target.open(id))
          .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH));
    }
    Files.writeString(m, original);
    assertThat(target.get(id).orElseThrow().isDamaged()).isFalse();
  }

  @Test
  void aSealedManifestWithoutTheArchivesChecksumIsDamaged() throws Exception {
    SnapshotTarget target = at(dir);
    String id = store(target, SnapshotIds.next(T0), "sealed");
    Path m = dir.resolve(id).resolve(MANIFEST);
    Manifest stored = SealedManifest.read(Files.readAllBytes(m));

    // Validly sealed, as someone who can write to the store could: nothing left to check the archive against.
    Files.write(m, SealedManifest.write(stored.toBuilder().sha256(null).build()));
    Snapshot s = target.get(id).orElseThrow();
    assertThat(s.damage()).as("listed as damaged, not as intact").isEqualTo("its manifest.json records no SHA-256 of its archive (sha256: null)");
    assertThatThrownBy(() -> target.open(id))
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH));

    Files.write(m, SealedManifest.write(stored.toBuilder().size(-1).build()));
    assertThat(target.get(id).orElseThrow().damage()).startsWith("its manifest.json records a negative archive size");
  }

  @Test
  void aSnapshotWhoseArchiveIsMissingIsDamagedButKeepsItsManifest() throws IOException {
    SnapshotTarget target = at(dir);
    String id = store(target, SnapshotIds.next(T0), "archive");
    Files.delete(dir.resolve(id).resolve("archive.x"));
    Snapshot s = target.list().get(0);
    assertThat(s.damage()).contains("archive file is missing");
    assertThat(s.manifest().format()).isEqualTo("x");
    assertThatThrownBy(() -> target.open(id))
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH))
        .hasMessageContaining("archive file is missing");
  }

  @Test
  void locationsThatAreNotFoldersOfSnapshotsAreRefusedAndAMissingOneIsCreatedByABackup() throws IOException {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    String id = store(at(dir.resolve("store")), SnapshotIds.next(T0), "x");
    Path renamedSnapshot = Files.move(dir.resolve("store").resolve(id), dir.resolve("renamed"));
    for (Path bad : List.of(file, dir.resolve("store").resolve(SnapshotIds.next(T0)), renamedSnapshot,
        dir.resolve("store").resolve(".partial-" + SnapshotIds.next(T0)), file.resolve("below"))) {
      SnapshotTarget t = at(bad);
      for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
          t::checkWritable, t::list, () -> t.create(SnapshotIds.next(T0), "archive.x"))) {
        assertThatThrownBy(call).as(bad.toString())
            .satisfies(e -> assertThat(((LifeboatException) e).code()).as(e.getMessage()).isEqualTo(ErrorCode.CONFIGURATION))
            .hasMessageContaining(bad.getFileName().toString().equals("below") ? file.toString() : bad.toString());
      }
    }
    assertThat(Files.readString(file)).isEqualTo("x");

    Path missing = dir.resolve("new").resolve("store");
    SnapshotTarget fresh = at(missing);
    assertThatThrownBy(fresh::list)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessageContaining(missing + " does not exist");
    fresh.checkWritable();
    assertThat(dir.resolve("new")).as("checking creates nothing").doesNotExist();
    String created = store(fresh, SnapshotIds.next(T0), "first");
    assertThat(fresh.list()).extracting(Snapshot::id).containsExactly(created);
  }

  /** Another user's private folder of snapshots: a configuration error in words (exit 2), not a failed listing. */
  @Test
  void aFolderThisUserCannotReadIsAConfigurationError() throws IOException {
    Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "a POSIX file system");
    Path root = dir.resolve("someone-elses");
    store(at(root), SnapshotIds.next(T0), "x");
    Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("-wx------"));
    try {
      Assumptions.assumeFalse(Files.isReadable(root), "a user the permissions apply to (not root)");
      assertThatThrownBy(at(root)::list)
          .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION))
          .hasMessage("Target folder " + root + " is not readable by this user. Run Lifeboat as the user that wrote the"
              + " snapshots, or change the folder's permissions.");
    } finally {
      Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void snapshotsArePrivateToTheirOwner() throws IOException {
    Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "a POSIX file system");
    Path root = dir.resolve("created-by-the-backup");
    SnapshotTarget target = at(root);
    String id = SnapshotIds.next(T0);
    byte[] data = "private".getBytes(StandardCharsets.UTF_8);
    try (PendingSnapshot p = target.create(id, "archive.x")) {
      Path partial = onlyPartial(root);
      assertThat(permissions(partial)).isEqualTo("rwx------");
      try (Stream<Path> files = Files.list(partial)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          assertThat(permissions(f)).as(f.toString()).isEqualTo("rw-------");
        }
      }
      assertThat(partial.resolve(WriterRecord.KEY)).exists();
      p.output().write(data);
      p.commit(Manifest.builder().id(id).format("x").size(data.length).sha256(sha256(data)).build());
    }
    assertThat(permissions(root)).isEqualTo("rwx------");
    assertThat(permissions(root.resolve(id))).isEqualTo("rwx------");
    assertThat(permissions(root.resolve(id).resolve("archive.x"))).isEqualTo("rw-------");
    assertThat(permissions(root.resolve(id).resolve(MANIFEST))).isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(root.resolve(id))) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("archive.x", MANIFEST);
    }
  }

  private static String permissions(Path p) throws IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void foldersThatAreNotSnapshotsAreIgnored() throws IOException {
    SnapshotTarget target = at(dir);
    String id = store(target, SnapshotIds.next(T0), "real");
    Files.createDirectories(dir.resolve("lost+found"));
    Files.createDirectories(dir.resolve(".partial-" + SnapshotIds.next(T0)));
    Files.writeString(dir.resolve("README.txt"), "backups");
    // A copy of a manifest under a name that is not an id is not a snapshot.
    Files.createDirectories(dir.resolve("copy"));
    Files.copy(dir.resolve(id).resolve(MANIFEST), dir.resolve("copy").resolve(MANIFEST));

    assertThat(target.list()).extracting(Snapshot::id).containsExactly(id);
    assertThat(target.get("copy")).isEmpty();
    assertThat(target.get("../" + dir.getFileName() + "/" + id)).isEmpty();
  }

  @Test
  void aFolderWhoseManifestNamesAnotherIdIsListedAsDamaged() throws IOException {
    SnapshotTarget target = at(dir);
    String id = store(target, SnapshotIds.next(T0), "original");
    String other = SnapshotIds.next(T0.plusSeconds(1));
    Files.createDirectories(dir.resolve(other));
    for (String name : List.of(MANIFEST, "archive.x")) {
      Files.copy(dir.resolve(id).resolve(name), dir.resolve(other).resolve(name));
    }

    assertThat(target.list()).extracting(Snapshot::id).containsExactly(id, other);
    assertThat(target.get(id).orElseThrow().isDamaged()).isFalse();
    assertThat(target.get(other).orElseThrow().damage()).contains("belongs to snapshot " + id);
    assertThatThrownBy(() -> target.open(other))
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH));
  }

  @Test
  void itsLocationsAcceptFileUrisAndPlainPaths() throws IOException {
    SnapshotTarget byPath = at(dir);
    String id = store(byPath, SnapshotIds.next(T0), "x");
    for (String text : List.of(dir.toString(), "file:" + dir, "file://" + dir, dir + "/./")) {
      FileBlobStore store = FileBlobStore.open(Location.parse(text));
      SnapshotTarget t = SnapshotTarget.over(store);
      assertThat(store.root()).as(text).isEqualTo(dir.toAbsolutePath().normalize());
      assertThat(t.list()).as(text).extracting(Snapshot::id).containsExactly(id);
    }
    assertThatThrownBy(() -> FileBlobStore.open(Location.parse("file:")))
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION));
  }

  @Test
  void badIdsAndFileNamesAreRefused() {
    SnapshotTarget target = at(dir);
    for (String id : List.of("../escape", "latest", "", "20260101T000000.000Z-XYZ")) {
      assertThatThrownBy(() -> target.create(id, "archive.x")).as(id)
          .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION));
    }
    for (String name : List.of("manifest.json", "writer.json", "../x", ".hidden", "a/b")) {
      assertThatThrownBy(() -> target.create(SnapshotIds.next(T0), name)).as(name)
          .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION));
    }
  }

  @Test
  void theSameIdCannotBeWrittenTwiceAtOnce() {
    SnapshotTarget target = at(dir);
    String id = SnapshotIds.next(T0);
    try (PendingSnapshot first = target.create(id, "archive.x")) {
      assertThatThrownBy(() -> target.create(id, "archive.x"))
          .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.TARGET_FAILED));
    }
  }

  @Test
  void aCommitWithAnotherIdIsRefusedAndNothingIsListed() {
    SnapshotTarget target = at(dir);
    String id = SnapshotIds.next(T0);
    try (PendingSnapshot p = target.create(id, "archive.x")) {
      assertThatThrownBy(() -> p.commit(Manifest.builder().id(SnapshotIds.next(T0)).format("x").build()))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(target.list()).isEmpty();
  }


  private static SnapshotTarget at(Path root) {
    return SnapshotTarget.over(FileBlobStore.at(root));
  }

  private static String store(SnapshotTarget target, String id, String content) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    try (PendingSnapshot p = target.create(id, "archive.x")) {
      p.output().write(data);
      p.commit(Manifest.builder().id(id).format("x").size(data.length)
          .sha256(sha256(data)).createdAt(T0).build());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return id;
  }

  private static String sha256(byte[] data) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path onlyPartial(Path root) throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      List<Path> all = entries.toList();
      assertThat(all).as("entries of %s", root).singleElement()
          .satisfies(p -> {
            assertThat(SnapshotIds.isValid(p.getFileName().toString())).as("a snapshot's folder").isTrue();
            assertThat(p.resolve(MANIFEST)).as("not committed").doesNotExist();
          });
      return all.get(0);
    }
  }

  private static long sizeOfTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
