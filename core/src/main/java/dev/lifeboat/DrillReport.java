package dev.lifeboat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a restore drill, what its Markdown and JSON reports hold. Every text in it is
 * redacted. A drill that could not run to its end (server down, restore tool failed) has
 * {@link #error()} and did not pass; a drill whose checks or objectives failed has no error.
 *
 * @param drillId the drill's id, which names its scratch database ({@code lifeboat_drill_…})
 * @param passed every check passed and every objective was met
 * @param snapshotId the drilled snapshot
 * @param source the snapshot's source, redacted
 * @param takenAt the snapshot's consistent-at instant
 * @param target where the snapshot is kept, redacted
 * @param destination the scratch database, redacted
 * @param restoreSeconds the restore's wall time
 * @param verifySeconds the verification's wall time
 * @param rtoSeconds from the start of the restore until verification ended
 * @param rpoSeconds the drill's start minus the snapshot's consistent-at instant
 * @param objectives {@code rto} and {@code rpo}, when given
 * @param checks every check, stored bytes first
 * @param cleanedUp whether the scratch database is gone (also true when none was created)
 * @param cleanup what cleanup did, in words
 * @param error why the drill could not run to its end, or {@code null}
 * @param errorCode the error's code, or {@code null}
 * @param files the report files written (not part of the JSON)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"drillId", "passed", "snapshotId", "source", "takenAt", "target", "destination", "startedAt", "finishedAt",
    "restoreSeconds", "verifySeconds", "rtoSeconds", "rpoSeconds", "sizeBytes", "rows", "objectives", "checks", "cleanedUp",
    "cleanup", "error", "errorCode", "lifeboatVersion"})
public record DrillReport(
    String drillId,
    boolean passed,
    String snapshotId,
    String source,
    Instant takenAt,
    String target,
    String destination,
    Instant startedAt,
    Instant finishedAt,
    Double restoreSeconds,
    Double verifySeconds,
    Double rtoSeconds,
    Double rpoSeconds,
    Long sizeBytes,
    Long rows,
    Map<String, Objective> objectives,
    List<DrillCheck> checks,
    boolean cleanedUp,
    String cleanup,
    String error,
    ErrorCode errorCode,
    String lifeboatVersion,
    @JsonIgnore List<Path> files) {

  public DrillReport {
    objectives = objectives == null ? Map.of() : Map.copyOf(objectives);
    checks = checks == null ? List.of() : List.copyOf(checks);
    files = files == null ? List.of() : List.copyOf(files);
  }

  /** The report as the JSON document written to its {@code .json} file (indented). */
  public String toJson() {
    return dev.lifeboat.internal.DrillReports.json(this);
  }

  /** The report as the Markdown written to its {@code .md} file. */
  public String toMarkdown() {
    return dev.lifeboat.internal.DrillReports.markdown(this);
  }

  /** The report with the files it was written to. */
  public DrillReport withFiles(List<Path> written) {
    return new DrillReport(drillId, passed, snapshotId, source, takenAt, target, destination, startedAt, finishedAt,
        restoreSeconds, verifySeconds, rtoSeconds, rpoSeconds, sizeBytes, rows, objectives, checks, cleanedUp, cleanup,
        error, errorCode, lifeboatVersion, written);
  }

  /**
   * A recovery objective and whether the drill met it.
   *
   * @param limitSeconds the objective
   * @param actualSeconds what the drill measured, or {@code null} when it got no measurement
   * @param met whether the measurement is within the limit
   */
  public record Objective(double limitSeconds, Double actualSeconds, boolean met) {}

  /**
   * One fact the drill checked.
   *
   * @param name what was checked, e.g. {@code count public.orders}
   * @param passed whether it held
   * @param expected what a good restore gives, in words
   * @param actual what the drill found
   */
  public record DrillCheck(String name, boolean passed, String expected, String actual) {}
}
