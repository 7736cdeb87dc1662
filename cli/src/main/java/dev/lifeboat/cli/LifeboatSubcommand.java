package dev.lifeboat.cli;

import dev.lifeboat.Lifeboat;
import dev.lifeboat.Progress;
import dev.lifeboat.ProgressListener;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every {@code lifeboat} command shares: its streams and a Lifeboat with the global settings. */
abstract class LifeboatSubcommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  // Not inherited from the top command: picocli would start a fresh list for the command's copy.
  @Option(names = "--setting", paramLabel = "KEY=VALUE",
      description = "A provider setting, e.g. pgdump.bin=/usr/lib/postgresql/16/bin. Repeatable; each key once.")
  List<String> settings = new ArrayList<>();

  final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  final RootCommand root() {
    return (RootCommand) spec.root().userObject();
  }

  /** A Lifeboat that reports progress on standard error. */
  final Lifeboat openLifeboat() {
    return root().open(spec.commandLine(), settings, progressOnStderr(), List.of());
  }

  /** A Lifeboat that reports progress on standard error and sends the notifications and heartbeats asked for. */
  final Lifeboat openLifeboat(NotifyOptions notify) {
    return root().open(spec.commandLine(), settings, progressOnStderr(), notify.listeners(err()));
  }

  /** Progress lines on standard error, so that standard output stays parseable. */
  final ProgressListener progressOnStderr() {
    PrintWriter err = err();
    return (Progress p) -> {
      if ("notice".equals(p.phase())) {
        // A provider's one-line notice (which connection it chose, a platform's status): always shown.
        err.println("  " + p.detail());
        err.flush();
        return;
      }
      if ("dump".equals(p.phase()) || root().verbose()) {
        err.println("  " + p.phase() + ": " + Table.bytes(p.bytes())
            + (p.items() >= 0 ? ", " + Summaries.count(p.items(), "row", "rows") : "")
            + (p.detail() == null || p.detail().isEmpty() ? "" : "  " + p.detail()));
        err.flush();
      }
    };
  }
}
