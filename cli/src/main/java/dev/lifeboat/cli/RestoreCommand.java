package dev.lifeboat.cli;

import dev.lifeboat.Expectation;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Location;
import dev.lifeboat.Redactor;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lifeboat restore}: loads a snapshot into a destination, optionally verifying it. */
@Command(name = "restore", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {
        "Restore a snapshot into a destination database.",
        "The archive's checksum and format are checked before the destination is touched. A destination "
            + "that holds data is refused without --replace; the snapshot's own source is refused unless "
            + "--confirm names it."
    })
final class RestoreCommand extends LifeboatSubcommand {

  @Option(names = "--target", required = true, paramLabel = "URI", description = "The snapshot target, e.g. file:/backups.")
  String target;

  @Option(names = "--snapshot", paramLabel = "ID|latest", description = "The snapshot id, or latest.")
  String snapshot;

  @Option(names = "--at", paramLabel = "INSTANT", converter = Converters.InstantConverter.class,
      description = "Instead of --snapshot: restore the platform's point in time (a Supabase project's PITR window), ISO-8601 UTC.")
  java.time.Instant at;

  @Option(names = "--destination", required = true, paramLabel = "URI",
      description = "Where to restore, e.g. postgresql://user@host/db_restored (created when missing).")
  String destination;

  @Option(names = "--replace", description = "Replace what the destination already holds.")
  boolean replace;

  @Option(names = "--confirm", paramLabel = "NAME",
      description = "The destination's own name, to confirm restoring onto a protected destination (such as the snapshot's source).")
  String confirm;

  @Option(names = "--table", paramLabel = "T", description = "Restore only this table. Repeatable.")
  List<String> tables = new ArrayList<>();

  @Option(names = "--jobs", paramLabel = "N", defaultValue = "1", converter = Converters.JobsConverter.class,
      description = "Parallel restore workers, 1 to " + Converters.MAX_JOBS + ": pg_restore jobs, or collections loaded at once"
          + " into MongoDB (a JSONB standby takes 1). Default: ${DEFAULT-VALUE}.")
  int jobs;

  @Option(names = "--verify", description = "Verify the destination after loading; exit 3 when it does not pass.")
  boolean verify;

  @Mixin ExpectationOptions checks;

  @Mixin KeyOptions keys;

  @Mixin NotifyOptions notify;

  @Override
  public Integer call() {
    List<Expectation> expectations = checks.expectations();
    RestoreOptions options = RestoreOptions.builder()
        .replace(replace).confirm(confirm).tables(tables).jobs(jobs).build();
    if ((snapshot == null) == (at == null)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "Give either --snapshot ID (or latest) or --at INSTANT (a platform's point in time), not " + (at == null ? "neither" : "both") + ".");
    }
    // A platform's point in time is a snapshot of its catalog named pitr@INSTANT.
    String chosen = at != null ? "pitr@" + at : snapshot;
    RestoreRequest.Builder request = RestoreRequest.builder(target, chosen, destination).options(options);
    keys.read().ifPresent(request::privateKey);
    if (verify || !expectations.isEmpty()) {
      request.verify(expectations.toArray(new Expectation[0]));
    }
    if (root().verbose()) {
      err().println("Restoring " + chosen + " from " + Summaries.location(target) + " into " + Summaries.location(destination) + " ...");
      err().flush();
    }
    RestoreResult result;
    // A Neon or Supabase project's own snapshots are restored by the platform: the command waits on
    // it, which only an interrupt stops, and the platform goes on without it. Anything else
    // restores with a tool the JVM stops as it exits.
    String platform = platform(target);
    String fallback = "it did not stop within " + ReportOnSignal.WAIT.toSeconds() + " s"
        + (platform == null ? ": check the destination before using it, and restore again with --replace."
            : ", and " + platform + " may go on with the restore without Lifeboat: check " + Summaries.location(destination)
                + (platform.equals("Neon") ? " with 'lifeboat branch list --on " + Summaries.location(target) + "'"
                    : " in the Supabase dashboard") + " before using it.");
    try (Lifeboat lifeboat = openLifeboat(notify); ReportOnSignal signals = ReportOnSignal.install("restore", platform != null, fallback, err())) {
      try {
        result = lifeboat.restore(request.build());
      } catch (RuntimeException e) {
        if (signals.fired()) {
          // Stopped by SIGTERM or Ctrl-C: the shutdown hook says so in one line, and the JVM exits with the signal's status.
          signals.ended(destinationState(e));
          return LifeboatCli.FAILED;
        }
        throw e;
      }
      if (signals.fired()) {
        signals.ended("it had already finished: " + Summaries.restore(result).lines().findFirst().orElse(""));
      }
    }
    out().println(Summaries.restore(result));
    if (!result.restored().isEmpty() && root().verbose()) {
      out().println("  restored: " + String.join(", ", result.restored()));
    }
    return result.verified().map(v -> v.passed() ? LifeboatCli.OK : LifeboatCli.NOT_VERIFIED).orElse(LifeboatCli.OK);
  }

  /** The platform that restores {@code target}'s snapshots itself (Neon, Supabase), or null; a malformed target is left for the restore to refuse. */
  private static String platform(String target) {
    try {
      String scheme = Location.parse(target).scheme();
      return scheme.equals("neon") ? "Neon" : scheme.equals("supabase") ? "Supabase" : null;
    } catch (RuntimeException malformed) {
      return null;
    }
  }

  /**
   * What a restore stopped by a signal left behind. A restorer ends its failure message with a
   * line on the destination's state (rolled back, dropped, partly restored); the lines before it
   * are the killed tool's own complaints, which say nothing the signal does not.
   */
  static String destinationState(RuntimeException e) {
    String message = e.getMessage() == null ? "" : e.getMessage().strip();
    List<String> lines = message.lines().toList();
    String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    if (lines.size() < 2 || last.isEmpty()) {
      return "it stopped before it finished (" + ErrorReporter.oneLine(Redactor.redact(message))
          + "); check the destination before using it.";
    }
    String state = Redactor.redact(last);
    return Character.toLowerCase(state.charAt(0)) + state.substring(1);
  }
}
