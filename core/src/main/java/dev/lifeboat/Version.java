package dev.lifeboat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Lifeboat's own version, read from the build. */
public final class Version {
  private static final String VERSION = load();

  private Version() {}

  /** The version of this Lifeboat build, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String current() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("/dev/lifeboat/version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }
}
