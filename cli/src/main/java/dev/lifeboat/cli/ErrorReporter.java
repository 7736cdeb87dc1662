package dev.lifeboat.cli;

import dev.lifeboat.Redactor;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into one or two readable lines on standard error and the documented exit code.
 * Stack traces only with {@code --verbose}; every line passes through {@link dev.lifeboat.Redactor}.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler, IExitCodeExceptionMapper {

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("lifeboat: " + Redactor.redact(ex.getMessage()));
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
    if (isVerbose(cmd)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return LifeboatCli.USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    String command = commandName(cmd);
    LifeboatException lifeboat = findLifeboatException(ex);
    int status;
    if (lifeboat != null) {
      status = lifeboat.code().exitStatus();
      err.println("lifeboat: " + command + " " + outcome(lifeboat.code()) + ": " + Redactor.redact(lifeboat.getMessage()));
    } else {
      status = LifeboatCli.FAILED;
      err.println("lifeboat: " + command + " failed: " + Redactor.redact(describe(ex)));
      if (!isVerbose(cmd)) {
        err.println("Run it again with --verbose to see where it failed.");
      }
    }
    if (isVerbose(cmd)) {
      err.println(Redactor.redact(stackTrace(ex)));
    }
    err.flush();
    return status;
  }

  @Override
  public int getExitCode(Throwable exception) {
    LifeboatException lifeboat = findLifeboatException(exception);
    return lifeboat != null ? lifeboat.code().exitStatus() : LifeboatCli.FAILED;
  }

  private static String outcome(ErrorCode code) {
    switch (code) {
      case PROTECTED_DESTINATION:
      case DESTINATION_NOT_EMPTY:
        return "refused";
      case CHECKSUM_MISMATCH:
        return "integrity check failed";
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

  /** {@code backup}, or {@code branch create} for nested commands. */
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
