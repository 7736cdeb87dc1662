package dev.lifeboat.mongo.archive;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MongoDB server version as mongorestore reads it: {@code major.minor.patch}, ignoring whatever
 * follows the first {@code -} or {@code +}. Anything else counts as older than every release.
 */
public record ServerVersion(int major, int minor, int patch, boolean parsed) {
  private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)$");

  /** Parses {@code text}; anything that is not a release number gives an unparsed version. */
  public static ServerVersion parse(String text) {
    if (text == null) {
      return new ServerVersion(0, 0, 0, false);
    }
    String core = text.split("[-+]", 2)[0];
    Matcher m = VERSION.matcher(core);
    if (!m.matches()) {
      return new ServerVersion(0, 0, 0, false);
    }
    try {
      return new ServerVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), true);
    } catch (NumberFormatException e) {
      return new ServerVersion(0, 0, 0, false);
    }
  }

  /** Whether this is a release at least {@code wantMajor.wantMinor}. */
  public boolean atLeast(int wantMajor, int wantMinor) {
    return parsed && (major > wantMajor || (major == wantMajor && minor >= wantMinor));
  }
}
