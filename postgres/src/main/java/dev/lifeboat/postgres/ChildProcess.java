package dev.lifeboat.postgres;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running PostgreSQL client tool. Its error output (and, when asked, its standard output) is
 * drained on a separate thread into a bounded buffer that keeps the last lines; the connection
 * travels in the environment, never on the command line.
 */
public final class ChildProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);
  private static final int KEEP_CHARS = 16 * 1024;

  /**
   * The children that still run. A pg_restore reading a file (--jobs) does not notice that the JVM
   * which started it went away and would finish a restore whose caller already reported it as
   * failed; a JVM told to stop (SIGTERM, Ctrl-C, System.exit) therefore stops them first, and a
   * JVM killed outright takes them with it ({@link #stoppedWithTheJvm}).
   */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();
  private static final Path SETPRIV = findSetpriv();
  private static final long STOP_GRACE_SECONDS = 5;

  private final String name;
  private final Process process;
  private final PgLocation connection;
  private final StringBuilder output = new StringBuilder();
  private final Thread drainer;
  private long droppedChars;

  private ChildProcess(String name, Process process, PgLocation connection, boolean mergeOutput) {
    this.name = name;
    this.process = process;
    this.connection = connection;
    InputStream messages = mergeOutput ? process.getInputStream() : process.getErrorStream();
    this.drainer = new Thread(() -> drain(messages), name + "-output");
    drainer.setDaemon(true);
    drainer.start();
  }

  /**
   * Starts {@code command}.
   *
   * @param connection whose libpq environment the child gets (may be {@code null})
   * @param mergeOutput whether standard output is a message stream too (pg_restore), or data (pg_dump)
   * @param workDir the working folder, or {@code null}
   */
  public static ChildProcess start(List<String> command, PgLocation connection, boolean mergeOutput, Path workDir) {
    ProcessBuilder pb = new ProcessBuilder(stoppedWithTheJvm(command));
    if (connection != null) {
      connection.applyTo(pb.environment());
    }
    pb.environment().putIfAbsent("PGCONNECT_TIMEOUT", "30");
    if (mergeOutput) {
      pb.redirectErrorStream(true);
    }
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    String name = Path.of(command.get(0)).getFileName().toString();
    LOG.debug("Running {}", command);
    try {
      killOnShutdown();
      Process process = pb.start();
      RUNNING.add(process);
      process.onExit().thenRun(() -> RUNNING.remove(process));
      return new ChildProcess(name, process, connection, mergeOutput);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Cannot run " + command.get(0) + ": " + Words.clause(e.getMessage())
          + ". Check that the PostgreSQL client tools are installed, or set " + PgTools.BIN_SETTING + ".", e);
    }
  }

  /**
   * {@code command}, run through {@code setpriv --pdeathsig TERM} where the system has it (Linux):
   * a JVM killed with SIGKILL runs no shutdown hook, and a pg_restore reading a file (--jobs)
   * would go on restoring with nobody to report to. SIGTERM is what pg_restore and pg_dump handle
   * as a stop: they cancel their server sessions, and their parallel workers', and exit. The
   * signal comes when the thread that started the child ends; Lifeboat waits for its children on
   * that thread. A tool that is not there is run directly, so that the error names it.
   */
  static List<String> stoppedWithTheJvm(List<String> command) {
    if (SETPRIV == null || !Files.isExecutable(Path.of(command.get(0)))) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of(SETPRIV.toString(), "--pdeathsig", "TERM", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static Path findSetpriv() {
    if (!System.getProperty("os.name", "").startsWith("Linux")) {
      return null;
    }
    return Stream.of("/usr/bin/setpriv", "/bin/setpriv").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
  }

  private static void killOnShutdown() {
    if (HOOK_INSTALLED.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::killRunning, "lifeboat-child-processes"));
    }
  }

  /** Stops every child still running (SIGTERM, then SIGKILL); the threads that wait for them see them fail and clean up. */
  private static void killRunning() {
    List<Process> running = List.copyOf(RUNNING);
    running.forEach(Process::destroy);
    running.forEach(ChildProcess::awaitOrKill);
  }

  /**
   * Waits a moment for a child told to stop with SIGTERM, then kills it. pg_restore and pg_dump
   * answer SIGTERM by cancelling their server sessions and their workers', which SIGKILL would
   * leave running until their statement ends.
   */
  private static void awaitOrKill(Process p) {
    try {
      if (!p.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  private void drain(InputStream in) {
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        String text = new String(buffer, 0, n, StandardCharsets.UTF_8);
        synchronized (output) {
          output.append(text);
          if (output.length() > 2 * KEEP_CHARS) {
            int cut = output.length() - KEEP_CHARS;
            droppedChars += cut;
            output.delete(0, cut);
          }
        }
      }
    } catch (IOException e) {
      // The process ended or was killed; what was read so far is what there is.
    }
  }

  /** The tool's file name, e.g. {@code pg_restore}. */
  public String name() {
    return name;
  }

  /** The child's standard output (pg_dump's data). */
  public InputStream stdout() {
    return process.getInputStream();
  }

  /** The child's standard input. */
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  /** Whether the child still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the child to end and for its messages to be read; returns the exit status. */
  public int waitFor() {
    try {
      int status = process.waitFor();
      drainer.join(10_000);
      return status;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new LifeboatException(ErrorCode.TIMEOUT, name + " was interrupted while running.", e);
    }
  }

  /** The last messages of the child, secrets removed: what may go into an exception or a log line. */
  public String messages() {
    String text;
    long dropped;
    synchronized (output) {
      text = output.toString().strip();
      dropped = droppedChars;
    }
    if (text.isEmpty()) {
      return "(" + name + " printed nothing)";
    }
    // The connection's own secrets, then every secret this process knows of (passwords from .pgpass, API keys...).
    String redacted = connection == null ? Redactor.redact(text) : connection.redact(text);
    return dropped > 0 ? "[... " + dropped + " characters before ...]\n" + redacted : redacted;
  }

  /** Stops the child if it still runs: SIGTERM, and SIGKILL if it has not ended a few seconds later. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      awaitOrKill(process);
    }
  }
}
