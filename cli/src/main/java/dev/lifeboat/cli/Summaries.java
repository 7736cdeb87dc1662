package dev.lifeboat.cli;

import dev.lifeboat.Check;
import dev.lifeboat.Compression;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Redactor;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.Verification;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The lines the commands print about snapshots, restores and verifications, with every count in
 * the right number ("1 snapshot", "2 snapshots").
 */
final class Summaries {
  /**
   * Nouns that checks written by providers put after a count, and their singular; a detail such
   * as "1 indexes" is printed as "1 index".
   */
  private static final Map<String, String> SINGULAR = Map.ofEntries(
      Map.entry("rows", "row"), Map.entry("indexes", "index"), Map.entry("objects", "object"),
      Map.entry("columns", "column"), Map.entry("checks", "check"), Map.entry("snapshots", "snapshot"),
      Map.entry("branches", "branch"), Map.entry("documents", "document"), Map.entry("namespaces", "namespace"),
      Map.entry("collections", "collection"), Map.entry("tables", "table"), Map.entry("bytes", "byte"));
  private static final Pattern ONE_PLURAL = Pattern.compile(
      "(?<![\\d.,])\\b1 (" + String.join("|", SINGULAR.keySet()) + ")\\b");

  /** The restore detail naming the branch that keeps what an in-place restore replaced (Neon). */
  static final String PRESERVED_AS = "preservedAs";

  private Summaries() {}

  /**
   * A location as given on the command line, fit to print: its password cut out as the location
   * reads it (also one typed with spaces), secret parameters masked.
   */
  static String location(String text) {
    try {
      return Redactor.redact(Location.parse(text).redacted());
    } catch (RuntimeException e) {
      return Redactor.redact(text);
    }
  }

  /** {@code 1 snapshot}, {@code 0 snapshots}, {@code 2 snapshots}. */
  static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** One line: id, format, size, objects and rows, labels; or id and what is wrong with it. */
  static String snapshot(Snapshot s) {
    Manifest m = s.manifest();
    if (s.isDamaged()) {
      return m.id() + "  DAMAGED: " + s.damage();
    }
    return m.id() + "  " + format(m) + "  " + Table.bytes(m.size())
        + "  " + count(m.inventory().items().size(), "object", "objects")
        + ", " + count(m.inventory().totalCount(), "row", "rows")
        + (m.labels().isEmpty() ? "" : "  " + m.labels());
  }

  /** {@code pg-custom+zstd}: the format and the compression around it ({@code +encrypted} when encrypted). */
  static String format(Manifest m) {
    return m.format() + (m.compression() == Compression.NONE ? "" : "+" + m.compression().name().toLowerCase(Locale.ROOT))
        + (dev.lifeboat.crypto.Encryption.isEncrypted(m) ? "+encrypted" : "");
  }

  /** The restore's headline, then the verification when there was one. */
  static String restore(RestoreResult r) {
    String head = "RESTORED  snapshot " + r.snapshotId() + " into " + r.destination()
        + "  (" + count(r.restored().size(), "object", "objects") + ", " + r.elapsed().toMillis() + " ms)";
    // An in-place restore of a branch keeps what it replaced under a new name; without that name
    // on screen the way back is lost among the project's branches.
    String preserved = r.details().get(PRESERVED_AS);
    String lines = preserved == null || preserved.isBlank() ? head
        : head + System.lineSeparator() + "  previous state kept as branch " + preserved;
    return r.verified().map(v -> lines + System.lineSeparator() + verification(v)).orElse(lines);
  }

  /** A headline and one line per check. */
  static String verification(Verification v) {
    String head = (v.passed() ? "VERIFIED" : "FAILED") + "  snapshot " + v.snapshotId() + " against " + v.subject()
        + "  (" + count(v.checks().size(), "check", "checks") + ", " + v.failures().size() + " failed)";
    return head + System.lineSeparator()
        + v.checks().stream().map(c -> "  " + check(c)).collect(Collectors.joining(System.lineSeparator()));
  }

  static String check(Check c) {
    String mark = c.status() == Check.Status.PASSED ? "PASS" : c.status() == Check.Status.FAILED ? "FAIL" : "SKIP";
    return mark + "  " + c.name() + (c.detail().isEmpty() ? "" : "  " + singularAfterOne(c.detail()));
  }

  /** {@code text} with a plural noun right after a lone {@code 1} in the singular. */
  static String singularAfterOne(String text) {
    Matcher m = ONE_PLURAL.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, "1 " + SINGULAR.get(m.group(1)));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
