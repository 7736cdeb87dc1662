package dev.lifeboat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reading of durations that users type, shared by command-line options and provider
 * settings so that a value accepted in one place is accepted everywhere: ISO-8601 ({@code PT2H},
 * {@code P7D}, {@code PT0.5S}) or short forms made of one or more number-unit parts with the units
 * {@code ms}, {@code s}, {@code m}, {@code h}, {@code d} and {@code w} ({@code 500ms}, {@code 90s},
 * {@code 30m}, {@code 2h}, {@code 7d}, {@code 2w}, {@code 1h30m}).
 *
 * <p>Range checks (positive, at most so much) belong to the caller, which knows what the value is for.
 */
public final class Durations {
  /** The accepted forms, for error messages. */
  public static final String ACCEPTED_FORMS = "a duration such as 500ms, 90s, 30m, 2h, 7d, 1h30m or ISO-8601 PT2H";

  private static final Pattern PART = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)\\s*");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @param text the text, e.g. {@code 1h30m} or {@code PT1H30M}; case and surrounding blanks do not matter
   * @return the duration, or empty when the text is not a duration in any accepted form (or overflows)
   */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    if (t.startsWith("p") || t.startsWith("-p") || t.startsWith("+p")) {
      try {
        return Optional.of(Duration.parse(t.toUpperCase(Locale.ROOT)));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    Matcher m = PART.matcher(t);
    Duration total = Duration.ZERO;
    int end = 0;
    try {
      while (end < t.length() && m.find(end) && m.start() == end) {
        total = total.plus(unit(Long.parseLong(m.group(1)), m.group(2)));
        end = m.end();
      }
    } catch (NumberFormatException | ArithmeticException tooLarge) {
      return Optional.empty();
    }
    return end == 0 || end != t.length() ? Optional.empty() : Optional.of(total);
  }

  private static Duration unit(long n, String unit) {
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofDays(Math.multiplyExact(n, 7L));
    };
  }

  /**
   * A duration as a person reads it: {@code 1h30m}, {@code 90s} is {@code 1m30s}, {@code 500ms};
   * zero is {@code 0s}. What {@link #parse} reads back to the same value (negative ones get a
   * leading {@code -} and are not read back).
   */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    StringBuilder sb = new StringBuilder();
    long days = d.toDays();
    if (days > 0) {
      sb.append(days).append('d');
    }
    if (d.toHoursPart() > 0) {
      sb.append(d.toHoursPart()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      sb.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      sb.append(d.toSecondsPart()).append('s');
    }
    if (d.toMillisPart() > 0) {
      sb.append(d.toMillisPart()).append("ms");
    }
    return sb.length() == 0 ? d.toString() : sb.toString();
  }

  /**
   * The wait an HTTP {@code Retry-After} header asks for: a number of seconds or an HTTP date (a
   * date already past is no wait); empty when the header is absent or unreadable, and the caller's
   * own backoff decides. The one reading of this header for every HTTP client in Lifeboat.
   */
  public static Optional<Duration> retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.strip();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration d = Duration.between(Instant.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }
}
