package dev.lifeboat.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Who is writing (or deleting) a snapshot: the process id, its start time and the machine, kept
 * as {@value #KEY} beside the snapshot's blobs until its manifest is written. A later backup into
 * the same store removes an unfinished snapshot once that process is gone (a backup killed with
 * SIGKILL or by a power cut), and leaves it alone while it runs. The start time tells a reused
 * process id from the writer itself.
 *
 * @param pid the writer's process id
 * @param started when that process started, or {@code null} where the platform does not tell
 * @param host the machine it runs on
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WriterRecord(long pid, Instant started, String host) {
  /** The record's name inside a snapshot's folder. */
  public static final String KEY = "writer.json";
  /** Start times read twice may differ by rounding; a reused pid starts later than that. */
  private static final Duration SAME_START = Duration.ofSeconds(1);
  private static final String THIS_HOST = hostName();

  /** This process. */
  public static WriterRecord current() {
    ProcessHandle self = ProcessHandle.current();
    return new WriterRecord(self.pid(), self.info().startInstant().orElse(null), THIS_HOST);
  }

  /** The stored form: JSON. */
  public byte[] toBytes() {
    try {
      return Json.mapper().writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The writer recorded in {@code bytes}, or empty when they are no readable record. */
  static Optional<WriterRecord> parse(byte[] bytes) {
    try {
      WriterRecord r = Json.mapper().readValue(bytes, WriterRecord.class);
      return r.pid() > 0 && r.host() != null ? Optional.of(r) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      // Half-written or not ours: no record.
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
