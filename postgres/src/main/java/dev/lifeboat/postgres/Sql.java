package dev.lifeboat.postgres;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Quoting of PostgreSQL identifiers and literals for statements that cannot take parameters, and
 * reading of qualified names and psql name patterns.
 */
public final class Sql {
  private Sql() {}

  /** A double-quoted identifier: any name, including quoted, mixed-case and non-ASCII ones. */
  public static String ident(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** {@code "schema"."name"}, or just the quoted name without a schema. */
  public static String qualified(String schema, String name) {
    return schema == null || schema.isEmpty() ? ident(name) : ident(schema) + "." + ident(name);
  }

  /** An escape-string literal, correct whatever {@code standard_conforming_strings} says. */
  public static String literal(String value) {
    return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  /**
   * Splits {@code schema.table} (each part optionally double-quoted) into its two parts; a name
   * without a schema gives {@code null} as the schema. Unquoted parts are taken as written.
   */
  public static String[] splitQualified(String text) {
    return split(text, true, (c, quoted) -> String.valueOf(c));
  }

  /**
   * A psql pattern ({@code \dt}, pg_dump's {@code -n} and {@code -t}) as regular expressions:
   * {@code *} any characters, {@code ?} one, unquoted letters folded to lower case, double quotes
   * keeping case and wildcards literal ({@code ""} inside them is one quote).
   *
   * @param qualified whether a dot separates a schema pattern from a name pattern
   * @return {schema regex or {@code null}, name regex}
   */
  public static String[] patternRegex(String pattern, boolean qualified) {
    return split(pattern, qualified, (c, quoted) -> {
      if (!quoted && c == '*') {
        return ".*";
      }
      if (!quoted && c == '?') {
        return ".";
      }
      return Pattern.quote(quoted ? String.valueOf(c) : String.valueOf(c).toLowerCase(Locale.ROOT));
    });
  }

  /** What one character of a name becomes, inside double quotes or not. */
  @FunctionalInterface
  private interface NameChar {
    String of(char c, boolean quoted);
  }

  /** Splits at the first unquoted dot (when {@code qualified}), mapping every other character but quoting. */
  private static String[] split(String text, boolean qualified, NameChar map) {
    StringBuilder part = new StringBuilder();
    String schema = null;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          part.append(map.of('"', true));
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == '.' && !quoted && qualified && schema == null) {
        schema = part.toString();
        part.setLength(0);
      } else {
        part.append(map.of(c, quoted));
      }
    }
    return new String[] {schema, part.toString()};
  }
}
