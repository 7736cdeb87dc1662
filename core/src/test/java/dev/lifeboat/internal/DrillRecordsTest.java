package dev.lifeboat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.lifeboat.DrillRecord;
import dev.lifeboat.DrillReport;
import dev.lifeboat.Json;
import dev.lifeboat.file.FileBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drill records beside the snapshots, drill names, and the report files. */
class DrillRecordsTest {
  @TempDir Path dir;

  private static DrillReport report(String drillId, boolean passed, Instant finished) {
    return new DrillReport(drillId, passed, "20261201T100000.000Z-0000abcd", "postgresql://app@db/shop", finished, "file:/x",
        "postgresql://app@db/" + drillId, finished.minusSeconds(5), finished, 1.0, 0.5, 1.5, 60.0, 10L, 5L,
        Map.of("rto", new DrillReport.Objective(3600, 1.5, true)),
        List.of(new DrillReport.DrillCheck("count public.a|b", passed, "5", passed ? "5" : "4")), true, "dropped", null, null, "1.0", null);
  }

  @Test
  void newestIntactRecordWinsAndRecordsAreNeverListedAsSnapshots() throws Exception {
    BlobSnapshotTarget target = new BlobSnapshotTarget(FileBlobStore.at(dir));
    Instant t = Instant.parse("2026-12-01T10:00:00Z");
    DrillRecords.record(target, report("lifeboat_drill_20261201t095959z_00000001", true, t));
    DrillRecords.record(target, report("lifeboat_drill_20261201t105959z_00000002", false, t.plusSeconds(3600)));
    assertThat(DrillRecords.latest(target)).map(DrillRecord::passed).contains(false);
    assertThat(target.list()).isEmpty();

    // A record changed by hand no longer matches its seal and is ignored.
    Path newest = dir.resolve("drills/lifeboat_drill_20261201t105959z_00000002.json");
    Files.writeString(newest, Files.readString(newest).replace("false", "true"));
    DrillRecord latest = DrillRecords.latest(target).orElseThrow();
    assertThat(latest.drillId()).isEqualTo("lifeboat_drill_20261201t095959z_00000001");
    assertThat(latest.passed()).isTrue();
  }

  @Test
  void aRecordThatIsNotJsonIsIgnoredAndDescribedWithoutTheParsersText() throws Exception {
    BlobSnapshotTarget target = new BlobSnapshotTarget(FileBlobStore.at(dir));
    DrillRecords.record(target, report("lifeboat_drill_20261201t095959z_00000001", true, Instant.parse("2026-12-01T10:00:00Z")));
    Files.writeString(dir.resolve("drills/lifeboat_drill_20261201t105959z_00000002.json"), "{\"drillId\": nope}");
    assertThat(DrillRecords.latest(target)).map(DrillRecord::drillId).contains("lifeboat_drill_20261201t095959z_00000001");

    JsonProcessingException notJson = catchThrowableOfType(() -> Json.mapper().readTree("{\"drillId\": nope}"),
        JsonProcessingException.class);
    assertThat(SealedManifest.problem(notJson)).isEqualTo(" (line 1, column 17)");
    JsonProcessingException wrongKind = catchThrowableOfType(() -> Json.mapper().readValue("{\"passed\": [1]}", DrillRecord.class),
        JsonProcessingException.class);
    assertThat(SealedManifest.problem(wrongKind)).isEqualTo(" (its field passed holds a value of the wrong kind)");
  }

  @Test
  void prunesAndHealthLearnThePassedDrillsFromTheRecords() throws Exception {
    BlobSnapshotTarget target = new BlobSnapshotTarget(FileBlobStore.at(dir));
    Instant t = Instant.parse("2026-12-01T10:00:00Z");
    assertThat(DrillRecords.HISTORY.provenSnapshotIds(target)).isEmpty();
    assertThat(DrillRecords.HISTORY.lastDrill(target)).isEmpty();
    DrillRecords.record(target, report("lifeboat_drill_20261201t095959z_00000001", true, t));
    DrillRecords.record(target, report("lifeboat_drill_20261201t105959z_00000002", false, t.plusSeconds(3600)));
    // Only a passed drill proves a snapshot; the last drill is the newest record, passed or not.
    assertThat(DrillRecords.HISTORY.provenSnapshotIds(target)).containsExactly("20261201T100000.000Z-0000abcd");
    assertThat(DrillRecords.HISTORY.lastDrill(target)).contains(
        new DrillHistory.Drill("20261201T100000.000Z-0000abcd", t.plusSeconds(3600), false));
  }

  @Test
  void drillNamesCarryTheirTime() {
    assertThat(DrillRun.timeOf("lifeboat_drill_20200101t000000z_deadbeef")).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
    assertThat(DrillRun.timeOf("lifeboat_drill_notatime_deadbeef")).isNull();
    assertThat(DrillRun.timeOf("shop")).isNull();
  }

  @Test
  void reportFilesAreNamedAfterTheQuarterAndTheMarkdownEscapesCells() throws Exception {
    DrillReport r = report("lifeboat_drill_20261201t095959z_00000001", false, Instant.parse("2026-11-30T23:59:59Z"));
    List<Path> files = DrillReports.write(r, dir.resolve("reports"));
    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactly("2026-Q4-restore-drill-20261130T235954Z.md", "2026-Q4-restore-drill-20261130T235954Z.json");
    String md = Files.readString(files.get(0));
    assertThat(md).contains("**Verdict: FAILED**").contains("| count public.a\\|b | 5 | 4 | **FAIL** |")
        .contains("| recovery time (RTO) | 1.5 | ≤ 3600.0 | yes |");
  }

  @Test
  void twoDrillsStartedInTheSameSecondKeepBothReports() throws Exception {
    Instant t = Instant.parse("2026-11-30T23:59:59Z");
    Path reports = dir.resolve("reports");
    List<Path> first = DrillReports.write(report("lifeboat_drill_20261130t235954z_0000000a", true, t), reports);
    List<Path> second = DrillReports.write(report("lifeboat_drill_20261130t235954z_0000000b", false, t), reports);

    assertThat(second).extracting(p -> p.getFileName().toString()).containsExactly(
        "2026-Q4-restore-drill-20261130T235954Z-0000000b.md", "2026-Q4-restore-drill-20261130T235954Z-0000000b.json");
    assertThat(Files.readString(first.get(1))).contains("lifeboat_drill_20261130t235954z_0000000a");
    assertThat(Files.readString(first.get(0))).contains("**Verdict: PASSED**");
    assertThat(Files.readString(second.get(1))).contains("lifeboat_drill_20261130t235954z_0000000b");
    try (var files = Files.list(reports)) {
      assertThat(files).hasSize(4);
    }
  }

  @Test
  void longObjectivesAreWrittenAsPlainSeconds() {
    DrillReport r = new DrillReport("lifeboat_drill_20261201t095959z_00000001", true, "20261201T100000.000Z-0000abcd",
        "postgresql://app@db/shop", Instant.parse("2026-01-01T00:00:00Z"), "file:/x", "postgresql://app@db/x",
        Instant.parse("2026-12-01T09:59:59Z"), Instant.parse("2026-12-01T10:00:00Z"), 1.0, 0.5, 1.5, 2.9376E7, 10L, 5L,
        Map.of("rpo", new DrillReport.Objective(3.1536E9, 2.9376E7, true)), List.of(), true, "dropped", null, null, "1.0", null);

    assertThat(DrillReports.markdown(r)).contains("| recovery point (RPO) | 29376000 | ≤ 3153600000 | yes |").doesNotContain("E7", "E9");
  }
}
