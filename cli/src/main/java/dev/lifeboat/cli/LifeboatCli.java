package dev.lifeboat.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Builds and runs the {@code lifeboat} command line. Exit codes: 0 success, 1 the operation
 * failed, 2 bad usage or configuration, 3 integrity or verification failed.
 */
public final class LifeboatCli {
  /** The operation succeeded. */
  public static final int OK = 0;
  /** The operation failed while working. */
  public static final int FAILED = 1;
  /** Bad usage or configuration, found before any work started. */
  public static final int USAGE = 2;
  /** An integrity check or a verification failed. */
  public static final int NOT_VERIFIED = 3;

  /**
   * The commands by name, in the order the usage lists them. picocli builds a command's model by
   * reflection over all its options, about 40 ms each on a cold JVM; a command line that names one
   * of these builds only that one.
   */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("backup", BackupCommand::new);
    COMMANDS.put("list", ListCommand::new);
    COMMANDS.put("restore", RestoreCommand::new);
    COMMANDS.put("verify", VerifyCommand::new);
    COMMANDS.put("drill", DrillCommand::new);
    COMMANDS.put("branch", BranchCommand::new);
    COMMANDS.put("prune", PruneCommand::new);
    COMMANDS.put("health", HealthCommand::new);
    COMMANDS.put("keys", KeysCommand::new);
    COMMANDS.put("demo", DemoCommand::new);
  }

  private LifeboatCli() {}

  /** A configured command line with every command, writing to {@code out} and {@code err}. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, null);
  }

  /**
   * A configured command line for {@code args}: with only the command they name, or with every
   * command when they name none (usage, help, version, a misspelt name picocli suggests a fix for).
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
    CommandLine cl = new CommandLine(new RootCommand());
    String named = args == null ? null : commandName(args);
    boolean versionOnly = args != null && named == null && asksOnlyForTheVersion(args);
    COMMANDS.forEach((name, command) -> {
      if (!versionOnly && (named == null || named.equals(name))) {
        cl.addSubcommand(name, command.get());
      }
    });
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpWidth(100);
    ErrorReporter reporter = new ErrorReporter();
    cl.setParameterExceptionHandler(reporter);
    cl.setExecutionExceptionHandler(reporter);
    cl.setExitCodeExceptionMapper(reporter);
    return cl;
  }

  /** Runs one command line with {@code out} and {@code err}; returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... commandLine) {
    String[] args = helpAsOption(commandLine);
    CommandLine cl = commandLine(out, err, args);
    try {
      return cl.execute(args);
    } catch (RuntimeException | Error e) {
      // picocli hands only Exceptions thrown by a command to the handler; an Error (a class
      // missing from the jar, a native library that did not load) would print a raw stack trace.
      return new ErrorReporter().handleUncaught(e, cl);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * The command {@code args} run, or {@code null} when their first word is not a command. Skips the
   * options of the top command: {@code --setting KEY=VALUE} takes a value, the others do not.
   */
  static String commandName(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--setting")) {
        i++;
      } else if (!a.startsWith("-")) {
        return COMMANDS.containsKey(a) ? a : null;
      }
    }
    return null;
  }

  /** Whether {@code args} are {@code --version} (or {@code -V}) with nothing but options: no command is needed for it. */
  static boolean asksOnlyForTheVersion(String[] args) {
    boolean version = false;
    for (String a : args) {
      if (!a.startsWith("-") || a.equals("-h") || a.equals("--help")) {
        return false;
      }
      version |= a.equals("--version") || a.equals("-V");
    }
    return version;
  }

  /**
   * {@code lifeboat help [COMMAND]}, as people type it out of habit, read as
   * {@code lifeboat [COMMAND] --help}. {@code help} with a word that is no command runs that word,
   * so it is refused as a misspelt command (with its closest match) instead of showing the usage
   * as if it had been found.
   */
  static String[] helpAsOption(String[] args) {
    if (args.length == 0 || !args[0].equals("help")) {
      return args;
    }
    if (args.length > 1 && COMMANDS.containsKey(args[1])) {
      return new String[] {args[1], "--help"};
    }
    return args.length > 1 && !args[1].startsWith("-") ? new String[] {args[1]} : new String[] {"--help"};
  }

  /** Runs one command line on the process's standard streams; returns the exit code. */
  public static int execute(String... args) {
    Charset cs = Charset.defaultCharset();
    return execute(new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), true),
        new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true), args);
  }
}
