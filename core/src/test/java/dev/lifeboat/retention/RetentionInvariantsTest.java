package dev.lifeboat.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Invariants of every plan, on many random stores and policies. The seed is fixed so a failure
 * repeats; the failing seed and case number are in the message.
 */
class RetentionInvariantsTest {
  private static final long SEED = 20260310L;
  private static final int CASES = 1_000;
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void invariantsHoldForRandomStoresAndPolicies() {
    Random random = new Random(SEED);
    for (int n = 0; n < CASES; n++) {
      List<RetentionCandidate> store = randomStore(random);
      RetentionPolicy policy = randomPolicy(random);
      RetentionPolicy other = randomPolicy(random);
      int caseNumber = n;
      java.util.function.Supplier<String> where =
          () -> "case " + caseNumber + " (seed " + SEED + "), policy " + policy + ", store " + store;

      PrunePlan plan = Retention.plan(store, policy, NOW);

      // Every snapshot is in exactly one list; damaged ones only in damaged.
      Set<String> all = ids(store.stream());
      List<String> listed = new ArrayList<>();
      plan.keep().forEach(k -> listed.add(k.id()));
      plan.remove().forEach(r -> listed.add(r.id()));
      plan.damaged().forEach(d -> listed.add(d.id()));
      assertThat(listed).as(where).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
      assertThat(plan.damaged().stream().map(PrunePlan.Damaged::id).collect(Collectors.toSet())).as(where)
          .isEqualTo(ids(store.stream().filter(RetentionCandidate::isDamaged)));

      // The newest intact, the newest proven and every pinned snapshot are kept.
      List<RetentionCandidate> intact = store.stream().filter(c -> !c.isDamaged())
          .sorted((a, b) -> b.createdAt().compareTo(a.createdAt()) != 0 ? b.createdAt().compareTo(a.createdAt())
              : a.id().compareTo(b.id()))
          .toList();
      Set<String> kept = plan.keep().stream().map(PrunePlan.Kept::id).collect(Collectors.toSet());
      if (!intact.isEmpty()) {
        assertThat(kept).as(where).contains(intact.get(0).id());
      }
      intact.stream().filter(RetentionCandidate::drillPassed).findFirst()
          .ifPresent(proven -> assertThat(kept).as(where).contains(proven.id()));
      assertThat(kept).as(where).containsAll(ids(intact.stream().filter(RetentionCandidate::isPinned)));

      // Idempotent: planning again over what is left removes nothing more.
      List<RetentionCandidate> left = store.stream().filter(c -> kept.contains(c.id()) || c.isDamaged()).toList();
      PrunePlan again = Retention.plan(left, policy, NOW);
      assertThat(again.remove()).as(where).isEmpty();
      assertThat(again.keep()).as(where).isEqualTo(plan.keep());

      // Union: adding rules never removes what the rules alone keep.
      PrunePlan wider = Retention.plan(store, union(policy, other), NOW);
      Set<String> keptByWider = wider.keep().stream().map(PrunePlan.Kept::id).collect(Collectors.toSet());
      assertThat(keptByWider).as(where).containsAll(kept);

      // The input order does not matter.
      List<RetentionCandidate> shuffled = new ArrayList<>(store);
      Collections.shuffle(shuffled, random);
      assertThat(Retention.plan(shuffled, policy, NOW)).as(where).isEqualTo(plan);
    }
  }

  private static Set<String> ids(Stream<RetentionCandidate> candidates) {
    return candidates.map(RetentionCandidate::id).collect(Collectors.toCollection(HashSet::new));
  }

  /** Up to 60 snapshots over a few hours to a few years, with repeated times, damage, drills and pins. */
  private static List<RetentionCandidate> randomStore(Random random) {
    int size = random.nextInt(60);
    long spanSeconds = switch (random.nextInt(4)) {
      case 0 -> 6 * 3600L;
      case 1 -> 20 * 86400L;
      case 2 -> 200 * 86400L;
      default -> 3 * 365 * 86400L;
    };
    Instant start = Instant.parse("2024-12-20T00:00:00Z");
    List<RetentionCandidate> store = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Instant at = i > 0 && random.nextInt(10) == 0
          ? store.get(random.nextInt(i)).createdAt() // the same time as another one
          : start.plusSeconds((long) (random.nextDouble() * spanSeconds));
      RetentionCandidate c = RetentionCandidate.of(String.format("s%03d", i), at);
      if (random.nextInt(12) == 0) {
        c = c.withDamage("damaged for the test");
      }
      if (random.nextInt(8) == 0) {
        c = c.withDrillPassed(true);
      }
      if (random.nextInt(15) == 0) {
        c = c.withLabels(Map.of("keep", "forever"));
      }
      store.add(c);
    }
    return store;
  }

  private static RetentionPolicy randomPolicy(Random random) {
    RetentionPolicy p;
    do {
      p = RetentionPolicy.builder()
          .keepLast(randomCount(random)).keepHourly(randomCount(random)).keepDaily(randomCount(random))
          .keepWeekly(randomCount(random)).keepMonthly(randomCount(random)).keepYearly(randomCount(random))
          .keepWithin(random.nextInt(4) == 0 ? Duration.ofMinutes(1 + random.nextInt(60 * 24 * 40)) : null)
          .build();
    } while (p.isEmpty());
    return p;
  }

  private static int randomCount(Random random) {
    int r = random.nextInt(10);
    return r < 5 ? 0 : r == 9 ? RetentionPolicy.UNLIMITED : random.nextInt(8);
  }

  /** A policy that keeps what either keeps: per rule the larger count (unlimited wins), the longer duration. */
  private static RetentionPolicy union(RetentionPolicy a, RetentionPolicy b) {
    Duration within = Stream.of(a.keepWithin(), b.keepWithin()).flatMap(java.util.Optional::stream)
        .max(Duration::compareTo).orElse(null);
    return RetentionPolicy.builder()
        .keepLast(wider(a.keepLast(), b.keepLast())).keepHourly(wider(a.keepHourly(), b.keepHourly()))
        .keepDaily(wider(a.keepDaily(), b.keepDaily())).keepWeekly(wider(a.keepWeekly(), b.keepWeekly()))
        .keepMonthly(wider(a.keepMonthly(), b.keepMonthly())).keepYearly(wider(a.keepYearly(), b.keepYearly()))
        .keepWithin(within).build();
  }

  private static int wider(int x, int y) {
    return x == RetentionPolicy.UNLIMITED || y == RetentionPolicy.UNLIMITED ? RetentionPolicy.UNLIMITED : Math.max(x, y);
  }
}
