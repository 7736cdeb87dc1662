package dev.lifeboat;

import dev.lifeboat.spi.Archive;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.Dump;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreJob;
import dev.lifeboat.spi.RestoreVerifier;
import dev.lifeboat.spi.Restorer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test provider for {@code fake://[user[:password]@]host/db[?rows=N&fail=finish&slow=true]}: its
 * dump is {@link #bytes(int)} of {@code rows} lines (1000 by default); {@code fail=finish} makes
 * {@link Dump#finish()} throw {@code SOURCE_FAILED}; {@code slow=true} sends the first half of the
 * bytes and then waits until the dump is closed, when it ends the stream as a killed tool's pipe
 * does. The restorer records what it was given.
 */
public final class FakeProvider implements LifeboatProvider {
  static final String FORMAT = "fake-dump";
  /** Restore jobs the restorer received, in order. */
  static final List<String> RESTORED = new CopyOnWriteArrayList<>();
  /** Archives the restorer checked. */
  static final List<String> CHECKED = new CopyOnWriteArrayList<>();
  /** Restored bytes by destination database. */
  static final Map<String, byte[]> DESTINATIONS = new ConcurrentHashMap<>();
  /** The options of each restore job, in order. */
  static final List<RestoreOptions> RESTORE_OPTIONS = new CopyOnWriteArrayList<>();
  /** Databases whose dump was started, in order. */
  static final List<String> DUMPED = new CopyOnWriteArrayList<>();
  /** Databases whose dump was closed, in order. */
  static final List<String> CLOSED = new CopyOnWriteArrayList<>();

  /** How the restorer reads, when a test sets it; null: like pg_restore (STREAM, SEEKABLE_FILE for jobs &gt; 1). */
  static volatile dev.lifeboat.spi.Restorer.Reading reading;

  /** What the restorer's {@code seekableCopy} does to the dump, when a test sets it; null: nothing. */
  static volatile java.util.function.UnaryOperator<java.io.InputStream> seekableCopy;

  public static void reset() {
    reading = null;
    seekableCopy = null;
    RESTORED.clear();
    RESTORE_OPTIONS.clear();
    CHECKED.clear();
    DESTINATIONS.clear();
    DUMPED.clear();
    CLOSED.clear();
  }

  /** The fake dump of {@code rows} rows: deterministic, compressible text. */
  static byte[] bytes(int rows) {
    StringBuilder b = new StringBuilder("FAKE1\n");
    for (int i = 0; i < rows; i++) {
      b.append("row ").append(i).append(' ').append(Integer.toHexString((int) (i * 2654435761L))).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  static String param(Location l, String name, String otherwise) {
    String body = l.schemeSpecificPart();
    int q = body.indexOf('?');
    if (q < 0) {
      return otherwise;
    }
    for (String kv : body.substring(q + 1).split("&")) {
      if (kv.startsWith(name + "=")) {
        return kv.substring(name.length() + 1);
      }
    }
    return otherwise;
  }

  static String database(Location l) {
    String body = l.schemeSpecificPart();
    int q = body.indexOf('?');
    String path = q < 0 ? body : body.substring(0, q);
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("fake");
  }

  @Override
  public Optional<BackupSource> source(Location location, ProviderContext context) {
    int rows = Integer.parseInt(param(location, "rows", "1000"));
    boolean failFinish = param(location, "fail", "").equals("finish");
    boolean slow = param(location, "slow", "").equals("true");
    // The raw URI on purpose: SourceFingerprint must remove the password itself.
    SourceFingerprint fingerprint = new SourceFingerprint("fake", "1.0", database(location), location.raw());
    Inventory inventory = new Inventory(List.of(
        new InventoryItem("main", "rows", "table", rows, List.of(new Column("line", "text")), List.of(), Map.of()),
        InventoryItem.of("main", "row_view", "view", -1)));
    return Optional.of(new BackupSource() {
      @Override
      public SourceFingerprint fingerprint() {
        return fingerprint;
      }

      @Override
      public Inventory inventory() {
        return inventory;
      }

      @Override
      public Dump dump(DumpOptions options) {
        DUMPED.add(database(location));
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        byte[] all = bytes(rows);
        InputStream stream = !slow ? new ByteArrayInputStream(all) : new java.io.SequenceInputStream(
            new ByteArrayInputStream(all, 0, all.length / 2),
            new InputStream() {
              @Override
              public int read() throws IOException {
                try {
                  closed.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return -1;
              }
            });
        Instant at = context.clock().instant();
        return new Dump() {
          @Override public String format() { return FORMAT; }
          @Override public InputStream stream() { return stream; }
          @Override public SourceFingerprint source() { return fingerprint; }
          @Override public Instant consistentAt() { return at; }
          @Override public Inventory inventory() { return inventory; }
          @Override public Map<String, String> properties() { return Map.of("tool", "fake 1.0"); }
          @Override
          public void close() {
            CLOSED.add(database(location));
            closed.countDown();
          }

          @Override
          public void finish() {
            if (failFinish) {
              throw new LifeboatException(ErrorCode.SOURCE_FAILED, "The fake dump failed on purpose. Fix the fake.");
            }
          }
        };
      }
    });
  }

  @Override
  public List<Restorer> restorers(ProviderContext context) {
    return List.of(new Restorer() {
      @Override
      public Set<String> formats() {
        return Set.of(FORMAT);
      }

      @Override
      public boolean accepts(Location destination) {
        return destination.scheme().equals("fake");
      }

      @Override
      public String checkArchive(Archive archive) {
        CHECKED.add(archive.manifest().id());
        byte[] head = read(archive, 6);
        if (!new String(head, StandardCharsets.US_ASCII).equals("FAKE1\n")) {
          throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "Not a fake dump.");
        }
        return "fake header found";
      }

      @Override
      public Reading reading(Manifest manifest, RestoreOptions options) {
        // Like pg_restore: parallel jobs seek in a file.
        return reading != null ? reading : options.jobs() > 1 ? Reading.SEEKABLE_FILE : Reading.STREAM;
      }

      @Override
      public java.io.InputStream seekableCopy(Manifest manifest, java.io.InputStream dump) {
        return seekableCopy != null ? seekableCopy.apply(dump) : dump;
      }

      @Override
      public RestoreResult restore(RestoreJob job) {
        RESTORED.add(job.archive().manifest().id());
        RESTORE_OPTIONS.add(job.options());
        byte[] all = job.options().jobs() > 1 ? readFile(job.archive()) : read(job.archive(), Integer.MAX_VALUE);
        DESTINATIONS.put(database(job.destination()), all);
        return new RestoreResult(job.archive().manifest().id(), job.destination().raw(), FORMAT, List.of("main.rows"),
            Duration.ZERO, Map.of(), null);
      }
    });
  }

  @Override
  public List<RestoreVerifier> verifiers(ProviderContext context) {
    return List.of(new RestoreVerifier() {
      @Override
      public boolean accepts(String format, Location destination) {
        return FORMAT.equals(format) && destination.scheme().equals("fake");
      }

      @Override
      public Verification verify(Manifest manifest, Location destination, List<String> tables, List<Expectation> expectations) {
        byte[] restored = DESTINATIONS.get(database(destination));
        List<Check> checks = new ArrayList<>();
        long rows = restored == null ? 0 : new String(restored, StandardCharsets.US_ASCII).lines().count() - 1;
        long expected = manifest.inventory().find("main.rows").orElseThrow().count();
        checks.add(rows == expected ? Check.passed("count main.rows", rows + " rows")
            : Check.failed("count main.rows", "expected " + expected + ", found " + rows));
        return new Verification(manifest.id(), destination.raw(), checks);
      }
    });
  }

  private static byte[] readFile(Archive archive) {
    try {
      java.nio.file.Path scratch = java.nio.file.Files.createTempDirectory("fake-restore-");
      try {
        return java.nio.file.Files.readAllBytes(archive.file(scratch));
      } finally {
        try (java.util.stream.Stream<java.nio.file.Path> all = java.nio.file.Files.walk(scratch)) {
          all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Archive archive, int max) {
    try (InputStream in = archive.open()) {
      return in.readNBytes(max);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
