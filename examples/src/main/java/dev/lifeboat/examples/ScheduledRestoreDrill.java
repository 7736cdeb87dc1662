package dev.lifeboat.examples;

import dev.lifeboat.DrillReport;
import dev.lifeboat.DrillRequest;
import dev.lifeboat.Expectation;
import dev.lifeboat.Lifeboat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runbook's "test restores regularly" as a scheduled job: each run drills the newest snapshot
 * into a throwaway database on a scratch server, checks what the team cares about, holds the
 * restore to the recovery objectives and files a Markdown and JSON report in a folder (commit it
 * as audit evidence). Schedule {@link #runOnce()} with cron, a CI schedule or a
 * {@code ScheduledExecutorService}; its return value is the process's exit code.
 *
 * <pre>{@code
 * try (Lifeboat lifeboat = Lifeboat.builder().build()) {
 *   int exit = new ScheduledRestoreDrill(lifeboat, "file:/backups/shop", "postgresql://ci@scratch:5432/postgres",
 *       List.of(new Expectation.QueryIsTrue("members present", "SELECT count(*) > 0 FROM members")),
 *       Duration.ofHours(1), Duration.ofHours(24), Path.of("docs/OPS/drills")).runOnce();
 * }
 * }</pre>
 */
public final class ScheduledRestoreDrill {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduledRestoreDrill.class);

  private final Lifeboat lifeboat;
  private final String target;
  private final String into;
  private final List<Expectation> checks;
  private final Duration rto;
  private final Duration rpo;
  private final Path reportDir;

  /**
   * @param lifeboat the application's Lifeboat instance (not closed here)
   * @param target where the snapshots are kept
   * @param into the server the throwaway database is created on
   * @param checks what must hold in the restored data besides the manifest's counts
   * @param rto the longest a restore plus verification may take
   * @param rpo the oldest the newest snapshot may be
   * @param reportDir where the reports are filed
   */
  public ScheduledRestoreDrill(Lifeboat lifeboat, String target, String into, List<Expectation> checks, Duration rto,
      Duration rpo, Path reportDir) {
    this.lifeboat = Objects.requireNonNull(lifeboat, "lifeboat");
    this.target = Objects.requireNonNull(target, "target");
    this.into = Objects.requireNonNull(into, "into");
    this.checks = List.copyOf(checks);
    this.rto = rto;
    this.rpo = rpo;
    this.reportDir = Objects.requireNonNull(reportDir, "reportDir");
  }

  /** Drills the newest snapshot once: 0 passed, 3 a check or objective failed, 1 the drill could not run. */
  public int runOnce() {
    DrillRequest.Builder request = DrillRequest.builder(target, "latest").into(into).rto(rto).rpo(rpo).reportDir(reportDir);
    checks.forEach(request::expect);
    DrillReport report = lifeboat.drill(request.build());
    LOG.info("Restore drill of snapshot {}: {}; report {}", report.snapshotId(), report.passed() ? "passed" : "FAILED", report.files());
    if (report.error() != null) {
      return 1;
    }
    return report.passed() ? 0 : 3;
  }
}
