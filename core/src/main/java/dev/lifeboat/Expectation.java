package dev.lifeboat;

import java.time.Duration;
import java.util.Objects;

/**
 * A check a user adds to a verification, beyond the manifest's counts and columns. Verifiers
 * report an expectation they cannot evaluate as a failed check, never silently skip it.
 */
public sealed interface Expectation {

  /** A SQL query (or a provider's query language) whose single result must be {@code true}. */
  static Expectation queryIsTrue(String description, String query) {
    return new QueryIsTrue(description, query);
  }

  /** The greatest value of a timestamp column must be no older than {@code maxAge}. */
  static Expectation freshWithin(String table, String column, Duration maxAge) {
    return new FreshWithin(table, column, maxAge);
  }

  /** No row references a parent row that does not exist, for every foreign key. */
  static Expectation noOrphanedForeignKeys() {
    return new NoOrphanedForeignKeys();
  }

  /** @param description shown in the check's line; @param query the query */
  record QueryIsTrue(String description, String query) implements Expectation {
    public QueryIsTrue {
      Objects.requireNonNull(query, "query");
      description = description == null || description.isBlank() ? query : description;
    }
  }

  /** @param table the table, optionally schema-qualified; @param column a timestamp column; @param maxAge the RPO */
  record FreshWithin(String table, String column, Duration maxAge) implements Expectation {
    public FreshWithin {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(column, "column");
      Objects.requireNonNull(maxAge, "maxAge");
    }
  }

  /** Every foreign key of the destination is satisfied. */
  record NoOrphanedForeignKeys() implements Expectation {}
}
