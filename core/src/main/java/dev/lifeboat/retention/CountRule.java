package dev.lifeboat.retention;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;

/**
 * The count rules in restic's order, each with the period a snapshot falls in and the reason
 * restic prints. Period numbers are restic's: {@code YYYYMMDDHH}, {@code YYYYMMDD}, ISO
 * {@code week-based-year * 100 + week}, {@code YYYYMM}, {@code YYYY}, always in UTC so that a
 * store's plan does not depend on the zone of the machine that computes it.
 */
enum CountRule {
  LAST("last snapshot"),
  HOURLY("hourly snapshot"),
  DAILY("daily snapshot"),
  WEEKLY("weekly snapshot"),
  MONTHLY("monthly snapshot"),
  YEARLY("yearly snapshot");

  private final String reason;

  CountRule(String reason) {
    this.reason = reason;
  }

  String reason() {
    return reason;
  }

  /** The period of the snapshot at {@code position} (0 = newest) taken at {@code time}. */
  long period(Instant time, int position) {
    if (this == LAST) {
      return position; // every snapshot is a period of its own
    }
    ZonedDateTime t = time.atZone(ZoneOffset.UTC);
    long y = t.getYear();
    return switch (this) {
      case HOURLY -> y * 1_000_000L + t.getMonthValue() * 10_000L + t.getDayOfMonth() * 100L + t.getHour();
      case DAILY -> y * 10_000L + t.getMonthValue() * 100L + t.getDayOfMonth();
      case WEEKLY -> t.get(IsoFields.WEEK_BASED_YEAR) * 100L + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
      case MONTHLY -> y * 100L + t.getMonthValue();
      case YEARLY -> y;
      default -> throw new AssertionError(this);
    };
  }
}
