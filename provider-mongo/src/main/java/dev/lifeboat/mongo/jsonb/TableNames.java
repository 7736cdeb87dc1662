package dev.lifeboat.mongo.jsonb;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Derives PostgreSQL table names from MongoDB collection names for a JSONB standby. A name is kept
 * as it is (it is always quoted, so dots, spaces, capitals and quotes are safe) unless it is longer
 * than PostgreSQL's 63-byte limit: then it is cut at a character boundary and ends with {@code _}
 * and 8 hex digits of its SHA-256. Clashes (two names cut to the same text) are resolved in sorted
 * order of the collection names by adding {@code _2}, {@code _3}…, so the same set of names always
 * yields the same tables.
 */
public final class TableNames {
  /** PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes. */
  public static final int MAX_BYTES = 63;

  private TableNames() {}

  /** The table name of each collection, for the whole set of collections of one database. */
  public static Map<String, String> derive(List<String> collections) {
    Map<String, String> out = new LinkedHashMap<>();
    Set<String> used = new HashSet<>();
    for (String name : new TreeSet<>(collections)) {
      String candidate = shorten(name);
      int n = 2;
      while (used.contains(candidate)) {
        String suffix = "_" + n++;
        candidate = cut(shorten(name), MAX_BYTES - suffix.length()) + suffix;
      }
      used.add(candidate);
      out.put(name, candidate);
    }
    return out;
  }

  private static String shorten(String name) {
    if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
      return name;
    }
    String hash = "_" + HexFormat.of().formatHex(sha256(name)).substring(0, 8);
    return cut(name, MAX_BYTES - hash.length()) + hash;
  }

  /** The longest prefix of {@code s} of at most {@code maxBytes} UTF-8 bytes, not splitting a character. */
  private static String cut(String s, int maxBytes) {
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + len > maxBytes) {
        break;
      }
      bytes += len;
      i += Character.charCount(cp);
    }
    return s.substring(0, i);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
