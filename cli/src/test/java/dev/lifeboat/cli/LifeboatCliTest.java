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
  void theVersionAloneBuildsNoCommand() {
    assertThat(LifeboatCli.commandLine(discard(), discard(), new String[] {"--version"}).getSubcommands()).isEmpty();
    assertThat(LifeboatCli.commandLine(discard(), discard(), new String[] {"--verbose", "-V"}).getSubcommands()).isEmpty();
    assertThat(LifeboatCli.asksOnlyForTheVersion(new String[] {"--version", "--help"})).isFalse();
    assertThat(LifeboatCli.asksOnlyForTheVersion(new String[] {"--version", "lst"})).isFalse();
    assertThat(LifeboatCli.asksOnlyForTheVersion(new String[] {"--verbose"})).isFalse();
    Cli.Result r = Cli.run("--version");
    assertThat(r.exit()).isEqualTo(LifeboatCli.OK);
    assertThat(r.out()).startsWith("lifeboat ").contains("Schemes: ");
  }

  @Test
  void everyCommandIsRegisteredUnderTheNameItsAnnotationGives() {
    CommandLine all = LifeboatCli.commandLine(discard(), discard());
    all.getSubcommands().forEach((name, command) -> assertThat(
        command.getCommandSpec().userObject().getClass().getAnnotation(Command.class).name()).as(name).isEqualTo(name));
  }

  @Test
  void aMisspeltCommandIsAUsageErrorThatNamesItAndItsClosestMatch() {
    Cli.Result r = Cli.run("lst", "--target", "x");
    assertThat(r.exit()).isEqualTo(LifeboatCli.USAGE);
    assertThat(r.err()).contains("'lst' is not a command; did you mean 'list'?").contains("backup, list, restore")
        .doesNotContain("Unmatched");
    Cli.Result unknown = Cli.run("frobnicate");
    assertThat(unknown.exit()).isEqualTo(LifeboatCli.USAGE);
    assertThat(unknown.err()).contains("'frobnicate' is not a command").contains("The commands: backup");
  }

  @Test
  void anUnknownOptionOfTheTopCommandIsStillReportedAsAnOption() {
    Cli.Result r = Cli.run("--frobnicate", "list", "--target", "x");
    assertThat(r.exit()).isEqualTo(LifeboatCli.USAGE);
    assertThat(r.err()).contains("--frobnicate").doesNotContain("is not a command");
  }

  @Test
  void helpBeforeACommandShowsThatCommandsHelp() {
    assertThat(LifeboatCli.helpAsOption(new String[] {"help", "restore"})).containsExactly("restore", "--help");
    assertThat(LifeboatCli.helpAsOption(new String[] {"help"})).containsExactly("--help");
    assertThat(LifeboatCli.helpAsOption(new String[] {"help", "lst"})).containsExactly("lst");
    assertThat(LifeboatCli.helpAsOption(new String[] {"list", "help"})).containsExactly("list", "help");
    Cli.Result r = Cli.run("help", "restore");
    assertThat(r.exit()).isEqualTo(LifeboatCli.OK);
    assertThat(r.out()).contains("Usage: lifeboat restore");
  }
}
