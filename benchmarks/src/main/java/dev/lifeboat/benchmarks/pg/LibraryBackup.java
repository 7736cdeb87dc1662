package dev.lifeboat.benchmarks.pg;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Snapshot;

/** One library backup in its own JVM: {@code LibraryBackup SOURCE TARGET}. Prints the snapshot id. */
public final class LibraryBackup {
  private LibraryBackup() {}

  public static void main(String[] args) {
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      Snapshot s = lifeboat.backup(BackupRequest.builder(args[0], args[1]).build());
      System.out.println(s.id());
    }
  }
}
