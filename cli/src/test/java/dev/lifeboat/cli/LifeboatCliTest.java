package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** How a command line is built: only the command it names, found past the top command's options. */
class LifeboatCliTest {
  private static PrintWriter discard() {
    return new PrintWriter(new StringWriter());
  }

  @Test
  void theCommandIsFoundPastTheTopCommandsOptions() {
    assertThat(LifeboatCli.commandName(new String[] {"list", "--target", "backup"})).isEqualTo("list");
    assertThat(LifeboatCli.commandName(new String[] {"--verbose", "restore", "--target", "x"})).isEqualTo("restore");
    assertThat(LifeboatCli.commandName(new String[] {"--setting", "list=x", "backup"})).as("a setting's value is no command")
        .isEqualTo("backup");
    assertThat(LifeboatCli.commandName(new String[] {"--setting=a=b", "drill"})).isEqualTo("drill");
    assertThat(LifeboatCli.commandName(new String[] {"lst", "--target", "x"})).as("a misspelt command").isNull();
    assertThat(LifeboatCli.commandName(new String[] {"--help"})).isNull();
    assertThat(LifeboatCli.commandName(new String[0])).isNull();
  }

  @Test
  void aCommandLineThatNamesACommandBuildsOnlyThatOne() {
    CommandLine one = LifeboatCli.commandLine(discard(), discard(), new String[] {"--verbose", "list", "--target", "x"});
    assertThat(one.getSubcommands().keySet()).containsExactly("list");
    assertThat(one.getSubcommands().get("list").getCommandSpec().findOption("--verbose"))
        .as("the top command's --verbose is inherited by the command added later").isNotNull();

    CommandLine misspelt = LifeboatCli.commandLine(discard(), discard(), new String[] {"lst"});
    assertThat(misspelt.getSubcommands().keySet()).as("every command, for picocli's suggestion")
        .contains("backup", "list", "restore", "verify", "drill", "branch", "prune", "health", "keys", "demo");
  }

  @Test
  void everyCommandIsRegisteredUnderTheNameItsAnnotationGives() {
    CommandLine all = LifeboatCli.commandLine(discard(), discard());
    all.getSubcommands().forEach((name, command) -> assertThat(
        command.getCommandSpec().userObject().getClass().getAnnotation(Command.class).name()).as(name).isEqualTo(name));
  }

  @Test
  void aMisspeltCommandIsAUsageErrorThatNamesIt() {
    Cli.Result r = Cli.run("lst", "--target", "x");
    assertThat(r.exit()).isEqualTo(LifeboatCli.USAGE);
    assertThat(r.err()).contains("lst");
  }
}
