package dev.lifeboat.postgres;

/** Quoting of PostgreSQL identifiers and literals for statements that cannot take parameters. */
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
    StringBuilder part = new StringBuilder();
    String schema = null;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          part.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == '.' && !quoted && schema == null) {
        schema = part.toString();
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    return new String[] {schema, part.toString()};
  }
}
