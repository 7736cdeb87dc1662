package dev.lifeboat.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Private scratch folders for restores and dumps (a decompressed archive for pg_restore --jobs
 * can be as large as the database). Each folder's name carries its owner, the process id, the
 * process's start time and its PID namespace: a process killed with SIGKILL deletes nothing, so
 * creating a folder first removes those in the same base folder whose owner no longer runs. A
 * folder is left alone when its owner may still run (same pid and start time), when it belongs to
 * another PID namespace (a container sharing the folder, whose processes cannot be seen from
 * here), and when its name is not one of these.
 */
public final class ScratchFolders {
  private static final Logger LOG = LoggerFactory.getLogger(ScratchFolders.class);
  /** {@code lifeboat-<what>-<pid>-<start seconds, base 36>-<namespace>-<random>}. */
  private static final Pattern OWNED = Pattern.compile("lifeboat-[a-z]+-(\\d+)-([0-9a-z]+)-([0-9a-z]+)-\\d+");
  private static final String NAMESPACE = pidNamespace();

  private ScratchFolders() {}

  /**
   * Creates a new folder in {@code base} (created when missing) whose name starts with
   * {@code prefix} (such as {@code lifeboat-archive-}), after removing the folders that killed
   * processes left there.
   */
  public static Path create(Path base, String prefix) throws IOException {
    if (!OWNED.matcher(prefix + "1-1-1-1").matches()) {
      throw new IllegalArgumentException("A scratch folder's prefix is lifeboat-<letters>-, not " + prefix);
    }
    Files.createDirectories(base);
    sweep(base);
    ProcessHandle self = ProcessHandle.current();
    return Files.createTempDirectory(base, prefix + self.pid() + "-" + startSeconds(self).orElse("0") + "-" + NAMESPACE + "-");
  }

  /** Removes the scratch folders in {@code base} whose owner has ended; a failure to remove one is only logged. */
  static void sweep(Path base) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, "lifeboat-*")) {
      for (Path entry : entries) {
        Matcher m = OWNED.matcher(entry.getFileName().toString());
        if (m.matches() && m.group(3).equals(NAMESPACE) && !ownerRuns(Long.parseLong(m.group(1)), m.group(2))
            && Files.isDirectory(entry)) {
          LOG.info("Removing the scratch folder {} of a Lifeboat process that ended without removing it", entry);
          deleteTree(entry);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("Looking for abandoned scratch folders in {} failed: {}", base, e.getMessage());
    }
  }

  private static boolean ownerRuns(long pid, String start) {
    Optional<ProcessHandle> owner = ProcessHandle.of(pid);
    if (owner.isEmpty()) {
      return false;
    }
    // A pid is reused; the start time tells the owner from a later process (pid 1 of every new container).
    Optional<String> started = startSeconds(owner.get());
    return started.isEmpty() || start.equals("0") || started.get().equals(start);
  }

  private static Optional<String> startSeconds(ProcessHandle p) {
    return p.info().startInstant().map(Instant::getEpochSecond).map(s -> Long.toString(s, 36));
  }

  /** The PID namespace's inode on Linux, so that containers sharing a folder leave each other's alone; else 0. */
  private static String pidNamespace() {
    try {
      String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
      Matcher m = Pattern.compile("pid:\\[(\\d+)]").matcher(link);
      return m.matches() ? Long.toString(Long.parseLong(m.group(1)), 36) : "0";
    } catch (IOException | UnsupportedOperationException | SecurityException | NumberFormatException e) {
      return "0";
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.debug("Could not remove the abandoned scratch folder {}: {}", root, e.getMessage());
    }
  }
}
