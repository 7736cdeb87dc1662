package dev.lifeboat.junit;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the databases one test run makes: {@code lifeboat_tpl_<run>_<n>} for templates and
 * {@code lifeboat_t_<run>_<n>} for copies, where {@code <run>} is the run's UTC start time and 24
 * random bits. The time in the name lets a later run recognise and date what a killed run left
 * behind without any state; the random bits keep concurrent runs on one server apart, and the
 * counter keeps parallel tests of one run apart.
 */
final class CopyNames {
  static final String TEMPLATE_PREFIX = "lifeboat_tpl_";
  static final String COPY_PREFIX = "lifeboat_t_";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern OURS = Pattern.compile("lifeboat_(?:t|tpl)_(\\d{14})_[0-9a-f]{6}_\\d+");

  private final String run;
  private final AtomicLong counter = new AtomicLong();

  CopyNames(Instant start) {
    byte[] random = new byte[3];
    new SecureRandom().nextBytes(random);
    this.run = TIME.format(start) + "_" + HexFormat.of().formatHex(random);
  }

  String template() {
    return TEMPLATE_PREFIX + run + "_" + counter.incrementAndGet();
  }

  String copy() {
    return COPY_PREFIX + run + "_" + counter.incrementAndGet();
  }

  /** Whether {@code name} is this run's. */
  boolean isOwn(String name) {
    return name.startsWith(TEMPLATE_PREFIX + run + "_") || name.startsWith(COPY_PREFIX + run + "_");
  }

  /** When the run that made a database of this name started, if the name is one of ours. */
  static Optional<Instant> madeAt(String name) {
    Matcher m = OURS.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDateTime.parse(m.group(1), TIME).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code name} was left by a run that started more than {@code age} before {@code now}. */
  static boolean isLeftover(String name, Instant now, Duration age) {
    return madeAt(name).map(t -> t.plus(age).isBefore(now)).orElse(false);
  }
}
