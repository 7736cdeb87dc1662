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

/** {@code prune} and {@code health} through the packaged jar, on a file target written by the library. */
class PruneHealthJarIT {
  @TempDir Path work;

  @Test
  void pruneKeepsTheNewestDailyAndHealthJudgesWhatIsLeft() throws Exception {
    Path store = work.resolve("store");
    // Two a day on the three UTC days before today: keep-daily 2 keeps the later one of the two newest days.
    Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
    List<Snapshot> taken = Stores.snapshotsAt(store, Stream.of(3, 2, 1)
        .flatMap(d -> Stream.of(today.minus(Duration.ofDays(d)).plus(Duration.ofHours(1)),
            today.minus(Duration.ofDays(d)).plus(Duration.ofHours(2))))
        .toArray(Instant[]::new));

    PackagedJar.Run prune = PackagedJar.run(work, "prune", "--target", store.toString(), "--keep-daily", "2", "--json");

    assertThat(prune.exit()).as(prune.toString()).isZero();
    JsonNode plan = Json.mapper().readTree(prune.out());
    assertThat(plan.get("keep")).extracting(n -> n.get("id").asText()).containsExactly(taken.get(5).id(), taken.get(3).id());
    assertThat(plan.get("remove")).hasSize(4);
    try (Stream<Path> left = Files.list(store)) {
      assertThat(left.map(p -> p.getFileName().toString()).sorted()).containsExactly(taken.get(3).id(), taken.get(5).id());
    }

    PackagedJar.Run healthy = PackagedJar.run(work, "health", "--target", store.toString(), "--max-age", "48h", "--deep");
    assertThat(healthy.exit()).as(healthy.toString()).isZero();
    assertThat(healthy.out()).contains("intact, read whole").contains("HEALTHY");

    PackagedJar.Run stale = PackagedJar.run(work, "health", "--target", store.toString(), "--max-age", "10m", "--json");
    assertThat(stale.exit()).as(stale.toString()).isEqualTo(3);
    assertThat(Json.mapper().readTree(stale.out()).get("healthy").asBoolean()).isFalse();
  }

  @Test
  void aMaxDrillAgeFailsAStoreThatWasNeverDrilled() throws Exception {
    Path store = work.resolve("undrilled");
    Stores.snapshotsAt(store, Instant.now().minus(Duration.ofHours(1)));

    PackagedJar.Run health = PackagedJar.run(work, "health", "--target", store.toString(), "--max-drill-age", "8d", "--json");

    assertThat(health.exit()).as(health.toString()).isEqualTo(3);
    JsonNode report = Json.mapper().readTree(health.out());
    assertThat(report.get("healthy").asBoolean()).isFalse();
    JsonNode drill = report.get("checks").get(3);
    assertThat(drill.get("name").asText()).isEqualTo("last restore drill");
    assertThat(drill.get("value").asText()).isEqualTo("no drill recorded");
    assertThat(drill.get("limit").asText()).isEqualTo("passed, at most 8d ago");
    assertThat(drill.get("passed").asBoolean()).isFalse();
    assertThat(drill.get("hint").asText()).contains("lifeboat drill --target " + store);

    // Without the limit the missing drill stays information.
    PackagedJar.Run plain = PackagedJar.run(work, "health", "--target", store.toString());
    assertThat(plain.exit()).as(plain.toString()).isZero();
  }

  @Test
  void platformLimitsOnAFolderOfSnapshotsAreAUsageError() throws Exception {
    Path store = work.resolve("folder");
    Stores.snapshotsAt(store, Instant.now().minus(Duration.ofHours(1)));

    for (List<String> limit : List.of(List.of("--min-pitr", "48h"), List.of("--max-branch-use", "80"))) {
      PackagedJar.Run health = PackagedJar.run(work, "health", "--target", store.toString(), limit.get(0), limit.get(1));

      assertThat(health.exit()).as(health.toString()).isEqualTo(2);
      assertThat(health.out()).as(health.toString()).doesNotContain("HEALTHY");
      assertThat(health.errLines()).as(health.toString()).singleElement().satisfies(line -> assertThat(line)
          .contains("--min-pitr and --max-branch-use hold a platform's own backups").contains("leave those options out"));
    }
  }

  @Test
  void healthOfAMissingTargetCannotBeDetermined() throws IOException, InterruptedException {
    PackagedJar.Run missing = PackagedJar.run(work, "health", "--target", work.resolve("none").toString());
    assertThat(missing.exit()).as(missing.toString()).isEqualTo(1);
    assertThat(missing.errLines()).as(missing.toString()).hasSize(1);
  }
}
