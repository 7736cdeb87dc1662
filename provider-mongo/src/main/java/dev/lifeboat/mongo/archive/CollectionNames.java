package dev.lifeboat.mongo.archive;

import java.util.regex.Pattern;

/** Rules about collection names that backups, restores and verifications of archives apply alike. */
public final class CollectionNames {
  private CollectionNames() {}

  /** Collections mongodump leaves out too: system collections but system.js, and names with {@code $}. */
  public static boolean skipped(String name) {
    if (name.contains("$")) {
      return true;
    }
    return name.startsWith("system.") && !name.equals("system.js");
  }

  /** A name pattern: {@code *} any characters, {@code ?} one; everything else literal. */
  public static Pattern glob(String pattern) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
