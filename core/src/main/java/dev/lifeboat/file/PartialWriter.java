package dev.lifeboat.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who is writing a {@code .partial-} folder: the process id, its start time and the machine, kept
 * in {@value #FILE} inside the folder. A later backup into the same target removes the folder
 * once that process is gone (a backup killed with SIGKILL or by a power cut), and leaves it alone
 * while it runs. The start time tells a reused process id from the writer itself.
 *
 * @param pid the writer's process id
 * @param started when that process started, or {@code null} where the platform does not tell
 * @param host the machine it runs on
 */
record PartialWriter(long pid, Instant started, String host) {
  /** The record's file name inside a {@code .partial-} folder. */
  static final String FILE = ".writer";
  /** Start times read twice may differ by rounding; a reused pid starts later than that. */
  private static final Duration SAME_START = Duration.ofSeconds(1);
  private static final String THIS_HOST = hostName();

  /** This process. */
  static PartialWriter current() {
    ProcessHandle self = ProcessHandle.current();
    return new PartialWriter(self.pid(), self.info().startInstant().orElse(null), THIS_HOST);
  }

  /** The text of {@value #FILE}. */
  byte[] toBytes() {
    return ("pid=" + pid + "\nstarted=" + (started == null ? "" : started) + "\nhost=" + host + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The writer recorded in {@code partial}, or empty when there is no readable record. */
  static Optional<PartialWriter> readFrom(Path partial) {
    Map<String, String> fields = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(partial.resolve(FILE), StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          fields.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      String started = fields.getOrDefault("started", "");
      return Optional.of(new PartialWriter(Long.parseLong(fields.get("pid")),
          started.isEmpty() ? null : Instant.parse(started), fields.getOrDefault("host", "")));
    } catch (IOException | RuntimeException e) {
      // Missing, half-written (the writer is creating it right now) or not ours: no record.
      return Optional.empty();
    }
  }

  /** Whether this machine can judge the writer: process ids mean nothing on another machine. */
  boolean onThisMachine() {
    return THIS_HOST.equals(host);
  }

  /** Whether the writer process still runs on this machine (its pid is alive and started when recorded). */
  boolean isAlive() {
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return false;
    }
    Optional<Instant> start = process.get().info().startInstant();
    if (started == null || start.isEmpty()) {
      return true;
    }
    return Duration.between(started, start.get()).abs().compareTo(SAME_START) <= 0;
  }

  /**
   * The machine's name without a network lookup (which can stall for seconds where DNS is
   * misconfigured): the kernel's host name on Linux, else the environment, else a fixed name.
   */
  private static String hostName() {
    try {
      Path kernel = Path.of("/proc/sys/kernel/hostname");
      if (Files.isReadable(kernel)) {
        String name = Files.readString(kernel, StandardCharsets.UTF_8).strip();
        if (!name.isEmpty()) {
          return name;
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // Fall back to the environment.
    }
    for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
      String name = System.getenv(variable);
      if (name != null && !name.isBlank()) {
        return name.strip();
      }
    }
    return "localhost";
  }

  @Override
  public String toString() {
    return "process " + pid + " on " + host + (started == null ? "" : " started " + started);
  }
}
