package dev.lifeboat.pgdump;

import dev.lifeboat.InventoryItem;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the entries of a {@code pg_restore --list} table of contents that restore some tables:
 * their schema (when the destination lacks it), definition, data, column defaults, constraints
 * other than foreign keys, indexes, and the sequences named after them ({@code table_column_seq},
 * as serial and identity columns name theirs). Unlike {@code pg_restore -t}, names are matched
 * with their schema.
 */
final class TocSelection {
  private static final Pattern ENTRY = Pattern.compile("^\\d+; \\d+ \\d+ (.*)$");

  private TocSelection() {}

  /**
   * The lines to pass to {@code pg_restore --use-list}.
   *
   * @param toc the table of contents
   * @param items the tables to restore
   * @param existingSchemas schemas the destination already has (their CREATE is left out)
   */
  static List<String> select(List<String> toc, List<InventoryItem> items, java.util.Set<String> existingSchemas) {
    List<String> out = new ArrayList<>();
    for (String line : toc) {
      Matcher m = ENTRY.matcher(line);
      if (m.matches() && wanted(m.group(1), items, existingSchemas)) {
        out.add(line);
      }
    }
    return out;
  }

  private static boolean wanted(String rest, List<InventoryItem> items, java.util.Set<String> existingSchemas) {
    for (InventoryItem i : items) {
      String s = i.namespace();
      String n = i.name();
      if (!existingSchemas.contains(s) && singleOwner(rest, "SCHEMA - " + s + " ")) {
        return true;
      }
      if (singleOwner(rest, "TABLE " + s + " " + n + " ") || singleOwner(rest, "TABLE DATA " + s + " " + n + " ")
          || singleOwner(rest, "MATERIALIZED VIEW " + s + " " + n + " ")
          || singleOwner(rest, "MATERIALIZED VIEW DATA " + s + " " + n + " ")) {
        return true;
      }
      for (String desc : List.of("DEFAULT ", "CONSTRAINT ", "CHECK CONSTRAINT ")) {
        String prefix = desc + s + " " + n + " ";
        if (rest.startsWith(prefix) && rest.substring(prefix.length()).contains(" ")) {
          return true;
        }
      }
      for (String idx : i.indexes()) {
        if (singleOwner(rest, "INDEX " + s + " " + idx + " ")) {
          return true;
        }
      }
      for (String desc : List.of("SEQUENCE ", "SEQUENCE OWNED BY ", "SEQUENCE SET ")) {
        String prefix = desc + s + " " + n + "_";
        if (rest.startsWith(prefix)) {
          String tail = rest.substring(prefix.length());
          int space = tail.indexOf(' ');
          if (space >= 0 && tail.substring(0, space).endsWith("_seq") && !tail.substring(space + 1).contains(" ")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** {@code rest} is {@code prefix} followed by an owner name (one word, possibly empty). */
  private static boolean singleOwner(String rest, String prefix) {
    return rest.startsWith(prefix) && !rest.substring(prefix.length()).contains(" ");
  }
}
