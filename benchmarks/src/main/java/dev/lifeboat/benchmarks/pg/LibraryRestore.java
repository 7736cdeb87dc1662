package dev.lifeboat.benchmarks.pg;

import dev.lifeboat.Lifeboat;
import dev.lifeboat.RestoreRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * One library restore of the latest snapshot in its own JVM: {@code LibraryRestore TARGET
 * DESTINATION [WARMUP_TARGET WARMUP_DESTINATION WARMUP_DROP_JDBC_URL WARMUP_DATABASE]}. Prints the result, then
 * {@code call-seconds=S} for the {@code restore} call alone.
 *
 * <p>Without the last three arguments the timed call is the JVM's first restore, after the list
 * and manifest warm-up ({@link Warmup}): its time includes loading the restore path's classes and
 * compiling its loops. With them, the JVM first restores the small warm-up snapshot into
 * {@code WARMUP_DESTINATION} and drops that database ({@code WARMUP_DATABASE}, through a connection
 * to {@code WARMUP_DROP_JDBC_URL}) again, as a service that has restored before would have
 * done: the timed call then measures the restore itself.
 */
public final class LibraryRestore {
  private LibraryRestore() {}

  public static void main(String[] args) throws Exception {
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      Warmup.run(lifeboat, args[0]);
      if (args.length == 6) {
        lifeboat.restore(RestoreRequest.builder(args[2], "latest", args[3]).build());
        try (Connection c = DriverManager.getConnection(args[4], "postgres", ""); Statement s = c.createStatement()) {
          s.execute("DROP DATABASE " + args[5]);
        }
      }
      long started = System.nanoTime();
      Object result = lifeboat.restore(RestoreRequest.builder(args[0], "latest", args[1]).build());
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.println(result);
      System.out.println("call-seconds=" + seconds);
    }
  }
}
