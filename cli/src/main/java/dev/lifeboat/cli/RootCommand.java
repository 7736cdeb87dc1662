package dev.lifeboat.cli;

import dev.lifeboat.LifeboatBuilder;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatListener;
import dev.lifeboat.ProgressListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code lifeboat}: the top command, holding the options every command shares. Its commands are
 * added by {@link LifeboatCli}, which builds only the one a command line runs.
 */
@Command(
    name = "lifeboat",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Back up, restore and prove the restore of databases.",
    footer = {
        "",
        "Exit codes: 0 success, 1 the operation failed, 2 bad usage or configuration,",
        "            3 integrity or verification failed."
    })
final class RootCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Show debug logging and stack traces.")
  boolean verbose;

  @Option(names = "--setting", paramLabel = "KEY=VALUE",
      description = "A provider setting, e.g. pgdump.bin=/usr/lib/postgresql/16/bin. Repeatable, here or after the command.")
  Map<String, String> settings = new LinkedHashMap<>();

  boolean verbose() {
    return verbose;
  }

  /** A Lifeboat instance with the settings given before the command and then {@code more}; close it after use. */
  Lifeboat open(Map<String, String> more, ProgressListener progress) {
    return open(more, progress, List.of());
  }

  /** {@link #open(Map, ProgressListener)} with event listeners (notifications, heartbeats). */
  Lifeboat open(Map<String, String> more, ProgressListener progress, List<LifeboatListener> listeners) {
    LifeboatBuilder builder = Lifeboat.builder().settings(settings).settings(more).progress(progress);
    listeners.forEach(builder::listener);
    return builder.build();
  }

  /** Without a command: the usage on standard error, and the usage exit code. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return LifeboatCli.USAGE;
  }
}
