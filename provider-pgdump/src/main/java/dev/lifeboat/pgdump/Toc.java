package dev.lifeboat.pgdump;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An archive's table of contents as {@code pg_restore --list} prints it: one line per entry,
 * {@code dumpId; tableoid oid DESC namespace tag owner}, and with {@code --verbose} a
 * {@code ;\tdepends on: ids} line after each entry that depends on others. Names may hold blanks,
 * so an entry is matched against names Lifeboat already knows rather than split blindly.
 */
final class Toc {
  private static final Pattern ENTRY = Pattern.compile("^(\\d+); \\d+ \\d+ (.*)$");
  private static final Pattern DEPENDS = Pattern.compile("^;\\s*depends on:(.*)$");
  /** The entry kinds pg_dump writes, longest first so that {@code TABLE DATA} is not read as {@code TABLE}. */
  private static final List<String> KINDS = List.of("MATERIALIZED VIEW DATA", "MATERIALIZED VIEW", "TABLE DATA",
      "TABLE ATTACH", "TABLE", "SEQUENCE OWNED BY", "SEQUENCE SET", "SEQUENCE", "FK CONSTRAINT", "CHECK CONSTRAINT",
      "CONSTRAINT", "DEFAULT ACL", "DEFAULT", "INDEX ATTACH", "INDEX", "FOREIGN TABLE", "FOREIGN DATA WRAPPER", "SERVER",
      "TEXT SEARCH CONFIGURATION", "TEXT SEARCH DICTIONARY", "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE",
      "OPERATOR CLASS", "OPERATOR FAMILY", "OPERATOR", "SHELL TYPE", "TYPE", "DOMAIN", "FUNCTION", "PROCEDURE",
      "AGGREGATE", "COLLATION", "CONVERSION", "EXTENSION", "SCHEMA", "VIEW", "EVENT TRIGGER", "TRIGGER", "RULE",
      "POLICY", "ROW SECURITY", "PUBLICATION TABLES IN SCHEMA", "PUBLICATION TABLE", "PUBLICATION", "SUBSCRIPTION",
      "CAST", "PROCEDURAL LANGUAGE", "ACCESS METHOD", "STATISTICS", "TRANSFORM", "USER MAPPING", "COMMENT",
      "SECURITY LABEL", "ACL", "BLOBS", "BLOB", "LARGE OBJECT", "DATABASE PROPERTIES", "DATABASE", "ENCODING",
      "STDSTRINGS", "SEARCHPATH").stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();

  /**
   * One entry.
   *
   * @param id its dump id
   * @param line the line as printed, for {@code --use-list}
   * @param text what follows the ids: {@code DESC namespace tag owner}
   * @param dependsOn the dump ids it depends on (empty without {@code --verbose})
   */
  record Entry(int id, String line, String text, List<Integer> dependsOn) {
    /** Its kind, e.g. {@code TABLE DATA}, or the first word when pg_dump wrote an unknown one. */
    String kind() {
      for (String k : KINDS) {
        if (text.startsWith(k + " ")) {
          return k;
        }
      }
      int space = text.indexOf(' ');
      return space < 0 ? text : text.substring(0, space);
    }

    /** Whether it is {@code kind} {@code schema} {@code name} followed by one owner word. */
    boolean is(String kind, String schema, String name) {
      String prefix = kind + " " + schema + " " + name + " ";
      return text.startsWith(prefix) && text.indexOf(' ', prefix.length()) < 0;
    }
  }

  /**
   * An entry's object by name.
   *
   * @param kind e.g. {@code TYPE}
   * @param schema its schema, or {@code null} for objects outside schemas (extensions)
   * @param tag its name as pg_dump writes it: a bare name, or {@code name(argument types)} for routines
   */
  record Name(String kind, String schema, String tag) {
    /** {@code type shop.order_status}. */
    @Override
    public String toString() {
      return kind.toLowerCase(java.util.Locale.ROOT) + " " + (schema == null ? tag : schema + "." + tag);
    }
  }

  private final List<Entry> entries;
  private final Map<Integer, Entry> byId = new HashMap<>();
  private final boolean withDependencies;

  private Toc(List<Entry> entries, boolean withDependencies) {
    this.entries = List.copyOf(entries);
    this.withDependencies = withDependencies;
    this.entries.forEach(e -> byId.put(e.id(), e));
  }

  /** Parses the lines of {@code pg_restore --list [--verbose]}. */
  static Toc parse(List<String> lines) {
    List<Entry> entries = new ArrayList<>();
    boolean dependencies = false;
    for (String line : lines) {
      Matcher m = ENTRY.matcher(line);
      if (m.matches()) {
        entries.add(new Entry(Integer.parseInt(m.group(1)), line, m.group(2), new ArrayList<>()));
        continue;
      }
      Matcher d = DEPENDS.matcher(line);
      if (d.matches() && !entries.isEmpty()) {
        dependencies = true;
        for (String id : d.group(1).trim().split("\\s+")) {
          if (!id.isEmpty()) {
            entries.get(entries.size() - 1).dependsOn().add(Integer.parseInt(id));
          }
        }
      }
    }
    List<Entry> frozen = entries.stream().map(e -> new Entry(e.id(), e.line(), e.text(), List.copyOf(e.dependsOn()))).toList();
    return new Toc(frozen, dependencies);
  }

  List<Entry> entries() {
    return entries;
  }

  Optional<Entry> entry(int id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Whether the listing carried dependencies ({@code --verbose}). */
  boolean hasDependencies() {
    return withDependencies;
  }

  /** Whether an entry is {@code kind schema name owner}. */
  boolean has(String kind, String schema, String name) {
    return entries.stream().anyMatch(e -> e.is(kind, schema, name));
  }

  /** Whether a routine entry ({@code FUNCTION}, {@code PROCEDURE}, {@code AGGREGATE}) of that name exists, any arguments. */
  boolean hasRoutine(String kind, String schema, String name) {
    String prefix = kind + " " + schema + " " + name + "(";
    return entries.stream().anyMatch(e -> e.text().startsWith(prefix));
  }

  /** The schemas the archive creates, plus those every database has. */
  private Set<String> schemas() {
    Set<String> out = new HashSet<>(Set.of("public", "pg_catalog"));
    for (Entry e : entries) {
      if (e.text().startsWith("SCHEMA - ")) {
        String rest = e.text().substring("SCHEMA - ".length());
        int owner = rest.lastIndexOf(' ');
        out.add(owner < 0 ? rest : rest.substring(0, owner));
      }
    }
    return out;
  }

  /** The object an entry creates, by kind, schema and tag (its owner dropped). */
  Name name(Entry e) {
    String kind = e.kind();
    String rest = e.text().length() > kind.length() ? e.text().substring(kind.length() + 1) : "";
    int owner = rest.lastIndexOf(' ');
    String body = owner < 0 ? rest : rest.substring(0, owner);
    if (body.startsWith("- ")) {
      return new Name(kind, null, body.substring(2));
    }
    String schema = schemas().stream().filter(s -> body.startsWith(s + " ")).max(Comparator.comparingInt(String::length))
        .orElse(null);
    if (schema == null) {
      int space = body.indexOf(' ');
      return space < 0 ? new Name(kind, null, body) : new Name(kind, body.substring(0, space), body.substring(space + 1));
    }
    return new Name(kind, schema, body.substring(schema.length() + 1));
  }

  /** Whether a {@code pg_restore --list} line creates extension {@code name} or comments on it. */
  static boolean createsExtension(String line, String name) {
    Matcher m = ENTRY.matcher(line);
    if (!m.matches()) {
      return false;
    }
    String text = m.group(2).trim();
    // The comment's tag quotes the name as SQL does ("uuid-ossp"); the extension's own tag does not.
    String quoted = dev.lifeboat.postgres.Sql.ident(name);
    for (String n : List.of(name, quoted)) {
      if (text.equals("EXTENSION - " + n) || text.startsWith("EXTENSION - " + n + " ")
          || text.equals("COMMENT - EXTENSION " + n) || text.startsWith("COMMENT - EXTENSION " + n + " ")) {
        return true;
      }
    }
    return false;
  }

  /** Whether a {@code pg_restore --list} line is the entry {@code DESC namespace tag} (its owner aside). */
  static boolean isEntry(String line, String entry) {
    Matcher m = ENTRY.matcher(line);
    if (!m.matches()) {
      return false;
    }
    String text = m.group(2).trim();
    // What may follow is the owner alone: "own" must not match the policy "own profile".
    return text.equals(entry) || text.startsWith(entry + " ") && !text.substring(entry.length() + 1).contains(" ");
  }
}
