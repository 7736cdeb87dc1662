package dev.lifeboat.retention;

import dev.lifeboat.Durations;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Works out what a {@link RetentionPolicy} keeps and removes. Pure: it reads and changes nothing.
 *
 * <p>The algorithm is restic's {@code ApplyPolicy} (restic's {@code forget}), unchanged:
 * <ol>
 *   <li>Intact snapshots are walked newest first (equal times by id, so the plan does not depend on
 *       the order of the input).
 *   <li>{@code keepWithin}: a snapshot taken after <em>newest − duration</em> is kept
 *       ({@code "within 2d"}). "Newest" is the newest snapshot taken before {@code now}: snapshots
 *       from the future are ignored when finding it (and, being after it, are kept by this rule).
 *   <li>Each count rule in the order last, hourly, daily, weekly, monthly, yearly: when the snapshot
 *       falls in another period than the last one this rule kept and the rule has count left, it is
 *       kept ({@code "daily snapshot"}) and the count drops by one ({@value RetentionPolicy#UNLIMITED}
 *       never drops). A snapshot can use several rules' counts at once.
 *   <li>The oldest snapshot is kept by every rule that still has count left, even when it falls in
 *       a period already kept; the reason is then {@code "oldest daily snapshot"}.
 * </ol>
 * Then Lifeboat's rails, which keep a snapshot whatever the rules say:
 * the newest snapshot ({@value #NEWEST}), the newest snapshot whose restore drill passed
 * ({@value #NEWEST_PROVEN}) and snapshots labelled {@code keep=forever} ({@value #PINNED}). Damaged
 * snapshots take no part: they count for no rule, are never removed, and are listed in
 * {@link PrunePlan#damaged()}.
 */
public final class Retention {
  /** The reason that keeps the newest intact snapshot. */
  public static final String NEWEST = "newest snapshot";
  /** The reason that keeps the newest intact snapshot whose restore drill passed. */
  public static final String NEWEST_PROVEN = "newest proven snapshot";
  /** The reason that keeps a snapshot labelled {@code keep=forever}. */
  public static final String PINNED = "keep=forever";

  private static final Comparator<RetentionCandidate> NEWEST_FIRST =
      Comparator.comparing(RetentionCandidate::createdAt).reversed().thenComparing(RetentionCandidate::id);

  private Retention() {}

  /**
   * The plan of {@code policy} for one store.
   *
   * @param candidates every snapshot in the store, damaged ones included, in any order; ids unique
   * @param policy the rules; must have at least one
   * @param now the current time, only to ignore snapshots from the future when finding the newest
   *     for {@code keepWithin} (as restic does)
   * @return what is kept (with why), what is removed and which damaged snapshots were left alone
   * @throws LifeboatException {@code CONFIGURATION} when the policy has no rule: removing every
   *     snapshot is never what a prune means
   * @throws IllegalArgumentException when two candidates have the same id
   */
  public static PrunePlan plan(Collection<RetentionCandidate> candidates, RetentionPolicy policy, Instant now) {
    Objects.requireNonNull(candidates, "candidates");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(now, "now");
    if (policy.isEmpty()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "A prune needs at least one keep rule, otherwise it would remove every snapshot; give "
              + RetentionPolicy.RULE_OPTIONS + ".");
    }
    requireUniqueIds(candidates);

    List<RetentionCandidate> walk = candidates.stream().filter(c -> !c.isDamaged()).sorted(NEWEST_FIRST).toList();
    List<PrunePlan.Damaged> damaged = candidates.stream().filter(RetentionCandidate::isDamaged)
        .sorted(Comparator.comparing(RetentionCandidate::id))
        .map(c -> new PrunePlan.Damaged(c.id(), c.createdAt(), c.damage()))
        .toList();

    Optional<String> newestProven = walk.stream().filter(RetentionCandidate::drillPassed)
        .map(RetentionCandidate::id).findFirst();
    WithinRule within = policy.keepWithin().map(d -> WithinRule.of(d, newestBefore(walk, now))).orElse(null);

    int[] left = policy.counts();
    CountRule[] rules = CountRule.values();
    long[] lastKept = new long[rules.length];
    java.util.Arrays.fill(lastKept, -1L);

    List<PrunePlan.Kept> keep = new ArrayList<>();
    List<PrunePlan.Removed> remove = new ArrayList<>();
    for (int position = 0; position < walk.size(); position++) {
      RetentionCandidate cur = walk.get(position);
      boolean oldest = position == walk.size() - 1;
      List<String> reasons = new ArrayList<>();
      if (within != null && within.keeps(cur.createdAt())) {
        reasons.add(within.reason());
      }
      for (CountRule rule : rules) {
        int i = rule.ordinal();
        if (left[i] == 0) {
          continue;
        }
        long period = rule.period(cur.createdAt(), position);
        if (period != lastKept[i] || oldest) {
          reasons.add(period == lastKept[i] ? "oldest " + rule.reason() : rule.reason());
          lastKept[i] = period;
          if (left[i] > 0) {
            left[i]--;
          }
        }
      }
      if (position == 0) {
        reasons.add(NEWEST);
      }
      if (newestProven.filter(cur.id()::equals).isPresent()) {
        reasons.add(NEWEST_PROVEN);
      }
      if (cur.isPinned()) {
        reasons.add(PINNED);
      }
      if (reasons.isEmpty()) {
        remove.add(new PrunePlan.Removed(cur.id(), cur.createdAt()));
      } else {
        keep.add(new PrunePlan.Kept(cur.id(), cur.createdAt(), reasons));
      }
    }
    return new PrunePlan(keep, remove, damaged);
  }

  private static void requireUniqueIds(Collection<RetentionCandidate> candidates) {
    Set<String> seen = new HashSet<>();
    for (RetentionCandidate c : candidates) {
      if (!seen.add(c.id())) {
        throw new IllegalArgumentException("Snapshot " + c.id() + " is listed twice");
      }
    }
  }

  /** restic's "latest": the newest snapshot taken strictly before now; empty when all are from the future. */
  private static Optional<Instant> newestBefore(List<RetentionCandidate> walk, Instant now) {
    return walk.stream().map(RetentionCandidate::createdAt).filter(t -> t.isBefore(now)).findFirst();
  }

  /** {@code keepWithin}: everything taken after the cut-off, which is the newest snapshot minus the duration. */
  private record WithinRule(Instant cutoff, String reason) {
    static WithinRule of(Duration within, Optional<Instant> newest) {
      String reason = "within " + Durations.format(within);
      // Without a newest snapshot in the past restic measures from the zero time, which keeps
      // everything; a duration reaching before the first instant Java knows keeps everything too.
      Instant cutoff = null;
      if (newest.isPresent()) {
        try {
          cutoff = newest.get().minus(within);
        } catch (DateTimeException | ArithmeticException beforeTime) {
          cutoff = null;
        }
      }
      return new WithinRule(cutoff, reason);
    }

    boolean keeps(Instant createdAt) {
      return cutoff == null || createdAt.isAfter(cutoff);
    }
  }
}
