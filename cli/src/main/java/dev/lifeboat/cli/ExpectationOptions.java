package dev.lifeboat.cli;

import dev.lifeboat.Expectation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The user's extra verification checks, shared by {@code verify} and {@code restore --verify}. */
final class ExpectationOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--expect-sql", paramLabel = "SQL",
      description = "A query that must return true in the restored database. Repeatable.")
  List<String> sql = new ArrayList<>();

  @Option(names = "--fresh", paramLabel = "TABLE.COLUMN=DURATION",
      description = "The newest value of a timestamp column must be at most this old, e.g. public.orders.created_at=1d. Repeatable.")
  List<String> fresh = new ArrayList<>();

  @Option(names = "--no-orphans", description = "Check that no row references a missing parent row (every foreign key).")
  boolean noOrphans;

  /** The expectations, or a usage error for an empty {@code --expect-sql} or a malformed {@code --fresh}. */
  List<Expectation> expectations() {
    List<Expectation> all = new ArrayList<>();
    for (String q : sql) {
      // An empty query (an unset variable in a script) would reach the server and fail there as a
      // failed check, exit 3, after the whole restore: it is a mistake on the command line.
      if (q.isBlank()) {
        throw new ParameterException(spec.commandLine(),
            "--expect-sql is empty; give a query that returns true, e.g. \"SELECT count(*) > 0 FROM orders\".");
      }
      all.add(Expectation.queryIsTrue(null, q));
    }
    for (String f : fresh) {
      all.add(freshness(f));
    }
    if (noOrphans) {
      all.add(Expectation.noOrphanedForeignKeys());
    }
    return all;
  }

  private Expectation freshness(String text) {
    int eq = text.lastIndexOf('=');
    int dot = eq < 0 ? -1 : text.lastIndexOf('.', eq);
    if (eq < 0 || dot <= 0 || dot == eq - 1 || eq == text.length() - 1) {
      throw new ParameterException(spec.commandLine(),
          "--fresh wants TABLE.COLUMN=DURATION, e.g. public.orders.created_at=1d, not '" + text + "'.");
    }
    Duration maxAge;
    try {
      maxAge = Converters.duration(text.substring(eq + 1));
    } catch (RuntimeException e) {
      throw new ParameterException(spec.commandLine(), "--fresh " + text + ": " + e.getMessage());
    }
    return Expectation.freshWithin(text.substring(0, dot), text.substring(dot + 1, eq), maxAge);
  }
}
