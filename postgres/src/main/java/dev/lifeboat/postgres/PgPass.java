package dev.lifeboat.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a libpq password file ({@code ~/.pgpass}): lines of
 * {@code hostname:port:database:username:password}, {@code *} matching anything, {@code \:} and
 * {@code \\} escaping, {@code #} starting a comment; the first matching line wins. As libpq does, a
 * file that others may read is ignored with a warning.
 */
public final class PgPass {
  private static final Logger LOG = LoggerFactory.getLogger(PgPass.class);

  private final List<List<String>> entries;

  private PgPass(List<List<String>> entries) {
    this.entries = entries;
  }

  /** Parses the text of a password file. */
  public static PgPass parse(String text) {
    List<List<String>> entries = new ArrayList<>();
    for (String line : text.split("\r?\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> fields = fields(line);
      if (fields.size() == 5) {
        entries.add(fields);
      }
    }
    return new PgPass(List.copyOf(entries));
  }

  /** Reads a password file; empty when it is missing, unreadable or readable by others. */
  public static Optional<PgPass> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
        LOG.warn("Password file {} has group or world access; ignoring it as libpq does. Run: chmod 0600 {}", file, file);
        return Optional.empty();
      }
    } catch (UnsupportedOperationException | IOException e) {
      // No POSIX permissions on this file system: libpq does not check them either.
    }
    try {
      return Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      LOG.warn("Cannot read password file {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  /** The password of the first entry that matches, if any. */
  public Optional<String> find(String host, int port, String database, String user) {
    String[] wanted = {host, Integer.toString(port), database, user};
    for (List<String> e : entries) {
      boolean match = true;
      for (int i = 0; i < 4 && match; i++) {
        match = e.get(i) == null || e.get(i).equals(wanted[i]);
      }
      if (match) {
        return Optional.of(e.get(4));
      }
    }
    return Optional.empty();
  }

  /** The five fields, unescaped; {@code null} stands for an unescaped {@code *} (any value). */
  private static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean escaped = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        field.append(line.charAt(++i));
        escaped = true;
      } else if (c == ':' && out.size() < 4) {
        out.add(!escaped && field.toString().equals("*") ? null : field.toString());
        field.setLength(0);
        escaped = false;
      } else {
        field.append(c);
      }
    }
    out.add(field.toString());
    return java.util.Collections.unmodifiableList(out);
  }
}
