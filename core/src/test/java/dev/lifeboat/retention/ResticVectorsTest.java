package dev.lifeboat.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.Durations;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Json;
import dev.lifeboat.LifeboatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * restic's own expectations for {@code forget} ({@code TestApplyPolicy}), run against
 * {@link Retention#plan}: the same 103 input snapshots, the same policies, the same snapshots kept
 * in the same order with the same reasons. The one addition Lifeboat makes on this input is the
 * {@value Retention#NEWEST} reason on the newest snapshot, which every restic policy keeps anyway.
 *
 * <p>Cases not run, by number in restic's {@code tests} list:
 * <ul>
 *   <li>0 (the empty policy): restic removes everything, Lifeboat refuses the policy; checked in
 *       {@link #theEmptyPolicyIsRefusedWhereResticWouldRemoveEverything()}.
 *   <li>18, 19, 20: {@code --keep-tag}; Lifeboat has labels but no keep-by-tag rule (only the
 *       {@code keep=forever} pin).
 *   <li>30–35: {@code --keep-within-hourly/daily/weekly/monthly/yearly}; Lifeboat has no such rules.
 * </ul>
 * restic's {@code --keep-within} takes calendar years and months ({@code 1m}, {@code 1y2m3d3h});
 * Lifeboat's takes a fixed {@link Duration}. Cases 24, 25, 26, 28 and 29 run with the duration that
 * reaches back to exactly the same instant from the newest snapshot (e.g. {@code 1m} back from
 * 2016-01-18 is 31 days) and expect that duration in the reason ({@code within 31d}); the
 * snapshots kept must be the same.
 */
class ResticVectorsTest {
  private static final String DIR = "/retention/restic/";
  /** Later than every input snapshot, so that none is "from the future". */
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private static final List<Input> INPUT = readInputs();
  /** The newest input snapshot, which restic's keep-within measures from. */
  private static final Instant LATEST = INPUT.stream().map(Input::time).max(Instant::compareTo).orElseThrow();

  private static final Map<Integer, ResticCase> CASES = cases();
  private static final List<Integer> SKIPPED = List.of(0, 18, 19, 20, 30, 31, 32, 33, 34, 35);

  private static Map<Integer, ResticCase> cases() {
    Map<Integer, ResticCase> c = new TreeMap<>();
    c.put(1, counts(b -> b.keepLast(10)));
    c.put(2, counts(b -> b.keepLast(15)));
    c.put(3, counts(b -> b.keepLast(99)));
    c.put(4, counts(b -> b.keepLast(200)));
    c.put(5, counts(b -> b.keepHourly(20)));
    c.put(6, counts(b -> b.keepDaily(3)));
    c.put(7, counts(b -> b.keepDaily(10)));
    c.put(8, counts(b -> b.keepDaily(30)));
    c.put(9, counts(b -> b.keepLast(5).keepDaily(5)));
    c.put(10, counts(b -> b.keepLast(2).keepDaily(10)));
    c.put(11, counts(b -> b.keepWeekly(2)));
    c.put(12, counts(b -> b.keepWeekly(4)));
    c.put(13, counts(b -> b.keepDaily(3).keepWeekly(4)));
    c.put(14, counts(b -> b.keepMonthly(6)));
    c.put(15, counts(b -> b.keepDaily(2).keepWeekly(2).keepMonthly(6)));
    c.put(16, counts(b -> b.keepYearly(10)));
    c.put(17, counts(b -> b.keepDaily(7).keepWeekly(2).keepMonthly(3).keepYearly(10)));
    c.put(21, within("1d"));
    c.put(22, within("2d"));
    c.put(23, within("7d"));
    c.put(24, within("1m"));
    c.put(25, within("1m14d"));
    c.put(26, within("1y1m1d")); // restic's test writes 1y1d1m and prints it as 1y1m1d
    c.put(27, within("13d23h"));
    c.put(28, within("2m2h"));
    c.put(29, within("1y2m3d3h"));
    c.put(36, counts(b -> b.keepLast(RetentionPolicy.UNLIMITED)));
    c.put(37, counts(b -> b.keepLast(RetentionPolicy.UNLIMITED).keepHourly(RetentionPolicy.UNLIMITED)));
    c.put(38, counts(b -> b.keepHourly(RetentionPolicy.UNLIMITED)));
    c.put(39, counts(b -> b.keepDaily(3).keepWeekly(2).keepMonthly(RetentionPolicy.UNLIMITED)
        .keepYearly(RetentionPolicy.UNLIMITED)));
    return c;
  }

  static Stream<Integer> caseNumbers() {
    return CASES.keySet().stream();
  }

  @ParameterizedTest(name = "restic policy {0}")
  @MethodSource("caseNumbers")
  void keepsWhatResticKeepsForTheSameReasons(int number) {
    ResticCase c = CASES.get(number);
    PrunePlan plan = Retention.plan(candidates(), c.policy(), NOW);

    JsonNode golden = readJson("policy_keep_snapshots_" + number + ".json");
    List<String> expected = new ArrayList<>();
    JsonNode reasons = golden.get("reasons");
    for (int i = 0; i < reasons.size(); i++) {
      List<String> why = new ArrayList<>();
      reasons.get(i).get("matches").forEach(m -> why.add(c.resticReason().apply(m.asText())));
      if (i == 0) {
        why.add(Retention.NEWEST);
      }
      expected.add(signature(reasons.get(i).get("snapshot")) + " " + why);
    }
    List<String> keptSignatures = new ArrayList<>();
    golden.get("keep").forEach(s -> keptSignatures.add(signature(s)));

    List<String> actual = plan.keep().stream()
        .map(k -> INPUT.get(indexOf(k.id())).signature() + " " + k.reasons()).toList();
    assertThat(actual).containsExactlyElementsOf(expected);
    assertThat(plan.keep().stream().map(k -> INPUT.get(indexOf(k.id())).signature()).toList())
        .containsExactlyElementsOf(keptSignatures);
    assertThat(plan.keep().size() + plan.remove().size()).isEqualTo(INPUT.size());
    assertThat(plan.damaged()).isEmpty();
  }

  @Test
  void theEmptyPolicyIsRefusedWhereResticWouldRemoveEverything() {
    assertThatThrownBy(() -> Retention.plan(candidates(), RetentionPolicy.builder().build(), NOW))
        .isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code().exitStatus()).isEqualTo(2));
  }

  @Test
  void everyResticCaseIsEitherRunOrListedAsSkipped() {
    String go = resource("snapshot_policy_test.go.txt");
    String block = go.substring(go.indexOf("var tests = []data.ExpirePolicy{"), go.indexOf("for i, p := range tests"));
    long policies = block.lines().filter(l -> l.startsWith("\t\t{")).count();
    assertThat(policies).isEqualTo(40);
    TreeSet<Integer> covered = new TreeSet<>(CASES.keySet());
    covered.addAll(SKIPPED);
    assertThat(covered).containsExactlyElementsOf(IntStream.range(0, (int) policies).boxed().toList());
    assertThat(INPUT).hasSize(103); // every {Time: parseTimeUTC(..)} line of testExpireSnapshots
  }

  @Test
  void resticsDurationsWithoutCalendarUnitsReadTheSameInLifeboatsReasons() {
    for (String text : List.of("1d", "2d", "7d", "13d23h")) {
      assertThat(Durations.format(within(text).policy().keepWithin().orElseThrow())).isEqualTo(text);
    }
    assertThat(within("1m").policy().keepWithin()).contains(Duration.ofDays(31));
  }

  // --- the input -----------------------------------------------------------------------------

  private record Input(Instant time, List<String> tags, List<String> paths) {
    String signature() {
      return time + " tags=" + tags + " paths=" + paths;
    }
  }

  private record ResticCase(RetentionPolicy policy, UnaryOperator<String> resticReason) {}

  private static ResticCase counts(UnaryOperator<RetentionPolicy.Builder> rules) {
    return new ResticCase(rules.apply(RetentionPolicy.builder()).build(), UnaryOperator.identity());
  }

  /** restic's keep-within in its own units (y, m = months, d, h), as the duration back from the newest snapshot. */
  private static ResticCase within(String resticDuration) {
    Matcher m = Pattern.compile("(\\d+)([ymdh])").matcher(resticDuration);
    LocalDateTime cutoff = LocalDateTime.ofInstant(LATEST, ZoneOffset.UTC);
    int years = 0;
    int months = 0;
    int days = 0;
    int hours = 0;
    while (m.find()) {
      int n = Integer.parseInt(m.group(1));
      switch (m.group(2)) {
        case "y" -> years = n;
        case "m" -> months = n;
        case "d" -> days = n;
        default -> hours = n;
      }
    }
    // restic: latest.AddDate(-y, -m, -d).Add(-h). Java clamps a day past the month's end where Go
    // rolls over; the newest input is on the 18th, so no case gets there.
    cutoff = cutoff.minusYears(years).minusMonths(months).minusDays(days).minusHours(hours);
    Duration d = Duration.between(cutoff.toInstant(ZoneOffset.UTC), LATEST);
    String lifeboatReason = "within " + Durations.format(d);
    return new ResticCase(RetentionPolicy.builder().keepWithin(d).build(),
        reason -> reason.equals("within " + resticDuration) ? lifeboatReason : reason);
  }

  private static List<RetentionCandidate> candidates() {
    // Ids in input order: restic sorts stably, so equal times stay in input order, and Lifeboat
    // orders equal times by id.
    return IntStream.range(0, INPUT.size()).mapToObj(i -> RetentionCandidate.of(id(i), INPUT.get(i).time())).toList();
  }

  private static String id(int index) {
    return String.format("s%03d", index);
  }

  private static int indexOf(String id) {
    return Integer.parseInt(id.substring(1));
  }

  private static List<Input> readInputs() {
    String go = resource("snapshot_policy_test.go.txt");
    String block = go.substring(go.indexOf("var testExpireSnapshots"), go.indexOf("var tests ="));
    Pattern time = Pattern.compile("parseTimeUTC\\(\"([^\"]+)\"\\)");
    Pattern tags = Pattern.compile("Tags: \\[]string\\{([^}]*)}");
    Pattern paths = Pattern.compile("Paths: \\[]string\\{([^}]*)}");
    List<Input> inputs = new ArrayList<>();
    block.lines().forEach(line -> {
      Matcher t = time.matcher(line);
      if (t.find()) {
        Instant at = LocalDateTime.parse(t.group(1).replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        inputs.add(new Input(at, strings(tags.matcher(line)), strings(paths.matcher(line))));
      }
    });
    return inputs;
  }

  private static List<String> strings(Matcher m) {
    if (!m.find()) {
      return List.of();
    }
    return Stream.of(m.group(1).split(",")).map(s -> s.trim().replace("\"", "")).toList();
  }

  private static String signature(JsonNode snapshot) {
    return new Input(Instant.parse(snapshot.get("time").asText()), texts(snapshot.get("tags")),
        texts(snapshot.get("paths"))).signature();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private static JsonNode readJson(String name) {
    try {
      return Json.mapper().readTree(resource(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = ResticVectorsTest.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("Missing test resource " + DIR + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
