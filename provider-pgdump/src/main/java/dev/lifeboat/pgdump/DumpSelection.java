package dev.lifeboat.pgdump;

import dev.lifeboat.DumpOptions;
import dev.lifeboat.postgres.PgCatalog;
import dev.lifeboat.postgres.Sql;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which relations a dump holds, decided the way pg_dump decides it from {@code -n}, {@code -N},
 * {@code -t} and {@code -T}: table patterns, when given, select tables regardless of schema
 * patterns; unqualified table patterns match relations the default search path finds; patterns
 * follow psql's rules ({@code *}, {@code ?}, double quotes keep case and wildcards literal).
 */
final class DumpSelection {
  private final List<Pattern> includeSchemas;
  private final List<Pattern> excludeSchemas;
  private final List<Pattern[]> includeTables;
  private final List<Pattern[]> excludeTables;

  DumpSelection(DumpOptions options) {
    includeSchemas = options.includeSchemas().stream().map(DumpSelection::namePattern).toList();
    excludeSchemas = options.excludeSchemas().stream().map(DumpSelection::namePattern).toList();
    includeTables = options.includeTables().stream().map(DumpSelection::qualifiedPattern).toList();
    excludeTables = options.excludeTables().stream().map(DumpSelection::qualifiedPattern).toList();
  }

  boolean includes(PgCatalog.Relation r) {
    boolean in;
    if (!includeTables.isEmpty()) {
      in = includeTables.stream().anyMatch(p -> matches(p, r));
    } else {
      in = (includeSchemas.isEmpty() || includeSchemas.stream().anyMatch(p -> p.matcher(r.schema()).matches()))
          && excludeSchemas.stream().noneMatch(p -> p.matcher(r.schema()).matches());
    }
    return in && excludeTables.stream().noneMatch(p -> matches(p, r));
  }

  private static boolean matches(Pattern[] p, PgCatalog.Relation r) {
    if (p[0] == null) {
      return r.visible() && p[1].matcher(r.name()).matches();
    }
    return p[0].matcher(r.schema()).matches() && p[1].matcher(r.name()).matches();
  }

  private static Pattern namePattern(String text) {
    return Pattern.compile(Sql.patternRegex(text, false)[1]);
  }

  private static Pattern[] qualifiedPattern(String text) {
    String[] parts = Sql.patternRegex(text, true);
    return new Pattern[] {parts[0] == null ? null : Pattern.compile(parts[0]), Pattern.compile(parts[1])};
  }
}
