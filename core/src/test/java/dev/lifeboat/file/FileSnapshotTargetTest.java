package dev.lifeboat.file;

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
import dev.lifeboat.spi.PendingSnapshot;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the folder target guarantees beyond the TCK's snapshot target contract (run in the tck module). */
class FileSnapshotTargetTest {
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

    FileSnapshotTarget target = FileSnapshotTarget.at(root);
    assertThat(target.list()).isEmpty();
    onlyPartial(root);

    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      Snapshot s = lifeboat.backup(BackupRequest.builder("fake://db.local/shop?rows=10", "file:" + root).build());
      assertThat(lifeboat.list("file:" + root)).extracting(Snapshot::id).containsExactly(s.id());
    }
  }

  @Test
  void aSnapshotWhoseManifestIsMissingOrGarbledIsNotListed() throws IOException {
    FileSnapshotTarget target = FileSnapshotTarget.at(dir);
    String good = store(target, SnapshotIds.next(T0), "good");
    String noManifest = store(target, SnapshotIds.next(T0.plusSeconds(1)), "no manifest");
    String garbled = store(target, SnapshotIds.next(T0.plusSeconds(2)), "garbled");
    String truncated = store(target, SnapshotIds.next(T0.plusSeconds(3)), "truncated");

    Files.delete(dir.resolve(noManifest).resolve(FileSnapshotTarget.MANIFEST));
    Files.writeString(dir.resolve(garbled).resolve(FileSnapshotTarget.MANIFEST), "{not json at all");
    Path m = dir.resolve(truncated).resolve(FileSnapshotTarget.MANIFEST);
    byte[] json = Files.readAllBytes(m);
    Files.write(m, java.util.Arrays.copyOf(json, json.length / 2));

    assertThat(target.list()).extracting(Snapshot::id).containsExactly(good);
    assertThat(target.get(noManifest)).isEmpty();
    assertThat(target.get(garbled)).isEmpty();
    assertThat(target.get(truncated)).isEmpty();
    assertThatThrownBy(() -> target.open(garbled)).satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void foldersThatAreNotSnapshotsAreIgnored() throws IOException {
    FileSnapshotTarget target = FileSnapshotTarget.at(dir);
    String id = store(target, SnapshotIds.next(T0), "real");
    Files.createDirectories(dir.resolve("lost+found"));
    Files.createDirectories(dir.resolve(".partial-" + SnapshotIds.next(T0)));
    Files.writeString(dir.resolve("README.txt"), "backups");
    // A copy of a manifest under a name that is not an id is not a snapshot.
    Files.createDirectories(dir.resolve("copy"));
    Files.copy(dir.resolve(id).resolve(FileSnapshotTarget.MANIFEST), dir.resolve("copy").resolve(FileSnapshotTarget.MANIFEST));

    assertThat(target.list()).extracting(Snapshot::id).containsExactly(id);
    assertThat(target.get("copy")).isEmpty();
    assertThat(target.get("../" + dir.getFileName() + "/" + id)).isEmpty();
  }

  @Test
  void aFolderWhoseManifestNamesAnotherIdIsNotListed() throws IOException {
    FileSnapshotTarget target = FileSnapshotTarget.at(dir);
    String id = store(target, SnapshotIds.next(T0), "original");
    String other = SnapshotIds.next(T0.plusSeconds(1));
    Files.createDirectories(dir.resolve(other));
    for (String name : List.of(FileSnapshotTarget.MANIFEST, "archive.x")) {
      Files.copy(dir.resolve(id).resolve(name), dir.resolve(other).resolve(name));
    }

    assertThat(target.list()).extracting(Snapshot::id).containsExactly(id);
    assertThat(target.get(other)).isEmpty();
  }

  @Test
  void partialsOlderThanADayAreRemovedByTheNextBackupAndYoungerOnesKept() throws IOException {
    Path stale = Files.createDirectories(dir.resolve(".partial-" + SnapshotIds.next(T0)));
    Files.writeString(stale.resolve("archive.x"), "half");
    Files.setLastModifiedTime(stale.resolve("archive.x"), FileTime.from(Instant.now().minusSeconds(2 * 86400)));
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(2 * 86400)));
    Path young = Files.createDirectories(dir.resolve(".partial-" + SnapshotIds.next(T0.plusSeconds(1))));
    // A backup running for two days: its folder is old, but it wrote its archive a moment ago.
    Path running = Files.createDirectories(dir.resolve(".partial-" + SnapshotIds.next(T0.plusSeconds(3))));
    Files.writeString(running.resolve("archive.x"), "still writing");
    Files.setLastModifiedTime(running, FileTime.from(Instant.now().minusSeconds(2 * 86400)));

    FileSnapshotTarget target = FileSnapshotTarget.at(dir);
    store(target, SnapshotIds.next(T0.plusSeconds(2)), "next");

    assertThat(stale).doesNotExist();
    assertThat(young).as("it may belong to a backup still running").exists();
    assertThat(running.resolve("archive.x")).as("a long backup that is still writing is not abandoned").exists();
  }

  @Test
  void itsLocationsAcceptFileUrisAndPlainPaths() throws IOException {
    FileSnapshotTarget byPath = FileSnapshotTarget.at(dir);
    String id = store(byPath, SnapshotIds.next(T0), "x");
    for (String text : List.of(dir.toString(), "file:" + dir, "file://" + dir, dir + "/./")) {
      FileSnapshotTarget t = FileSnapshotTarget.open(Location.parse(text));
      assertThat(t.root()).as(text).isEqualTo(dir.toAbsolutePath().normalize());
      assertThat(t.list()).as(text).extracting(Snapshot::id).containsExactly(id);
    }
    assertThatThrownBy(() -> FileSnapshotTarget.open(Location.parse("file:")))
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION));
  }

  @Test
  void badIdsAndFileNamesAreRefused() {
    FileSnapshotTarget target = FileSnapshotTarget.at(dir);
    for (String id : List.of("../escape", "latest", "", "20260101T000000.000Z-XYZ")) {
      assertThatThrownBy(() -> target.create(id, "archive.x")).as(id)
          .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION));
    }
    for (String name : List.of("manifest.json", "../x", ".hidden", "a/b")) {
      assertThatThrownBy(() -> target.create(SnapshotIds.next(T0), name)).as(name)
          .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION));
    }
  }

  @Test
  void theSameIdCannotBeWrittenTwiceAtOnce() {
    FileSnapshotTarget target = FileSnapshotTarget.at(dir);
    String id = SnapshotIds.next(T0);
    try (PendingSnapshot first = target.create(id, "archive.x")) {
      assertThatThrownBy(() -> target.create(id, "archive.x"))
          .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.TARGET_FAILED));
    }
  }

  @Test
  void aCommitWithAnotherIdIsRefusedAndNothingIsListed() {
    FileSnapshotTarget target = FileSnapshotTarget.at(dir);
    String id = SnapshotIds.next(T0);
    try (PendingSnapshot p = target.create(id, "archive.x")) {
      assertThatThrownBy(() -> p.commit(Manifest.builder().id(SnapshotIds.next(T0)).format("x").build()))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(target.list()).isEmpty();
  }

  @Test
  void aTargetThatCannotBeCreatedFailsWithTargetFailed() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    FileSnapshotTarget target = FileSnapshotTarget.at(file.resolve("backups"));
    assertThatThrownBy(() -> target.create(SnapshotIds.next(T0), "archive.x"))
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.TARGET_FAILED))
        .hasMessageContaining("writable");
    assertThat(target.list()).isEmpty();
  }

  private static String store(FileSnapshotTarget target, String id, String content) {
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
          .satisfies(p -> assertThat(p.getFileName().toString()).startsWith(FileSnapshotTarget.PARTIAL_PREFIX));
      return all.get(0);
    }
  }

  private static long sizeOfTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
