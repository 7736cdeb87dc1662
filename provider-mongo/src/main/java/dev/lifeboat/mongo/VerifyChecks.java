package dev.lifeboat.mongo;

import dev.lifeboat.Check;
import java.time.Duration;
import java.time.Instant;

/** The checks the MongoDB and JSONB standby verifiers word alike. */
final class VerifyChecks {
  private VerifyChecks() {}

  /** {@code count <name>}: passes when {@code found} equals the manifest's {@code expected}. */
  static Check count(String name, long expected, long found, String unit) {
    return found == expected
        ? Check.passed("count " + name, found + " " + unit)
        : Check.failed("count " + name, "expected " + expected + ", found " + found);
  }

  /** {@code fresh <table>.<column>}: passes when the newest value is at most {@code maxAge} old at {@code now}. */
  static Check fresh(String table, String column, Instant latest, Instant now, Duration maxAge) {
    String name = "fresh " + table + "." + column;
    if (latest == null) {
      return Check.failed(name, "no date value in " + table + "." + column);
    }
    Duration age = Duration.between(latest, now);
    return age.compareTo(maxAge) <= 0
        ? Check.passed(name, "newest " + latest + ", " + age + " old")
        : Check.failed(name, "newest " + latest + " is " + age + " old, more than " + maxAge);
  }

  /** Foreign keys do not exist in the destination, so none can be orphaned. */
  static Check noForeignKeys(String why) {
    return Check.passed("no orphaned foreign keys", why);
  }
}
