package dev.lifeboat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Snapshot ids: {@code 20261121T184512.123Z-9f3ac2e1}. The UTC time first, so ids sort by time as
 * plain strings; eight random hex digits after it, so two backups in the same millisecond (in one
 * process or in two) do not collide.
 */
public final class SnapshotIds {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern FORMAT = Pattern.compile("\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f]{8}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private SnapshotIds() {}

  /** A new id for the clock's current instant. */
  public static String next(Clock clock) {
    return next(clock.instant());
  }

  /** A new id for {@code instant}. */
  public static String next(Instant instant) {
    byte[] suffix = new byte[4];
    RANDOM.nextBytes(suffix);
    return TIME.format(instant) + "-" + HexFormat.of().formatHex(suffix);
  }

  /** The UTC instant at the start of an id, or empty when {@code id} is not a snapshot id. */
  public static Optional<Instant> timeOf(String id) {
    if (!isValid(id)) {
      return Optional.empty();
    }
    return Optional.of(Instant.from(TIME.parse(id.substring(0, id.indexOf('-')))));
  }

  /** Whether {@code text} has the form of a snapshot id. */
  public static boolean isValid(String text) {
    return text != null && FORMAT.matcher(text).matches();
  }
}
