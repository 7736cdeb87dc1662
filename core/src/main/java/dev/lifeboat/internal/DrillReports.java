package dev.lifeboat.internal;

import dev.lifeboat.DrillReport;
import dev.lifeboat.DrillReport.DrillCheck;
import dev.lifeboat.DrillReport.Objective;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Json;
import dev.lifeboat.LifeboatException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.FileAlreadyExistsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A drill's report files: {@code YYYY-QN-restore-drill-<utc>.json} (the report as JSON) and
 * {@code .md} (the same for people, fit to commit as audit evidence), named after the drill's
 * quarter and start time.
 */
public final class DrillReports {
  private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private DrillReports() {}

  /** The JSON document of a report, as written to its file and printed by {@code drill --json}. */
  public static String json(DrillReport report) {
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write a drill report as JSON", e);
    }
  }

  /**
   * Refuses a report folder that is a file, or that could not be created or written, in words (the
   * file system's own message would only repeat the path). Creates nothing: a drill that then
   * cannot start leaves no empty folder behind.
   */
  static void requireFolder(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Cannot write the drill report into " + dir
          + ": it is a file, not a folder. Give a folder with --report-dir (created when missing).");
    }
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && (!Files.isDirectory(existing) || !Files.isWritable(existing))) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Cannot write the drill report into " + dir + ": " + existing
          + (Files.isDirectory(existing) ? " is not writable" : " is a file, not a folder")
          + ". Give a writable folder with --report-dir.");
    }
  }

  static List<Path> write(DrillReport report, Path dir) {
    ZonedDateTime at = report.startedAt().atZone(ZoneOffset.UTC);
    String base = at.getYear() + "-Q" + ((at.getMonthValue() - 1) / 3 + 1) + "-restore-drill-" + FILE_TIME.format(at);
    requireFolder(dir);
    try {
      Files.createDirectories(dir);
      // Two drills started in the same second (two targets drilled by one job) must not replace
      // each other's evidence: the second takes its drill's random suffix as well.
      if (!claim(dir.resolve(base + ".json"))) {
        base = base + "-" + report.drillId().substring(report.drillId().lastIndexOf('_') + 1);
        claim(dir.resolve(base + ".json"));
      }
      Path json = dir.resolve(base + ".json");
      Path md = dir.resolve(base + ".md");
      Files.writeString(json, json(report) + "\n", StandardCharsets.UTF_8);
      Files.writeString(md, markdown(report), StandardCharsets.UTF_8);
      return List.of(md, json);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Cannot write the drill report into " + dir + ": " + e.getMessage()
          + ". Give a writable folder with --report-dir.", e);
    }
  }

  /** Creates {@code file} empty unless it exists (atomically, so of two drills only one gets it); false when it existed. */
  private static boolean claim(Path file) throws IOException {
    try {
      Files.createFile(file);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  /** The Markdown report. */
  public static String markdown(DrillReport r) {
    StringBuilder s = new StringBuilder();
    s.append("# Restore drill ").append(r.drillId()).append("\n\n");
    s.append("**Verdict: ").append(r.passed() ? "PASSED" : "FAILED").append("**\n\n");
    s.append("| | |\n|---|---|\n");
    row(s, "Snapshot", r.snapshotId());
    row(s, "Source", r.source());
    row(s, "Taken at", r.takenAt());
    row(s, "Kept in", r.target());
    row(s, "Restored into", r.destination());
    row(s, "Started", r.startedAt());
    row(s, "Finished", r.finishedAt());
    row(s, "Lifeboat version", r.lifeboatVersion());
    if (r.error() != null) {
      row(s, "Could not run", r.error());
    }
    s.append("\n## Checks\n\n");
    if (r.checks().isEmpty()) {
      s.append("No check ran.\n");
    } else {
      s.append("| check | expected | actual | result |\n|---|---|---|---|\n");
      for (DrillCheck c : r.checks()) {
        s.append("| ").append(cell(c.name())).append(" | ").append(cell(c.expected())).append(" | ").append(cell(c.actual()))
            .append(" | ").append(c.passed() ? "pass" : "**FAIL**").append(" |\n");
      }
    }
    s.append("\n## Timings\n\n| measure | seconds | objective | met |\n|---|---|---|---|\n");
    timing(s, "restore", r.restoreSeconds(), null);
    timing(s, "verification", r.verifySeconds(), null);
    timing(s, "recovery time (RTO)", r.rtoSeconds(), r.objectives().get("rto"));
    timing(s, "recovery point (RPO)", r.rpoSeconds(), r.objectives().get("rpo"));
    s.append("\n## Cleanup\n\n").append(r.cleanedUp() ? "Done: " : "**Not done**: ").append(cell(r.cleanup())).append(".\n");
    return s.toString();
  }

  private static void row(StringBuilder s, String name, Object value) {
    s.append("| ").append(name).append(" | ").append(value == null ? "—" : cell(String.valueOf(value))).append(" |\n");
  }

  private static void timing(StringBuilder s, String name, Double seconds, Objective objective) {
    s.append("| ").append(name).append(" | ").append(seconds(seconds)).append(" | ")
        .append(objective == null ? "—" : "≤ " + seconds(objective.limitSeconds())).append(" | ")
        .append(objective == null ? "—" : objective.met() ? "yes" : "**no**").append(" |\n");
  }

  /**
   * Seconds as people write them in a report: {@code 3600.0}, {@code 3153600000} for a 100-year
   * objective, never Java's {@code 3.1536E9}.
   */
  static String seconds(Double value) {
    return value == null ? "—" : BigDecimal.valueOf(value).toPlainString();
  }

  private static String cell(String text) {
    return text == null ? "—" : text.replace("|", "\\|").replace("\n", " ");
  }

}
