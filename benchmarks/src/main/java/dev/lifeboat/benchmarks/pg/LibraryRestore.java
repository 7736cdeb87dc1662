package dev.lifeboat.benchmarks.pg;

import dev.lifeboat.Lifeboat;
import dev.lifeboat.RestoreRequest;

/**
 * One library restore of the latest snapshot in its own JVM: {@code LibraryRestore TARGET
 * DESTINATION}. Prints the result, then {@code call-seconds=S} for the {@code restore} call alone, after a
 * warm-up.
 */
public final class LibraryRestore {
  private LibraryRestore() {}

  public static void main(String[] args) throws java.io.IOException {
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      Warmup.run(lifeboat, args[0]);
      long started = System.nanoTime();
      Object result = lifeboat.restore(RestoreRequest.builder(args[0], "latest", args[1]).build());
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.println(result);
      System.out.println("call-seconds=" + seconds);
    }
  }
}
