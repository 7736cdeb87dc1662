package dev.lifeboat.tck;

import dev.lifeboat.file.FileSnapshotTarget;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** Core's local folder target against the snapshot target contract. */
class FileSnapshotTargetContractTest extends SnapshotTargetContract {
  private static final AtomicInteger FOLDERS = new AtomicInteger();

  @TempDir
  Path dir;

  @Override
  protected SnapshotTarget newTarget() {
    return FileSnapshotTarget.at(dir.resolve("target-" + FOLDERS.incrementAndGet()));
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
}
