package dev.lifeboat.pgdump;

import dev.lifeboat.postgres.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the rows of each table in the SQL script {@code pg_restore} writes from an archive (no
 * {@code --dbname}): each table's data is a {@code COPY … FROM stdin;} block, one line per row,
 * ended by a line {@code \.}, right after a {@code -- Data for Name: …; Type: TABLE DATA} header.
 * COPY's text format escapes newlines inside values, so lines are rows. Reads bytes, never
 * decoding the data, and holds at most one line of the script's statements in memory.
 */
final class ScriptRows {
  /** Statements longer than this are not data headers or COPY lines; their rest is skipped. */
  private static final int MAX_STATEMENT_LINE = 1 << 20;
  private static final String DATA_HEADER = "-- Data for Name: ";
  private static final String DATA_TYPE = "; Type: TABLE DATA; ";

  private enum State { SCRIPT, AFTER_DATA_HEADER, COPY }

  private final Map<String, Long> rows = new LinkedHashMap<>();
  private State state = State.SCRIPT;
  private String table;
  private long count;
  private final byte[] line = new byte[MAX_STATEMENT_LINE];
  private int length;
  private boolean truncated;

  private ScriptRows() {}

  /**
   * Reads the whole script.
   *
   * @return rows per table, keyed {@code schema.name} as in the manifest, in the script's order
   */
  static Map<String, Long> count(InputStream script) throws IOException {
    ScriptRows counter = new ScriptRows();
    byte[] buffer = new byte[1 << 16];
    int n;
    while ((n = script.read(buffer)) >= 0) {
      counter.accept(buffer, n);
    }
    if (counter.length > 0) {
      counter.endOfLine();
    }
    return counter.rows;
  }

  private void accept(byte[] buffer, int n) {
    for (int i = 0; i < n; i++) {
      byte b = buffer[i];
      if (b == '\n') {
        endOfLine();
      } else if (state == State.COPY) {
        // Only whether the line is exactly "\." matters: keep its first three bytes.
        if (length < 3) {
          line[length] = b;
        }
        length++;
      } else if (length < MAX_STATEMENT_LINE) {
        line[length++] = b;
      } else {
        truncated = true;
      }
    }
  }

  private void endOfLine() {
    switch (state) {
      case COPY -> {
        if (length == 2 && line[0] == '\\' && line[1] == '.') {
          rows.merge(table, count, Long::sum);
          state = State.SCRIPT;
        } else {
          count++;
        }
      }
      case SCRIPT -> {
        if (!truncated && startsWith(DATA_HEADER) && text().contains(DATA_TYPE)) {
          state = State.AFTER_DATA_HEADER;
        }
      }
      case AFTER_DATA_HEADER -> {
        String text = truncated ? "" : text();
        if (text.startsWith("COPY ") && text.endsWith(" FROM stdin;")) {
          table = copiedTable(text);
          count = 0;
          state = State.COPY;
        } else if (!text.isEmpty() && !text.startsWith("--")) {
          state = State.SCRIPT;
        }
      }
    }
    length = 0;
    truncated = false;
  }

  private boolean startsWith(String prefix) {
    if (length < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (line[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private String text() {
    return new String(line, 0, length, StandardCharsets.UTF_8);
  }

  /** {@code schema.name} of {@code COPY "Some Schema"."Table" (a, b) FROM stdin;}, quotes removed. */
  static String copiedTable(String copyLine) {
    String rest = copyLine.substring("COPY ".length());
    boolean quoted = false;
    int end = 0;
    while (end < rest.length() && (quoted || rest.charAt(end) != ' ')) {
      if (rest.charAt(end) == '"') {
        quoted = !quoted;
      }
      end++;
    }
    String[] parts = Sql.splitQualified(rest.substring(0, end));
    return parts[0] == null ? parts[1] : parts[0] + "." + parts[1];
  }
}
