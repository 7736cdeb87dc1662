package dev.lifeboat.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchFoldersTest {
  @TempDir Path base;

  @Test
  void aFolderWhoseOwnerEndedIsRemovedWhenTheNextIsMade() throws Exception {
    Process ended = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version").start();
    String start = ended.info().startInstant().map(Instant::getEpochSecond).map(s -> Long.toString(s, 36)).orElseThrow();
    ended.waitFor();
    Path mine = ScratchFolders.create(base, "lifeboat-archive-");
    String namespace = mine.getFileName().toString().split("-")[4];
    Path left = Files.createDirectories(base.resolve("lifeboat-archive-" + ended.pid() + "-" + start + "-" + namespace + "-123"));
    Files.writeString(left.resolve("big.pg-custom"), "rows");
    Path otherNamespace = Files.createDirectories(base.resolve("lifeboat-archive-" + ended.pid() + "-" + start + "-zz-123"));
    Path foreign = Files.createDirectories(base.resolve("lifeboat-archive-12345"));

    Path next = ScratchFolders.create(base, "lifeboat-restore-");

    assertThat(left).as("its owner ended").doesNotExist();
    assertThat(mine).as("its owner runs").isDirectory();
    assertThat(next).isDirectory();
    assertThat(otherNamespace).as("an owner that cannot be seen from here").isDirectory();
    assertThat(foreign).as("not a name ScratchFolders gives").isDirectory();
  }

  @Test
  void aFolderOfAnEarlierProcessWithTheSamePidIsRemoved() throws Exception {
    Path mine = ScratchFolders.create(base, "lifeboat-archive-");
    String[] parts = mine.getFileName().toString().split("-");
    // The same pid (pid 1 of every new container), started at another time.
    Path earlier = Files.createDirectories(base.resolve("lifeboat-archive-" + parts[2] + "-1-" + parts[4] + "-7"));

    ScratchFolders.create(base, "lifeboat-archive-");

    assertThat(earlier).doesNotExist();
    assertThat(mine).isDirectory();
  }

  @Test
  void aPrefixThatWouldNotBeRecognisedIsRefused() {
    assertThatThrownBy(() -> ScratchFolders.create(base, "tmp-")).isInstanceOf(IllegalArgumentException.class);
  }
}
