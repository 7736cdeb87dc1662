package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.crypto.KeyPairFiles;
import dev.lifeboat.file.FileBlobStore;
import dev.lifeboat.spi.Blob;
import dev.lifeboat.spi.BlobOutput;
import dev.lifeboat.spi.BlobStore;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store anyone can read (a public repository's releases) takes only encrypted snapshots: an
 * unencrypted backup is refused before the source is dumped and writes nothing; an encrypted one
 * is stored and restores with its private key.
 */
class UnencryptedRefusalTest {
  private static final String SOURCE = "fake://db.local/shop";

  @TempDir Path dir;
  private Lifeboat lifeboat;

  @BeforeEach
  void start() {
    FakeProvider.reset();
    lifeboat = Lifeboat.builder().provider(new PublicStoreProvider()).build();
  }

  @AfterEach
  void stop() {
    lifeboat.close();
  }

  private String target() {
    return "public:" + dir.resolve("store");
  }

  @Test
  void anUnencryptedBackupIsRefusedBeforeTheDumpAndWritesNothing() {
    assertThatThrownBy(() -> lifeboat.backup(BackupRequest.builder(SOURCE, target()).build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessageContaining("refuses unencrypted snapshots: anyone can read it.")
        .hasMessageContaining("--encrypt-to");
    assertThat(FakeProvider.DUMPED).as("the source was not dumped").isEmpty();
    assertThat(Files.exists(dir.resolve("store"))).as("nothing written").isFalse();
  }

  @Test
  void anEncryptedBackupIsStoredAndRestoresWithItsKey() {
    Path keys = dir.resolve("keys");
    KeyPairFiles.Written written = KeyPairFiles.generate(keys, null);

    Snapshot s = lifeboat.backup(BackupRequest.builder(SOURCE, target())
        .encryptTo(KeyPairFiles.readPublic(written.publicFile())).build());
    lifeboat.restore(RestoreRequest.builder(target(), s.id(), "fake://db.local/copy")
        .privateKey(KeyPairFiles.readPrivate(written.privateFile(), null)).build());

    assertThat(FakeProvider.DESTINATIONS.get("copy")).isEqualTo(FakeProvider.bytes(1000));
  }

  /** {@code public:/path}: a folder store that says anyone can read it. */
  static final class PublicStoreProvider implements LifeboatProvider {
    @Override
    public String name() {
      return "public-store";
    }

    @Override
    public Set<String> schemes() {
      return Set.of("public");
    }

    @Override
    public Optional<BlobStore> store(Location location, ProviderContext context) {
      FileBlobStore files = FileBlobStore.open(Location.parse("file:" + location.schemeSpecificPart()));
      return Optional.of(new BlobStore() {
        @Override public Location location() { return location; }
        @Override public void checkUsable(boolean forWriting) { files.checkUsable(forWriting); }
        @Override public BlobOutput put(String key) { return files.put(key); }
        @Override public InputStream get(String key) { return files.get(key); }
        @Override public List<Blob> list(String prefix) { return files.list(prefix); }
        @Override public void delete(String key) { files.delete(key); }
        @Override public Optional<Path> localPath(String key) { return files.localPath(key); }

        @Override
        public Optional<String> refusesUnencrypted() {
          return Optional.of("anyone can read it.");
        }
      });
    }
  }
}
