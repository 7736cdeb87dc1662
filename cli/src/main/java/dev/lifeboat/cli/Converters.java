package dev.lifeboat.cli;

import dev.lifeboat.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsers for the option values the commands share: UTC instants, durations and bounded whole numbers. */
final class Converters {
  /** The most parallel workers {@code --jobs} asks for: more only queue on the server's cores. */
  static final int MAX_JOBS = 64;
  /** The longest duration an option takes (100 years): beyond it, instants overflow. */
  static final Duration MAX_DURATION = Duration.ofDays(36_500);

  private static final Pattern UTC_INSTANT =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?Z");

  private Converters() {}

  /** An ISO-8601 instant in UTC, e.g. {@code 2026-11-21T10:00:00Z}. */
  static Instant instant(String text) {
    String t = text.trim();
    if (UTC_INSTANT.matcher(t).matches()) {
      try {
        return Instant.parse(t.length() == 17 ? t.substring(0, 16) + ":00Z" : t);
      } catch (DateTimeParseException e) {
        // falls through to the message below: a well-formed but impossible date such as month 13
      }
    }
    throw new TypeConversionException("'" + text + "' is not a UTC instant. Write it in ISO-8601 with a Z, "
        + "e.g. 2026-11-21T10:00:00Z.");
  }

  /**
   * A positive duration of at most {@link #MAX_DURATION}, in any form {@link Durations} reads
   * ({@code PT2H}, {@code 2h}, {@code 30m}, {@code 7d}, {@code 1h30m}, {@code 45s}, {@code 2w}), the
   * same forms provider settings take.
   */
  static Duration duration(String text) {
    return positive(Durations.parse(text).orElseThrow(() -> badDuration(text)), text);
  }

  private static Duration positive(Duration d, String text) {
    if (d.isNegative() || d.isZero()) {
      throw mustBeMoreThanZero(text);
    }
    if (d.compareTo(MAX_DURATION) > 0) {
      throw tooLong(text);
    }
    return d;
  }

  private static TypeConversionException tooLong(String text) {
    return new TypeConversionException("'" + text + "' is longer than the allowed 36500d (100 years).");
  }

  /** A whole number from {@code min} to {@code max}; the error names the range. */
  static int intInRange(String text, int min, int max) {
    String t = text.trim();
    long n;
    try {
      n = Long.parseLong(t);
    } catch (NumberFormatException e) {
      if (t.matches("[+-]?\\d+")) {
        n = t.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
      } else {
        throw new TypeConversionException("'" + text + "' is not a whole number; use " + min + " to " + max + ".");
      }
    }
    if (n < min || n > max) {
      throw new TypeConversionException(text + " is out of range; use " + min + " to " + max + ".");
    }
    return (int) n;
  }

  /**
   * A retention count: a whole number, 0 for none or -1 for every period. Said in these words
   * rather than picocli's "is not an int", which names neither the range nor -1.
   */
  static int keepCount(String text) {
    String t = text.trim();
    if (!t.matches("[+-]?\\d+")) {
      throw new TypeConversionException("'" + text + "' is not a count; use a whole number such as 7 (0 for none, -1 for all).");
    }
    long n;
    try {
      n = Long.parseLong(t);
    } catch (NumberFormatException e) {
      n = t.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    if (n < -1 || n > Integer.MAX_VALUE) {
      throw new TypeConversionException(text + " is out of range; use -1 (all) to " + Integer.MAX_VALUE + ".");
    }
    return (int) n;
  }

  private static TypeConversionException mustBeMoreThanZero(String text) {
    return new TypeConversionException("'" + text + "' is not more than zero; a duration must be more than zero, e.g. 30m, 2h, 7d or PT2H.");
  }

  /**
   * Why {@code text} is not a duration: a zero or a negative number said so (whatever its unit, it
   * would not be more than zero), a number too large to be read that it is too long, a bare number
   * that it needs a unit, anything else the forms to use.
   */
  private static TypeConversionException badDuration(String text) {
    String t = text == null ? "" : text.strip();
    if (t.matches("[+-]?0+") || t.matches("(?i)-\\s*\\d+\\s*(ms|s|m|h|d|w)?")) {
      return mustBeMoreThanZero(text);
    }
    if (t.matches("(?i)\\+?(\\d+\\s*(ms|s|m|h|d|w)\\s*)+") || t.matches("(?i)\\+?P(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?")
        && t.length() > 2) {
      // Written as a duration, but too large to be one (it overflows).
      return tooLong(text);
    }
    if (t.matches("\\+?\\d+")) {
      return new TypeConversionException("'" + text + "' has no unit; write e.g. " + t.replace("+", "") + "m, " + t.replace("+", "") + "h or "
          + t.replace("+", "") + "d.");
    }
    return new TypeConversionException("'" + text + "' is not a duration; use " + Durations.ACCEPTED_FORMS + " (more than zero, at most 36500d).");
  }

  /** picocli converter for {@link Instant} options. */
  static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      return instant(value);
    }
  }

  /** picocli converter for {@link Duration} options. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return duration(value);
    }
  }

  /** {@code --jobs}: 1 to {@value #MAX_JOBS}. */
  static final class JobsConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return intInRange(value, 1, MAX_JOBS);
    }
  }

  /** {@code prune --keep-last} and the other counts of periods to keep: -1 (all) and up. */
  static final class KeepCountConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return keepCount(value);
    }
  }

  /** {@code demo --rows}: 1 to {@value DemoData#MAX_ORDERS}. */
  static final class DemoRowsConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return intInRange(value, 1, DemoData.MAX_ORDERS);
    }
  }
}
