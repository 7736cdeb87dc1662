package dev.lifeboat.benchmarks.pg;

import dev.lifeboat.Lifeboat;
import dev.lifeboat.RestoreRequest;

/** One library restore of the latest snapshot in its own JVM: {@code LibraryRestore TARGET DESTINATION}. */
public final class LibraryRestore {
  private LibraryRestore() {}

  public static void main(String[] args) {
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      System.out.println(lifeboat.restore(RestoreRequest.builder(args[0], "latest", args[1]).build()));
    }
  }
}
