package dev.lifeboat.cli;

import dev.lifeboat.LifeboatBuilder;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatListener;
import dev.lifeboat.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
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
      description = "A provider setting, e.g. pgdump.bin=/usr/lib/postgresql/16/bin. Repeatable, here or after the command;"
          + " each key once.")
  List<String> settings = new ArrayList<>();

  boolean verbose() {
    return verbose;
  }

  /**
   * A Lifeboat instance with the settings given before the command and then {@code more} (a usage
   * error of {@code command} when one is malformed or a key comes twice), reporting to
   * {@code progress} and {@code listeners}; close it after use.
   */
  Lifeboat open(CommandLine command, List<String> more, ProgressListener progress, List<LifeboatListener> listeners) {
    List<String> all = new ArrayList<>(settings);
    all.addAll(more);
    LifeboatBuilder builder = Lifeboat.builder()
        .settings(KeyValues.parse(command, "--setting", "pgdump.bin=/usr/lib/postgresql/16/bin", all)).progress(progress);
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
