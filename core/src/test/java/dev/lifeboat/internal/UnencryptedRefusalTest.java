package dev.lifeboat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.file.FileBlobStore;
import dev.lifeboat.spi.Blob;
import dev.lifeboat.spi.BlobOutput;
import dev.lifeboat.spi.BlobStore;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that takes only encrypted snapshots is refused for every (unencrypted) backup, before anything is written. */
class UnencryptedRefusalTest {
  @TempDir Path dir;

  /** A folder store that says it is public. */
  private static final class PublicStore implements BlobStore {
    private final FileBlobStore files;

    PublicStore(FileBlobStore files) {
      this.files = files;
    }

    @Override public Location location() { return files.location(); }
    @Override public void checkUsable(boolean forWriting) { files.checkUsable(forWriting); }
    @Override public BlobOutput put(String key) { return files.put(key); }
    @Override public InputStream get(String key) { return files.get(key); }
    @Override public List<Blob> list(String prefix) { return files.list(prefix); }
    @Override public void delete(String key) { files.delete(key); }

    @Override
    public Optional<String> refusesUnencrypted() {
      return Optional.of("anyone can read it.");
    }
  }

  @Test
  void checkWritableAndCreateRefuseWithAConfigurationErrorAndWriteNothing() throws Exception {
    Path root = dir.resolve("store");
    SnapshotTarget t = SnapshotTarget.over(new PublicStore(FileBlobStore.at(root)));
    assertThatThrownBy(t::checkWritable).isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessageContaining("refuses unencrypted snapshots: anyone can read it.");
    assertThatThrownBy(() -> t.create(SnapshotIds.next(Instant.now()), "archive.test")).isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION));
    assertThat(Files.exists(root)).as("nothing written").isFalse();
  }
}
