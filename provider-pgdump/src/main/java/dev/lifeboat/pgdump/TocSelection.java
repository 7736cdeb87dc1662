package dev.lifeboat.pgdump;

import dev.lifeboat.InventoryItem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks the entries of a {@code pg_restore --list} table of contents that restore some tables:
 * their schema (when the destination lacks it), definition, data, column defaults, constraints
 * other than foreign keys, indexes, and the sequences they own. Unlike {@code pg_restore -t},
 * names are matched with their schema.
 *
 * <p>With a {@code --verbose} listing, owned sequences are found by their dependency on the table;
 * without one, by pg_dump's naming ({@code table_column_seq}). The dependencies also tell which
 * objects the selected entries need but the selection leaves out ({@link #missing}).
 */
final class TocSelection {
  /** Kinds of objects that a table, default, index or constraint cannot be created without. */
  private static final Set<String> NEEDED_KINDS = Set.of("TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE",
      "SEQUENCE", "TYPE", "SHELL TYPE", "DOMAIN", "FUNCTION", "PROCEDURE", "AGGREGATE", "COLLATION", "EXTENSION",
      "OPERATOR", "OPERATOR CLASS", "OPERATOR FAMILY", "TEXT SEARCH CONFIGURATION", "TEXT SEARCH DICTIONARY", "SERVER",
      "CONVERSION");

  private TocSelection() {}

  /**
   * The lines to pass to {@code pg_restore --use-list}.
   *
   * @param toc the table of contents
   * @param items the tables to restore
   * @param existingSchemas schemas the destination already has (their CREATE is left out)
   */
  static List<String> select(List<String> toc, List<InventoryItem> items, Set<String> existingSchemas) {
    return entries(Toc.parse(toc), items, existingSchemas).stream().map(Toc.Entry::line).toList();
  }

  /** The selected entries, in the archive's order. */
  static List<Toc.Entry> entries(Toc toc, List<InventoryItem> items, Set<String> existingSchemas) {
    Set<Integer> chosen = new HashSet<>();
    for (Toc.Entry e : toc.entries()) {
      if (wanted(e.text(), items, existingSchemas, !toc.hasDependencies())) {
        chosen.add(e.id());
      }
    }
    if (toc.hasDependencies()) {
      // A sequence a selected table owns depends on it; its OWNED BY and SET entries depend on the sequence.
      Set<Integer> sequences = new HashSet<>();
      for (Toc.Entry e : toc.entries()) {
        if (e.kind().equals("SEQUENCE") && e.dependsOn().stream().anyMatch(d -> chosen.contains(d) && isTable(toc, d))) {
          sequences.add(e.id());
        }
      }
      chosen.addAll(sequences);
      for (Toc.Entry e : toc.entries()) {
        if ((e.kind().equals("SEQUENCE OWNED BY") || e.kind().equals("SEQUENCE SET"))
            && e.dependsOn().stream().anyMatch(sequences::contains)) {
          chosen.add(e.id());
        }
      }
    }
    return toc.entries().stream().filter(e -> chosen.contains(e.id())).toList();
  }

  private static boolean isTable(Toc toc, int id) {
    return toc.entry(id).map(t -> t.kind().equals("TABLE")).orElse(false);
  }

  /**
   * Objects the selected entries depend on that the selection leaves out and that a restore
   * cannot do without (types, functions, sequences, other tables...), in the archive's order.
   * A partition does not need its parent: pg_dump creates it alone and attaches it in a separate
   * entry. Empty when the listing carries no dependencies.
   */
  static List<Toc.Entry> missing(Toc toc, List<Toc.Entry> selected) {
    Set<Integer> ids = new HashSet<>();
    selected.forEach(e -> ids.add(e.id()));
    Map<Integer, Toc.Entry> out = new LinkedHashMap<>();
    for (Toc.Entry e : selected) {
      for (int d : e.dependsOn()) {
        if (ids.contains(d)) {
          continue;
        }
        toc.entry(d).filter(dep -> NEEDED_KINDS.contains(dep.kind()) && !isPartitionParent(toc, e, dep))
            .ifPresent(dep -> out.put(dep.id(), dep));
      }
    }
    List<Toc.Entry> sorted = new ArrayList<>(out.values());
    sorted.sort(java.util.Comparator.comparingInt(toc.entries()::indexOf));
    return sorted;
  }

  private static boolean isPartitionParent(Toc toc, Toc.Entry table, Toc.Entry parent) {
    if (!table.kind().equals("TABLE") || !parent.kind().equals("TABLE")) {
      return false;
    }
    String attach = "TABLE ATTACH " + table.text().substring("TABLE ".length());
    return toc.entries().stream().anyMatch(a -> a.text().equals(attach) && a.dependsOn().contains(parent.id()));
  }

  private static boolean wanted(String rest, List<InventoryItem> items, Set<String> existingSchemas, boolean sequencesByName) {
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
      if (sequencesByName && ownedSequenceByName(rest, s, n)) {
        return true;
      }
    }
    return false;
  }

  /** pg_dump names the sequence of a serial or identity column {@code table_column_seq}. */
  private static boolean ownedSequenceByName(String rest, String s, String n) {
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
    return false;
  }

  /** {@code rest} is {@code prefix} followed by an owner name (one word, possibly empty). */
  private static boolean singleOwner(String rest, String prefix) {
    return rest.startsWith(prefix) && !rest.substring(prefix.length()).contains(" ");
  }
}
