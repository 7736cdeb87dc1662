package dev.lifeboat.cli;

import dev.lifeboat.Json;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.PruneRequest;
import dev.lifeboat.PruneResult;
import dev.lifeboat.retention.PrunePlan;
import dev.lifeboat.retention.RetentionPolicy;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lifeboat prune}: applies a retention policy (restic's {@code forget} rules) to a target
 * and deletes what it removes, or with {@code --dry-run} only shows the plan.
 */
@Command(name = "prune", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {
        "Delete the snapshots a retention policy does not keep (restic's 'forget' rules).",
        "Each --keep-hourly/daily/weekly/monthly/yearly N keeps the newest snapshot of each of the N newest "
            + "UTC hours, days, ISO weeks, months or years that have one; --keep-last N the N newest; "
            + "-1 keeps all. --keep-within keeps everything taken less than that before the newest snapshot. "
            + "Rules are combined: a snapshot any rule keeps is kept.",
        "Never removed: the newest snapshot, the newest snapshot whose restore drill passed, snapshots "
            + "labelled keep=forever, and damaged snapshots (reported). At least one keep rule is required.",
        "Exits 1 when a deletion failed (the others are still attempted)."
    })
final class PruneCommand extends LifeboatSubcommand {
  @Mixin NotifyOptions notify;

  @Option(names = "--target", required = true, paramLabel = "URI", description = "The snapshot target, e.g. file:/backups or neon://project.")
  String target;

  @Option(names = "--keep-last", paramLabel = "N", converter = Converters.KeepCountConverter.class,
      description = "Keep the N newest snapshots.")
  int keepLast;

  @Option(names = "--keep-hourly", paramLabel = "N", converter = Converters.KeepCountConverter.class,
      description = "Keep the newest snapshot of each of the N newest hours.")
  int keepHourly;

  @Option(names = "--keep-daily", paramLabel = "N", converter = Converters.KeepCountConverter.class,
      description = "Keep the newest snapshot of each of the N newest days.")
  int keepDaily;

  @Option(names = "--keep-weekly", paramLabel = "N", converter = Converters.KeepCountConverter.class,
      description = "Keep the newest snapshot of each of the N newest ISO weeks.")
  int keepWeekly;

  @Option(names = "--keep-monthly", paramLabel = "N", converter = Converters.KeepCountConverter.class,
      description = "Keep the newest snapshot of each of the N newest months.")
  int keepMonthly;

  @Option(names = "--keep-yearly", paramLabel = "N", converter = Converters.KeepCountConverter.class,
      description = "Keep the newest snapshot of each of the N newest years.")
  int keepYearly;

  @Option(names = "--keep-within", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
      description = "Keep every snapshot taken less than this before the newest one, e.g. 7d.")
  Duration keepWithin;

  @Option(names = "--dry-run", description = "Show the plan; delete nothing.")
  boolean dryRun;

  @Option(names = "--json", description = "Print the plan as JSON: {\"keep\": [{\"id\", \"createdAt\", \"reasons\"}], "
      + "\"remove\": [{\"id\", \"createdAt\"}]} (plus \"damaged\" when there are damaged snapshots).")
  boolean json;

  @Override
  public Integer call() {
    RetentionPolicy policy = RetentionPolicy.builder().keepLast(keepLast).keepHourly(keepHourly).keepDaily(keepDaily)
        .keepWeekly(keepWeekly).keepMonthly(keepMonthly).keepYearly(keepYearly).keepWithin(keepWithin).build();
    PruneRequest request = PruneRequest.builder(target, policy).dryRun(dryRun).build();
    PruneResult result;
    try (Lifeboat lifeboat = openLifeboat(notify)) {
      result = lifeboat.prune(request);
    }
    if (json) {
      out().println(Json.write(result.plan()));
    } else {
      printPlan(result, policy);
    }
    out().flush();
    for (PruneResult.Failure f : result.failures()) {
      err().println("lifeboat: could not delete snapshot " + f.id() + ": " + f.message());
    }
    if (!result.succeeded()) {
      err().println("lifeboat: prune failed for " + Summaries.count(result.failures().size(), "snapshot", "snapshots")
          + "; the others were handled. Run the prune again to retry.");
      return LifeboatCli.FAILED;
    }
    return LifeboatCli.OK;
  }

  private void printPlan(PruneResult result, RetentionPolicy policy) {
    PrunePlan plan = result.plan();
    out().println("Policy for " + Summaries.location(target) + ": " + policy + (result.dryRun() ? " (dry run: nothing deleted)" : ""));
    if (plan.keep().isEmpty() && plan.remove().isEmpty() && plan.damaged().isEmpty()) {
      out().println("No snapshots.");
      return;
    }
    Table t = new Table("ACTION", "ID", "CREATED (UTC)", "REASONS");
    plan.keep().forEach(k -> t.row("keep", k.id(), ListCommand.time(k.createdAt()), String.join(", ", k.reasons())));
    plan.remove().forEach(r -> t.row(result.dryRun() ? "would remove" : "remove", r.id(), ListCommand.time(r.createdAt()), ""));
    plan.damaged().forEach(d -> t.row("damaged", d.id(), ListCommand.time(d.createdAt()), "left alone: " + d.reason()));
    out().print(t.render());
    out().println((result.dryRun() ? "Would delete " : "Deleted ")
        + Summaries.count(result.dryRun() ? plan.remove().size() : result.deleted().size(), "snapshot", "snapshots")
        + ", kept " + plan.keep().size()
        + (plan.damaged().isEmpty() ? "" : ", " + plan.damaged().size() + " damaged left alone (delete them with a look first)")
        + ".");
  }
}
