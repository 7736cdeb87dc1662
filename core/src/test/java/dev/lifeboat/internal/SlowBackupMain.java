package dev.lifeboat.internal;

import dev.lifeboat.SnapshotIds;
import dev.lifeboat.file.FileBlobStore;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Run in a child JVM by {@link FileSnapshotTargetTest}: starts a snapshot in the folder store given as
 * the first argument, writes some bytes, prints {@code WRITING} and keeps writing slowly until it is
 * killed. It never commits.
 */
public final class SlowBackupMain {
  private SlowBackupMain() {}

  public static void main(String[] args) throws Exception {
    SnapshotTarget target = SnapshotTarget.over(FileBlobStore.at(Path.of(args[0])));
    PendingSnapshot pending = target.create(SnapshotIds.next(Instant.now()), "archive.fake-dump");
    OutputStream out = pending.output();
    byte[] chunk = new byte[64 * 1024];
    out.write(chunk);
    out.flush();
    System.out.println("WRITING");
    System.out.flush();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      out.write(chunk, 0, 1024);
      out.flush();
      Thread.sleep(50);
    }
    System.exit(3);
  }
}
