package dev.lifeboat.cli;

import dev.lifeboat.HealthCheck;
import dev.lifeboat.HealthReport;
import dev.lifeboat.HealthRequest;
import dev.lifeboat.Json;
import dev.lifeboat.Lifeboat;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lifeboat health}: whether a target's backups can be relied on, as a short table or JSON. */
@Command(name = "health", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {
        "Check that a target's backups can be relied on.",
        "Checks: the newest snapshot's age (against --max-age), its stored bytes (size and SHA-256; --deep reads "
            + "the whole archive through its format), damaged snapshots, the last restore drill, and the "
            + "platform's own checks for native snapshots (PITR window, branch use). A check without a limit "
            + "is reported as information.",
        "Exits 0 when every check passed, 3 when one failed, 1 when the health could not be determined."
    })
final class HealthCommand extends LifeboatSubcommand {
  @Mixin NotifyOptions notify;

  @Option(names = "--target", required = true, paramLabel = "URI", description = "The snapshot target, e.g. file:/backups.")
  String target;

  @Option(names = "--max-age", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
      description = "The oldest the newest snapshot may be (your RPO), e.g. 26h.")
  Duration maxAge;

  @Option(names = "--max-drill-age", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
      description = "The oldest the last passed restore drill may be, e.g. 90d.")
  Duration maxDrillAge;

  @Option(names = "--min-pitr", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
      description = "The shortest point-in-time-restore window a platform may keep (default: 48h).")
  Duration minPitr;

  @Option(names = "--max-branch-use", paramLabel = "PERCENT", converter = HealthCommand.PercentConverter.class,
      description = "The largest share of the platform's branch limit that may be in use (default: 80).")
  Integer maxBranchUse;

  @Option(names = "--deep", description = "Read the newest snapshot's whole archive through its format.")
  boolean deep;

  @Option(names = "--json", description = "Print {\"healthy\", \"checkedAt\", \"checks\": [{\"name\", \"value\", \"limit\", \"passed\", \"hint\"}]}.")
  boolean json;

  @Override
  public Integer call() {
    HealthRequest.Builder request = HealthRequest.builder(target).maxAge(maxAge).maxDrillAge(maxDrillAge).deep(deep);
    if (minPitr != null) {
      request.minPitr(minPitr);
    }
    if (maxBranchUse != null) {
      request.maxBranchUsePercent(maxBranchUse);
    }
    HealthRequest built = request.build();
    HealthReport report;
    try (Lifeboat lifeboat = openLifeboat(notify)) {
      report = lifeboat.health(built);
    }
    if (json) {
      out().println(Json.write(report));
    } else {
      Table t = new Table("", "CHECK", "VALUE", "LIMIT", "HINT");
      for (HealthCheck c : report.checks()) {
        t.row(c.informational() ? "INFO" : c.passed() ? "OK" : "FAIL", c.name(), c.value(),
            c.limit() == null ? "-" : c.limit(), c.hint());
      }
      out().print(t.render());
      out().println((report.healthy() ? "HEALTHY  " : "UNHEALTHY  ") + Summaries.location(target)
          + (report.healthy() ? "" : ": " + Summaries.count(report.failed().size(), "check", "checks") + " failed"));
    }
    return report.healthy() ? LifeboatCli.OK : LifeboatCli.NOT_VERIFIED;
  }

  /** {@code --max-branch-use}: 1 to 100, with or without a trailing {@code %}. */
  static final class PercentConverter implements picocli.CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      String v = value.trim();
      return Converters.intInRange(v.endsWith("%") ? v.substring(0, v.length() - 1) : v, 1, 100);
    }
  }
}
