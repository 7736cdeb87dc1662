package dev.lifeboat.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.spi.Blob;
import dev.lifeboat.spi.BlobOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder store: what a put makes visible and when, listing by prefix, deleting, keys that would escape. */
class FileBlobStoreTest {
  @TempDir
  Path dir;

  @Test
  void aPutIsVisibleUnderItsKeyOnlyOnceClosed() throws IOException {
    FileBlobStore store = FileBlobStore.at(dir.resolve("root"));
    BlobOutput out = store.put("a/b.bin");
    out.write("hello".getBytes(StandardCharsets.UTF_8));
    out.flush();
    assertThat(store.localPath("a/b.bin")).isEmpty();
    assertThatThrownBy(() -> store.get("a/b.bin"))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(store.list("a/")).as("the write in progress is listed under a temporary name only")
        .extracting(Blob::key).singleElement().satisfies(k -> assertThat(k).startsWith("a/.b.bin.partial-"));

    out.close();
    try (InputStream in = store.get("a/b.bin")) {
      assertThat(in.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
    }
    assertThat(store.list("a/")).singleElement().satisfies(b -> {
      assertThat(b.key()).isEqualTo("a/b.bin");
      assertThat(b.size()).isEqualTo(5);
    });
    assertThat(store.localPath("a/b.bin")).hasValue(dir.resolve("root/a/b.bin"));
  }

  @Test
  void anAbortedPutLeavesNothingAndLaterWritesFail() throws IOException {
    FileBlobStore store = FileBlobStore.at(dir);
    BlobOutput out = store.put("x/y");
    out.write(new byte[100_000]);
    out.abort();
    assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
    assertThatThrownBy(out::close).as("a close after the abort publishes nothing").isInstanceOf(IOException.class);
    assertThat(store.list("")).isEmpty();
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).as("no folder left behind").isEmpty();
    }
  }

  @Test
  void listFindsKeysByPrefixAndDeleteRemovesEmptyFolders() throws IOException {
    FileBlobStore store = FileBlobStore.at(dir);
    for (String key : List.of("s1/archive", "s1/manifest.json", "s2/archive", "manifest.json.bak")) {
      try (BlobOutput out = store.put(key)) {
        out.write(key.getBytes(StandardCharsets.UTF_8));
      }
    }
    assertThat(store.list("")).extracting(Blob::key)
        .containsExactlyInAnyOrder("s1/archive", "s1/manifest.json", "s2/archive", "manifest.json.bak");
    assertThat(store.list("s1/")).extracting(Blob::key).containsExactlyInAnyOrder("s1/archive", "s1/manifest.json");
    assertThat(store.list("s")).hasSize(3);
    assertThat(store.list("nothing/")).isEmpty();

    store.delete("s1/archive");
    store.delete("s1/manifest.json");
    store.delete("s1/manifest.json");
    assertThat(dir.resolve("s1")).as("an emptied folder goes too").doesNotExist();
    assertThat(dir).as("the root stays").isDirectory();
    assertThat(store.list("")).extracting(Blob::key).containsExactlyInAnyOrder("s2/archive", "manifest.json.bak");
  }

  @Test
  void keysThatWouldLeaveTheRootAreRefused() {
    FileBlobStore store = FileBlobStore.at(dir.resolve("root"));
    for (String key : List.of("../escape", "/abs", "a//b", "a/./b", "", "a/")) {
      assertThatThrownBy(() -> store.put(key)).as(key).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.get(key)).as(key).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(dir.resolve("escape")).doesNotExist();
  }

  @Test
  void aMissingRootListsNothingAndIsNotFoundWhenRead() {
    FileBlobStore store = FileBlobStore.at(dir.resolve("missing"));
    assertThat(store.list("")).isEmpty();
    assertThatThrownBy(() -> store.checkUsable(false))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    store.checkUsable(true);
    assertThat(dir.resolve("missing")).doesNotExist();
  }
}
