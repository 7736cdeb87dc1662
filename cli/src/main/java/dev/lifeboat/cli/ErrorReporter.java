package dev.lifeboat.cli;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Redactor;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns failures into readable lines on standard error and the documented exit code: a usage
 * error is the message and a pointer to {@code --help}; any other failure is exactly one line
 * (a {@link LifeboatException}'s message, or the unexpected exception ending with a hint to use
 * {@code --verbose}). Stack traces only with {@code --verbose}; every line passes through
 * {@link Redactor}.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler, IExitCodeExceptionMapper {
  static final String VERBOSE_HINT = "Run it again with --verbose to see where it failed.";

  /**
   * Two dots that end a sentence twice (a message ending with '.' that someone ended again): not
   * part of an ellipsis, and followed by a space or the end. Dots inside a name are left alone, so
   * a path such as {@code ../backups} or {@code shop..old} is shown as given.
   */
  private static final Pattern DOUBLED_PERIOD = Pattern.compile("(?<![./])\\.\\s*\\.(?=\\s|$)");
  /** picocli words some messages "Value for option option '--label'". */
  private static final Pattern DOUBLED_OPTION = Pattern.compile("\\boption option\\b");
  private static final Pattern LINE_BREAKS = Pattern.compile("\\s*\\R\\s*");

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("lifeboat: " + oneLine(unknownCommand(ex).or(() -> unknownOption(ex)).orElse(ex.getMessage())));
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
    if (isVerbose(cmd)) {
      err.println(Redactor.redact(stackTrace(ex)));
    }
    err.flush();
    return LifeboatCli.USAGE;
  }

  /**
   * For a first word that is no command, a message that says so and names the commands, with
   * picocli's closest match first, instead of picocli's "Unmatched argument at index 0".
   */
  private static Optional<String> unknownCommand(ParameterException ex) {
    CommandLine cmd = ex.getCommandLine();
    if (!(ex instanceof UnmatchedArgumentException) || cmd.getParent() != null || cmd.getSubcommands().isEmpty()) {
      return Optional.empty();
    }
    UnmatchedArgumentException unmatched = (UnmatchedArgumentException) ex;
    List<String> words = unmatched.getUnmatched();
    if (words.isEmpty() || words.get(0).startsWith("-")) {
      return Optional.empty();
    }
    List<String> close = unmatched.getSuggestions();
    return Optional.of("'" + words.get(0) + "' is not a command" + (close.isEmpty() ? "." : "; did you mean '" + close.get(0) + "'?")
        + " The commands: " + String.join(", ", cmd.getSubcommands().keySet()) + ".");
  }

  /**
   * For a required option reported missing while the command line holds an option the command does
   * not know (restore --source …), that option: the likelier mistake, which picocli checks after.
   */
  private static Optional<String> unknownOption(ParameterException ex) {
    if (!(ex instanceof CommandLine.MissingParameterException)) {
      return Optional.empty();
    }
    ParseResult parsed = ex.getCommandLine().getParseResult();
    if (parsed == null) {
      return Optional.empty();
    }
    return parsed.unmatched().stream().filter(w -> w.startsWith("-")).findFirst()
        .map(w -> "Unknown option: '" + w + "'; " + ex.getCommandLine().getCommandSpec().qualifiedName() + " does not take it.");
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    return report(ex, cmd);
  }

  /**
   * What escaped picocli's own handling, such as an {@link Error} (a class missing from the jar, a
   * native library that would not load): reported like any other failure of the command that ran.
   */
  int handleUncaught(Throwable t, CommandLine root) {
    CommandLine cmd = root;
    ParseResult parsed = root.getParseResult();
    if (parsed != null) {
      while (parsed.hasSubcommand()) {
        parsed = parsed.subcommand();
      }
      cmd = parsed.commandSpec().commandLine();
    }
    return report(t, cmd);
  }

  @Override
  public int getExitCode(Throwable exception) {
    LifeboatException lifeboat = findLifeboatException(exception);
    return lifeboat != null ? lifeboat.code().exitStatus() : LifeboatCli.FAILED;
  }

  private static int report(Throwable ex, CommandLine cmd) {
    PrintWriter err = cmd.getErr();
    String command = commandName(cmd);
    LifeboatException lifeboat = findLifeboatException(ex);
    boolean verbose = isVerbose(cmd);
    int status;
    if (lifeboat != null) {
      status = lifeboat.code().exitStatus();
      err.println("lifeboat: " + command + " " + outcome(lifeboat.code()) + ": " + oneLine(lifeboat.getMessage()));
    } else {
      status = LifeboatCli.FAILED;
      String line = "lifeboat: " + command + " failed: " + sentence(oneLine(describe(ex)));
      err.println(verbose ? line : line + " " + VERBOSE_HINT);
    }
    if (verbose) {
      err.println(Redactor.redact(stackTrace(ex)));
    }
    err.flush();
    return status;
  }

  /**
   * {@code text} redacted, on one line, without doubled periods or doubled words picocli leaves in
   * some messages.
   */
  static String oneLine(String text) {
    String t = LINE_BREAKS.matcher(Redactor.redact(text == null ? "" : text).strip()).replaceAll(" ");
    t = DOUBLED_OPTION.matcher(t).replaceAll("option");
    return DOUBLED_PERIOD.matcher(t).replaceAll(".");
  }

  /** {@code text} ending with a full stop (unless it already ends a sentence), so a hint can follow it. */
  static String sentence(String text) {
    return text.isEmpty() || text.endsWith(".") || text.endsWith("!") || text.endsWith("?") ? text : text + ".";
  }

  private static String outcome(ErrorCode code) {
    switch (code) {
      case PROTECTED_DESTINATION:
      case DESTINATION_NOT_EMPTY:
        return "refused";
      case CHECKSUM_MISMATCH:
        return "integrity check failed";
      case DECRYPTION_FAILED:
        return "decryption failed";
      case VERIFICATION_FAILED:
        return "verification failed";
      case CONFIGURATION:
      case UNKNOWN_SCHEME:
      case UNSUPPORTED:
      case NOT_FOUND:
      case OUT_OF_RETENTION_WINDOW:
        return "cannot start";
      default:
        return "failed";
    }
  }

  /** {@code backup}, or {@code branch create} for nested commands; {@code lifeboat} itself when none ran. */
  private static String commandName(CommandLine cmd) {
    String qualified = cmd.getCommandSpec().qualifiedName(" ");
    int space = qualified.indexOf(' ');
    return space < 0 ? qualified : qualified.substring(space + 1);
  }

  static LifeboatException findLifeboatException(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof LifeboatException) {
        return (LifeboatException) c;
      }
    }
    return null;
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    String name = t.getClass().getSimpleName();
    return message == null || message.isBlank() ? name : name + ": " + message;
  }

  private static String stackTrace(Throwable t) {
    java.io.StringWriter text = new java.io.StringWriter();
    t.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

  private static boolean isVerbose(CommandLine cmd) {
    Object root = cmd.getCommandSpec().root().userObject();
    return root instanceof RootCommand && ((RootCommand) root).verbose();
  }
}
