package dev.lifeboat.postgres;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.spi.ProviderContext;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code pg_dump} and {@code pg_restore} to run: a folder holding both, with a major version
 * at least the server's (pg_dump refuses newer servers, and an archive needs a pg_restore at least
 * as new as the pg_dump that wrote it). The setting {@value #BIN_SETTING} names the folder;
 * otherwise {@code PATH} and the usual install folders are searched and the newest adequate
 * version wins.
 *
 * @param folder the folder holding the tools
 * @param version the tools' version, e.g. {@code 15.18}
 * @param major the major version, e.g. {@code 15}
 */
public record PgTools(Path folder, String version, int major) {
  /** The setting that names the folder holding pg_dump and pg_restore. */
  public static final String BIN_SETTING = "pgdump.bin";

  private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");
  private static final Map<String, Optional<PgTools>> PROBED = new ConcurrentHashMap<>();

  private int minor() {
    String[] parts = version.split("\\.");
    return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
  }

  /** {@code pg_dump} in this folder. */
  public Path pgDump() {
    return folder.resolve("pg_dump");
  }

  /** {@code pg_restore} in this folder. */
  public Path pgRestore() {
    return folder.resolve("pg_restore");
  }

  /**
   * Chooses the tools for a server (or an archive) of major version {@code requiredMajor}.
   *
   * @param tool {@code pg_dump} or {@code pg_restore}: the one that must exist
   * @param requiredMajor the server's major version (or the archive's dump tool's), 0 for any
   * @param what the server or archive, for the error message, e.g. {@code server 16.2}
   */
  public static PgTools select(ProviderContext context, String tool, int requiredMajor, String what) {
    return probeInBackground(context, tool).select(requiredMajor, what);
  }

  /**
   * Starts asking every installed {@code tool} its version, each in its own thread: a probe runs
   * {@code tool --version}, tens of milliseconds (more through a dispatcher script such as
   * Debian's), which a caller spends connecting to the server instead of waiting.
   * {@link Probe#select} then chooses, with the rules of {@link #select(ProviderContext, String, int, String)}.
   *
   * @param tool {@code pg_dump} or {@code pg_restore}: the one that must exist
   */
  public static Probe probeInBackground(ProviderContext context, String tool) {
    Optional<Path> configured = context.setting(BIN_SETTING).filter(s -> !s.isBlank()).map(Path::of);
    return probeInBackground(configured.map(Set::of).orElseGet(PgTools::candidateFolders), tool, configured);
  }

  /** {@link #probeInBackground(ProviderContext, String)} of these folders. */
  static Probe probeInBackground(Set<Path> candidates, String tool, Optional<Path> configured) {
    List<Path> folders = new ArrayList<>();
    for (Path folder : candidates) {
      Path exe = folder.resolve(tool);
      if (Files.isRegularFile(exe) && Files.isExecutable(exe)) {
        folders.add(folder);
      }
    }
    // A dispatcher (Debian's pg_wrapper, a Perl script) runs one of the installed tools, which are
    // candidates of their own; asking it too only costs a tenth of a second, so it is asked only
    // when no tool is found directly.
    if (configured.isEmpty() && folders.stream().anyMatch(f -> isDirect(f.resolve(tool)))) {
      folders.removeIf(f -> !isDirect(f.resolve(tool)));
    }
    List<CompletableFuture<Optional<PgTools>>> probes = new ArrayList<>();
    for (Path folder : folders) {
      CompletableFuture<Optional<PgTools>> probe = new CompletableFuture<>();
      Thread t = new Thread(() -> {
        try {
          probe.complete(probe(folder, tool));
        } catch (RuntimeException | Error e) {
          probe.completeExceptionally(e);
        }
      }, "lifeboat-probe-" + tool);
      t.setDaemon(true);
      t.start();
      probes.add(probe);
    }
    return new Probe(tool, configured, probes);
  }

  /** The installed versions of one tool, being asked; see {@link #probeInBackground}. */
  public static final class Probe {
    private final String tool;
    private final Optional<Path> configured;
    private final List<CompletableFuture<Optional<PgTools>>> probes;

    private Probe(String tool, Optional<Path> configured, List<CompletableFuture<Optional<PgTools>>> probes) {
      this.tool = tool;
      this.configured = configured;
      this.probes = probes;
    }

    /**
     * The tools for a server (or an archive) of major version {@code requiredMajor}: those
     * {@value #BIN_SETTING} names, else the newest adequate version found (on a tie, the tool
     * itself over a dispatcher). Waits for the probes.
     *
     * @param requiredMajor the server's major version (or the archive's dump tool's), 0 for any
     * @param what the server or archive, for the error message, e.g. {@code server 16.2}
     */
    public PgTools select(int requiredMajor, String what) {
      List<PgTools> all = new ArrayList<>();
      for (CompletableFuture<Optional<PgTools>> probe : probes) {
        probe.join().ifPresent(all::add);
      }
      if (configured.isPresent()) {
        PgTools found = all.stream().findFirst().orElseThrow(() -> new LifeboatException(ErrorCode.CONFIGURATION,
            "Setting " + BIN_SETTING + "=" + configured.get() + " names a folder without a working " + tool
                + ". Point it at the bin folder of a PostgreSQL client installation (e.g. /usr/lib/postgresql/"
                + Math.max(requiredMajor, 15) + "/bin) or remove the setting to search PATH."));
        if (found.major < requiredMajor) {
          throw tooOld(tool, requiredMajor, what, List.of(found));
        }
        return found;
      }
      Optional<PgTools> best = all.stream().filter(t -> t.major >= requiredMajor)
          .max(Comparator.comparingInt(PgTools::major).thenComparingInt(PgTools::minor)
              .thenComparing(t -> isDirect(t.folder.resolve(tool))));
      if (best.isPresent()) {
        return best.get();
      }
      if (all.isEmpty()) {
        throw new LifeboatException(ErrorCode.CONFIGURATION, "No " + tool + " found in PATH or the usual PostgreSQL folders. "
            + installHint(requiredMajor, what));
      }
      throw tooOld(tool, requiredMajor, what, all);
    }
  }

  private static LifeboatException tooOld(String tool, int requiredMajor, String what, List<PgTools> found) {
    String versions = found.stream().map(t -> t.version + " (" + t.folder + ")").reduce((a, b) -> a + ", " + b).orElse("none");
    return new LifeboatException(ErrorCode.CONFIGURATION, "The " + what + " needs " + tool + " " + requiredMajor
        + " or newer, but only " + tool + " " + versions + " is installed. " + installHint(requiredMajor, what));
  }

  private static String installHint(int requiredMajor, String what) {
    int major = Math.max(requiredMajor, 15);
    return "Install postgresql-client-" + major + " (Debian/Ubuntu; postgresql" + major + " on RHEL, postgresql@" + major
        + " on Homebrew) or set " + BIN_SETTING + " to a folder holding pg_dump and pg_restore " + major + " or newer.";
  }

  /**
   * Whether {@code exe} is the tool itself rather than a dispatcher such as Debian's
   * {@code pg_wrapper} (a Perl script that costs tens of milliseconds on every call); on equal
   * versions the tool itself is preferred.
   */
  static boolean isDirect(Path exe) {
    try {
      return exe.toRealPath().getFileName().toString().equals(exe.getFileName().toString());
    } catch (IOException e) {
      return false;
    }
  }

  /** PATH, then the folders PostgreSQL packages install into. */
  static Set<Path> candidateFolders() {
    Set<Path> out = new LinkedHashSet<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String p : path.split(File.pathSeparator)) {
        if (!p.isBlank()) {
          out.add(Path.of(p));
        }
      }
    }
    globBins(Path.of("/usr/lib/postgresql"), "*", "bin", out);
    globBins(Path.of("/usr"), "pgsql-*", "bin", out);
    globBins(Path.of("/opt/homebrew/opt"), "postgresql@*", "bin", out);
    out.add(Path.of("/usr/local/bin"));
    return out;
  }

  private static void globBins(Path parent, String glob, String sub, Set<Path> out) {
    if (!Files.isDirectory(parent)) {
      return;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, glob)) {
      for (Path d : dirs) {
        out.add(d.resolve(sub));
      }
    } catch (IOException e) {
      // An unreadable install folder just holds no candidates.
    }
  }

  /** The tools in {@code folder}, when {@code tool} is there and answers {@code --version}. */
  static Optional<PgTools> probe(Path folder, String tool) {
    Path exe = folder.resolve(tool);
    if (!Files.isRegularFile(exe) || !Files.isExecutable(exe)) {
      return Optional.empty();
    }
    String key;
    try {
      key = exe.toRealPath() + "@" + Files.getLastModifiedTime(exe.toRealPath()).toMillis();
    } catch (IOException e) {
      return Optional.empty();
    }
    return PROBED.computeIfAbsent(key, k -> runVersion(folder, exe));
  }

  private static Optional<PgTools> runVersion(Path folder, Path exe) {
    try {
      Process p = new ProcessBuilder(exe.toString(), "--version").redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return parseVersion(out).map(v -> new PgTools(folder, v, majorOf(v)));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** {@code 15.18} from {@code pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)}. */
  static Optional<String> parseVersion(String output) {
    Matcher m = VERSION.matcher(output);
    if (!m.find()) {
      return Optional.empty();
    }
    StringBuilder v = new StringBuilder(m.group(1));
    for (int g = 2; g <= 3 && m.group(g) != null; g++) {
      v.append('.').append(m.group(g));
    }
    return Optional.of(v.toString());
  }

  /** The major version: {@code 15} for 15.18; {@code 9} for 9.6.24. */
  static int majorOf(String version) {
    int dot = version.indexOf('.');
    return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
  }

  /** The major version of a {@code server_version_num} such as {@code 150010}. */
  public static int majorOfServer(int serverVersionNum) {
    return serverVersionNum / 10000;
  }
}
