package dev.lifeboat;


/** Formats byte counts for people: the one byte formatter of the library and the command line. */
public final class Sizes {
  private Sizes() {}

  /** {@code 512 B}, {@code 1.5 MiB}, {@code 2.0 GiB}: binary units, one decimal. */
  public static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    // One decimal, rounded half up as %.1f does; without Formatter, whose pattern parsing is a
    // noticeable part of a cold 'lifeboat list'.
    long tenths = Math.round(v * 10);
    return tenths / 10 + "." + tenths % 10 + " " + units[u];
  }
}
