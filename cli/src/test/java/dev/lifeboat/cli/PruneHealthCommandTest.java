package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.Json;
import dev.lifeboat.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lifeboat prune} and {@code lifeboat health} in-process: output shapes and exit codes. */
class PruneHealthCommandTest {
  @TempDir Path dir;

  private Path store() {
    return dir.resolve("store");
  }

  private List<Snapshot> fiveDays() {
    Instant first = Instant.parse("2026-03-01T02:00:00Z");
    return Stores.snapshotsAt(store(), Stream.iterate(first, t -> t.plus(Duration.ofDays(1))).limit(5).toArray(Instant[]::new));
  }

  private List<String> ids() throws IOException {
    try (Stream<Path> folders = Files.list(store())) {
      return folders.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void pruneJsonHasTheSameShapeWithAndWithoutDryRunAndOnlyTheRealRunDeletes() throws IOException {
    List<Snapshot> taken = fiveDays();
    Cli.Result dry = Cli.run("prune", "--target", store().toString(), "--keep-last", "2", "--dry-run", "--json");
    assertThat(dry.exit()).as(dry.toString()).isZero();
    assertThat(ids()).hasSize(5);

    Cli.Result real = Cli.run("prune", "--target", store().toString(), "--keep-last", "2", "--json");
    assertThat(real.exit()).as(real.toString()).isZero();
    assertThat(real.out()).isEqualTo(dry.out());
    assertThat(ids()).containsExactly(taken.get(3).id(), taken.get(4).id());

    JsonNode plan = Json.mapper().readTree(real.out());
    assertThat(plan.fieldNames()).toIterable().containsExactly("keep", "remove");
    assertThat(plan.get("keep").get(0).fieldNames()).toIterable().containsExactly("id", "createdAt", "reasons");
    assertThat(plan.get("keep").get(0).get("id").asText()).isEqualTo(taken.get(4).id());
    assertThat(plan.get("keep").get(0).get("reasons")).extracting(JsonNode::asText).containsExactly("last snapshot", "newest snapshot");
    assertThat(plan.get("remove").get(0).fieldNames()).toIterable().containsExactly("id", "createdAt");
    assertThat(plan.get("remove")).extracting(n -> n.get("id").asText())
        .containsExactly(taken.get(2).id(), taken.get(1).id(), taken.get(0).id());
    assertThat(plan.get("remove").get(0).get("createdAt").asText()).isEqualTo("2026-03-03T02:00:00Z");
  }

  @Test
  void pruneTextListsKeptWithReasonsAndRemoved() {
    List<Snapshot> taken = fiveDays();
    Cli.Result r = Cli.run("prune", "--target", store().toString(), "--keep-within", "2d", "--dry-run");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("keep all snapshots within 2d of the newest", "dry run: nothing deleted")
        .contains("Would delete 3 snapshots, kept 2.");
    assertThat(r.outLines()).anySatisfy(l -> assertThat(l).startsWith("keep").contains(taken.get(4).id(), "within 2d, newest snapshot"));
    assertThat(r.outLines()).anySatisfy(l -> assertThat(l).startsWith("would remove").contains(taken.get(0).id()));
  }

  @Test
  void keepCountsThatAreNotCountsNameWhatTheyTake() throws IOException {
    fiveDays();
    Cli.Result word = Cli.run("prune", "--target", store().toString(), "--keep-last", "abc");
    Cli.Result huge = Cli.run("prune", "--target", store().toString(), "--keep-daily", "99999999999");
    Cli.Result negative = Cli.run("prune", "--target", store().toString(), "--keep-weekly", "-2");
    for (Cli.Result r : List.of(word, huge, negative)) {
      assertThat(r.exit()).as(r.toString()).isEqualTo(2);
      assertThat(r.errLines()).as(r.toString()).hasSize(2);
    }
    assertThat(word.errLines().get(0)).isEqualTo("lifeboat: Invalid value for option '--keep-last': 'abc' is not a count;"
        + " use a whole number such as 7 (0 for none, -1 for all).");
    assertThat(huge.errLines().get(0)).isEqualTo("lifeboat: Invalid value for option '--keep-daily': 99999999999 is out of range;"
        + " use -1 (all) to 2147483647.");
    assertThat(negative.errLines().get(0)).contains("-2 is out of range; use -1 (all) to ");
    assertThat(ids()).hasSize(5);
  }

  @Test
  void pruneWithoutAKeepRuleIsAUsageErrorAndDeletesNothing() throws IOException {
    fiveDays();
    Cli.Result none = Cli.run("prune", "--target", store().toString());
    Cli.Result zero = Cli.run("prune", "--target", store().toString(), "--keep-daily", "0");
    for (Cli.Result r : List.of(none, zero)) {
      assertThat(r.exit()).as(r.toString()).isEqualTo(2);
      assertThat(r.err()).contains("at least one keep rule").contains("--keep-daily");
      assertThat(r.out()).isEmpty();
    }
    Cli.Result negative = Cli.run("prune", "--target", store().toString(), "--keep-daily", "-2");
    assertThat(negative.exit()).as(negative.toString()).isEqualTo(2);
    assertThat(ids()).hasSize(5);
  }

  @Test
  void healthExitsZeroWhenHealthyThreeWhenACheckFailsOneWhenItCannotTell() throws IOException {
    Instant anHourAgo = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    Stores.snapshotsAt(store(), anHourAgo);

    Cli.Result fresh = Cli.run("health", "--target", store().toString(), "--max-age", "26h");
    assertThat(fresh.exit()).as(fresh.toString()).isZero();
    assertThat(fresh.out()).contains("newest snapshot age", "no drill recorded").contains("HEALTHY");

    Cli.Result stale = Cli.run("health", "--target", store().toString(), "--max-age", "30m", "--json");
    assertThat(stale.exit()).as(stale.toString()).isEqualTo(3);
    JsonNode report = Json.mapper().readTree(stale.out());
    assertThat(report.fieldNames()).toIterable().containsExactly("healthy", "checkedAt", "checks");
    assertThat(report.get("healthy").asBoolean()).isFalse();
    JsonNode age = report.get("checks").get(0);
    assertThat(age.fieldNames()).toIterable().containsExactly("name", "value", "limit", "passed", "hint");
    assertThat(age.get("name").asText()).isEqualTo("newest snapshot age");
    assertThat(age.get("limit").asText()).isEqualTo("30m");
    assertThat(age.get("passed").asBoolean()).isFalse();

    Cli.Result missing = Cli.run("health", "--target", dir.resolve("nothing-here").toString());
    assertThat(missing.exit()).as(missing.toString()).isEqualTo(1);
    assertThat(missing.err()).contains("could not be determined");
    assertThat(missing.out()).isEmpty();

    Cli.Result badPercent = Cli.run("health", "--target", store().toString(), "--max-branch-use", "120%");
    assertThat(badPercent.exit()).as(badPercent.toString()).isEqualTo(2);
    assertThat(badPercent.err()).contains("use 1 to 100");
  }
}
