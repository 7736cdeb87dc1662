package dev.lifeboat.tck;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.Json;
import dev.lifeboat.file.FileBlobStore;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** Core's commit protocol over a local folder ({@link FileBlobStore}) against the snapshot target contract. */
class FileSnapshotTargetContractTest extends SnapshotTargetContract {
  private static final AtomicInteger FOLDERS = new AtomicInteger();

  @TempDir
  Path dir;

  @Override
  protected SnapshotTarget newTarget() {
    try {
      // A target is a folder that exists; listing a missing folder is an error.
      return SnapshotTarget.over(FileBlobStore.at(Files.createDirectory(dir.resolve("target-" + FOLDERS.incrementAndGet()))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected void corruptStoredBytes(SnapshotTarget target, String id) {
    Path file = target.localFile(id).orElseThrow();
    try {
      byte[] all = Files.readAllBytes(file);
      all[all.length / 2] ^= (byte) 0xFF;
      Files.write(file, all);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected void alterStoredManifest(SnapshotTarget target, String id) {
    Path manifest = FileBlobStore.open(target.location()).root().resolve(id).resolve("manifest.json");
    try {
      ObjectNode json = (ObjectNode) Json.mapper().readTree(manifest.toFile());
      json.put("size", json.get("size").asLong() + 1);
      Files.write(manifest, Json.mapper().writeValueAsBytes(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
