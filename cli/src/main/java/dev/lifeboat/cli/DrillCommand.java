package dev.lifeboat.cli;

import dev.lifeboat.DrillReport;
import dev.lifeboat.DrillRequest;
import dev.lifeboat.Lifeboat;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code lifeboat drill}: proves a snapshot restores, in a throwaway database, and files a report. */
@Command(name = "drill", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {
        "Restore drill: restore a snapshot into a throwaway database (lifeboat_drill_…) on the --into server, "
            + "verify it against its manifest (tables, columns, exact counts) and the checks given here, measure "
            + "RTO and RPO against the objectives, drop the database again (also on failure and on SIGTERM), and "
            + "write a Markdown and a JSON report into --report-dir.",
        "A Neon backup branch (--target neon://PROJECT) is drilled in a throwaway branch of it, without --into; "
            + "--at INSTANT with --target neon://PROJECT/BRANCH drills that branch as it was at the instant.",
        "Exits 0 when the drill passed, 3 when a check or objective failed, 1 when the drill could not run."
    })
final class DrillCommand extends LifeboatSubcommand {

  @Option(names = "--target", required = true, paramLabel = "URI", description = "The snapshot target, e.g. file:/backups.")
  String target;

  @Option(names = "--snapshot", paramLabel = "ID|latest",
      description = "The snapshot id, or latest (the default).")
  String snapshot;

  @Option(names = "--at", paramLabel = "INSTANT", converter = Converters.InstantConverter.class,
      description = "Point-in-time drill of a platform branch (--target neon://PROJECT/BRANCH) as it was at this UTC instant, "
          + "inside the project's history window; instead of --snapshot.")
  java.time.Instant at;

  @Option(names = "--into", paramLabel = "URI", description = "The server to drill an archive snapshot on, e.g. "
      + "postgresql://ci@localhost:5432/postgres (its database is not touched; a scratch database is created beside it). "
      + "Not used for a Neon backup branch or --at: Neon makes the throwaway branch.")
  String into;

  @Option(names = "--table", paramLabel = "T", description = "Restore and check only this table or collection. Repeatable.")
  List<String> tables = new ArrayList<>();

  @Mixin ExpectationOptions checks;
  @Mixin NotifyOptions notify;
  @Mixin KeyOptions keys;

  @Option(names = "--rto", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
      description = "Recovery time objective: restore plus verification must take at most this long.")
  Duration rto;

  @Option(names = "--rpo", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
      description = "Recovery point objective: the snapshot must be at most this old.")
  Duration rpo;

  @Option(names = "--report-dir", defaultValue = "drills", paramLabel = "DIR",
      description = "Where the reports are written (default: ${DEFAULT-VALUE}).")
  Path reportDir;

  @Option(names = "--json", description = "Print exactly the JSON report on standard output.")
  boolean json;

  @Override
  public Integer call() {
    if (at != null && snapshot != null) {
      throw new ParameterException(spec.commandLine(),
          "Give --snapshot ID to drill a snapshot or --at INSTANT to drill a branch as it was at that instant, not both.");
    }
    if (into != null && into.isBlank()) {
      throw new ParameterException(spec.commandLine(),
          "--into is empty: give the server to drill on (e.g. postgresql://user@host:5432/postgres), or leave it out for a platform drill.");
    }
    DrillRequest.Builder request = at != null ? DrillRequest.pointInTime(target, at)
        : DrillRequest.builder(target, snapshot == null ? "latest" : snapshot);
    if (into != null) {
      request.into(into);
    }
    request.tables(tables).rto(rto).rpo(rpo).reportDir(reportDir);
    keys.read().ifPresent(request::privateKey);
    checks.expectations().forEach(request::expect);
    DrillReport report;
    try (Lifeboat lifeboat = openLifeboat(notify); CleanUpOnSignal signals = new CleanUpOnSignal(lifeboat, err())) {
      report = lifeboat.drill(request.build());
    }
    out().println(json ? report.toJson() : summary(report));
    if (report.error() != null) {
      err().println("lifeboat: the drill could not run to its end: " + report.error());
      return LifeboatCli.FAILED;
    }
    return report.passed() ? LifeboatCli.OK : LifeboatCli.NOT_VERIFIED;
  }

  private static String summary(DrillReport r) {
    StringBuilder s = new StringBuilder();
    s.append("Drill ").append(r.drillId()).append(" of snapshot ").append(r.snapshotId()).append(": ")
        .append(r.passed() ? "PASSED" : "FAILED").append('\n');
    r.checks().stream().filter(c -> !c.passed())
        .forEach(c -> s.append("  failed: ").append(c.name()).append(" (expected ").append(c.expected()).append(", found ")
            .append(c.actual()).append(")\n"));
    r.objectives().forEach((name, o) -> s.append("  ").append(name).append(": ").append(seconds(o.actualSeconds()))
        .append(" s, objective ").append(seconds(o.limitSeconds())).append(" s, ").append(o.met() ? "met" : "MISSED").append('\n'));
    s.append("  cleanup: ").append(r.cleanup()).append('\n');
    r.files().forEach(f -> s.append("  report: ").append(f).append('\n'));
    return s.toString().stripTrailing();
  }

  /**
   * While a drill runs: a JVM shutdown hook that drops its scratch database when the process is
   * told to stop (SIGTERM, Ctrl-C). A drill killed with SIGKILL cannot; the next drill on the same
   * server drops the leftover once it is older than the drill timeout.
   */
  private static final class CleanUpOnSignal implements AutoCloseable {
    private final Thread hook;

    CleanUpOnSignal(Lifeboat lifeboat, PrintWriter err) {
      hook = new Thread(() -> {
        lifeboat.cleanUpDrills();
        err.println("lifeboat: drill interrupted by a signal; its scratch database (or throwaway branch) was removed.");
        err.flush();
      }, "lifeboat-drill-cleanup");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs or ran already.
      }
    }
  }

  // 3153600000 for a 100-year objective, as the report writes it, not Java's 3.1536E9.
  private static String seconds(Double value) {
    return value == null ? "-" : BigDecimal.valueOf(value).toPlainString();
  }
}
