package dev.lifeboat.benchmarks.pg;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Snapshot;

/**
 * One library backup in its own JVM: {@code LibraryBackup SOURCE TARGET}. Prints the snapshot id,
 * then {@code call-seconds=S}: the time of the {@code backup} call alone, after a warm-up, as a
 * service that already runs would see it.
 */
public final class LibraryBackup {
  private LibraryBackup() {}

  public static void main(String[] args) throws java.io.IOException {
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      Warmup.run(lifeboat, args[1]);
      long started = System.nanoTime();
      Snapshot s = lifeboat.backup(BackupRequest.builder(args[0], args[1]).build());
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.println(s.id());
      System.out.println("call-seconds=" + seconds);
    }
  }
}
