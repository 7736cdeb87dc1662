package dev.lifeboat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Expectation;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduled restore drill against an embedded PostgreSQL: one passing run, one failing check. */
class ScheduledRestoreDrillTest {
  static SampleDatabase db;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    db = SampleDatabase.start("club", 40);
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @Test
  void filesAReportForEachRunAndFailsOnAFalseCheck() throws Exception {
    String target = Location.of(dir.resolve("store")).raw();
    Path reports = dir.resolve("drills");
    try (Lifeboat lifeboat = Lifeboat.builder().build()) {
      lifeboat.backup(BackupRequest.builder(db.uri(), target).build());
      int passed = new ScheduledRestoreDrill(lifeboat, target, db.uri("postgres"),
          List.of(new Expectation.QueryIsTrue("40 accounts", "SELECT count(*) = 40 FROM accounts")),
          Duration.ofHours(1), Duration.ofHours(24), reports).runOnce();
      assertThat(passed).isZero();
      assertThat(lifeboat.lastDrill(target).orElseThrow().passed()).isTrue();
      Thread.sleep(1100); // a report is named after its second
      int failed = new ScheduledRestoreDrill(lifeboat, target, db.uri("postgres"),
          List.of(new Expectation.QueryIsTrue("41 accounts", "SELECT count(*) = 41 FROM accounts")),
          null, null, reports).runOnce();
      assertThat(failed).isEqualTo(3);
      assertThat(lifeboat.lastDrill(target).orElseThrow().passed()).isFalse();
    }
    try (Stream<Path> files = Files.list(reports)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md")).toList()).hasSize(2);
    }
  }
}
