package dev.lifeboat.retention;

import dev.lifeboat.Durations;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which snapshots to keep, in restic's {@code forget} terms. Immutable; build with {@link #builder()}.
 *
 * <p>Each count rule keeps the newest snapshot of each of the N newest periods that have a snapshot
 * (for {@code keepLast}, each snapshot is its own period); {@value #UNLIMITED} keeps every period,
 * {@code 0} switches the rule off. {@code keepWithin} keeps every snapshot taken less than that long
 * before the newest one. A snapshot is kept when any rule keeps it. Periods are UTC calendar hours,
 * days, ISO-8601 weeks (Monday to Sunday, numbered in the week-based year), months and years.
 */
public final class RetentionPolicy {
  /** A count that keeps every period (restic's {@code unlimited}). */
  public static final int UNLIMITED = -1;

  /** The rules a policy can have, as the command line names them; for messages. */
  public static final String RULE_OPTIONS =
      "--keep-last, --keep-hourly, --keep-daily, --keep-weekly, --keep-monthly, --keep-yearly (a count, or -1 for all)"
          + " or --keep-within (a duration such as 7d)";

  private final int keepLast;
  private final int keepHourly;
  private final int keepDaily;
  private final int keepWeekly;
  private final int keepMonthly;
  private final int keepYearly;
  private final Duration keepWithin;

  private RetentionPolicy(Builder b) {
    this.keepLast = count("keep-last", b.keepLast);
    this.keepHourly = count("keep-hourly", b.keepHourly);
    this.keepDaily = count("keep-daily", b.keepDaily);
    this.keepWeekly = count("keep-weekly", b.keepWeekly);
    this.keepMonthly = count("keep-monthly", b.keepMonthly);
    this.keepYearly = count("keep-yearly", b.keepYearly);
    if (b.keepWithin != null && b.keepWithin.isNegative()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "keep-within must be a positive duration such as 7d, not " + Durations.format(b.keepWithin) + ".");
    }
    this.keepWithin = b.keepWithin == null || b.keepWithin.isZero() ? null : b.keepWithin;
  }

  private static int count(String rule, int n) {
    if (n < UNLIMITED) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          rule + " must be a number of periods to keep (0 for none, -1 for all), not " + n + ".");
    }
    return n;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keep the N newest snapshots. */
  public int keepLast() { return keepLast; }
  /** Keep the newest snapshot of each of the N newest hours that have one. */
  public int keepHourly() { return keepHourly; }
  /** Keep the newest snapshot of each of the N newest days that have one. */
  public int keepDaily() { return keepDaily; }
  /** Keep the newest snapshot of each of the N newest ISO weeks that have one. */
  public int keepWeekly() { return keepWeekly; }
  /** Keep the newest snapshot of each of the N newest months that have one. */
  public int keepMonthly() { return keepMonthly; }
  /** Keep the newest snapshot of each of the N newest years that have one. */
  public int keepYearly() { return keepYearly; }
  /** Keep every snapshot taken less than this long before the newest snapshot; empty when not set. */
  public Optional<Duration> keepWithin() { return Optional.ofNullable(keepWithin); }

  /** Whether the policy has no rule at all; {@link Retention#plan} refuses such a policy. */
  public boolean isEmpty() {
    return keepLast == 0 && keepHourly == 0 && keepDaily == 0 && keepWeekly == 0 && keepMonthly == 0
        && keepYearly == 0 && keepWithin == null;
  }

  /** The counts in rule order: last, hourly, daily, weekly, monthly, yearly. */
  int[] counts() {
    return new int[] {keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly};
  }

  /** The policy as a sentence, e.g. {@code keep 7 daily, 4 weekly snapshots and all snapshots within 2d of the newest}. */
  @Override
  public String toString() {
    List<String> counts = new ArrayList<>();
    String[] names = {"last", "hourly", "daily", "weekly", "monthly", "yearly"};
    int[] values = counts();
    for (int i = 0; i < values.length; i++) {
      if (values[i] == UNLIMITED) {
        counts.add("all " + names[i]);
      } else if (values[i] > 0) {
        counts.add(values[i] + " " + names[i]);
      }
    }
    List<String> parts = new ArrayList<>();
    if (!counts.isEmpty()) {
      boolean one = counts.size() == 1 && counts.get(0).startsWith("1 ");
      parts.add(String.join(", ", counts) + (one ? " snapshot" : " snapshots"));
    }
    if (keepWithin != null) {
      parts.add("all snapshots within " + Durations.format(keepWithin) + " of the newest");
    }
    return parts.isEmpty() ? "no keep rule" : "keep " + String.join(" and ", parts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetentionPolicy p && keepLast == p.keepLast && keepHourly == p.keepHourly
        && keepDaily == p.keepDaily && keepWeekly == p.keepWeekly && keepMonthly == p.keepMonthly
        && keepYearly == p.keepYearly && Objects.equals(keepWithin, p.keepWithin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin);
  }

  /**
   * Builds a {@link RetentionPolicy}. Every rule starts switched off. {@link #build()} refuses a
   * count below {@value RetentionPolicy#UNLIMITED} and a negative duration ({@code CONFIGURATION});
   * a policy without rules can be built (see {@link RetentionPolicy#isEmpty()}).
   */
  public static final class Builder {
    private int keepLast;
    private int keepHourly;
    private int keepDaily;
    private int keepWeekly;
    private int keepMonthly;
    private int keepYearly;
    private Duration keepWithin;

    private Builder() {}

    public Builder keepLast(int n) { keepLast = n; return this; }
    public Builder keepHourly(int n) { keepHourly = n; return this; }
    public Builder keepDaily(int n) { keepDaily = n; return this; }
    public Builder keepWeekly(int n) { keepWeekly = n; return this; }
    public Builder keepMonthly(int n) { keepMonthly = n; return this; }
    public Builder keepYearly(int n) { keepYearly = n; return this; }
    /** Keep all snapshots taken less than {@code d} before the newest; {@code null} or zero switches it off. */
    public Builder keepWithin(Duration d) { keepWithin = d; return this; }

    public RetentionPolicy build() {
      return new RetentionPolicy(this);
    }
  }
}
