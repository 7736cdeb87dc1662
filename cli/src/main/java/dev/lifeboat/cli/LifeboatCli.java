package dev.lifeboat.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
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

  private LifeboatCli() {}

  /** A configured command line writing to {@code out} and {@code err}. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new RootCommand());
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
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine(out, err);
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

  /** Runs one command line on the process's standard streams; returns the exit code. */
  public static int execute(String... args) {
    Charset cs = Charset.defaultCharset();
    return execute(new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), true),
        new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true), args);
  }
}
