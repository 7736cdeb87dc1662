package dev.lifeboat.cli.fake;

import dev.lifeboat.Check;
import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.Inventory;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.SourceFingerprint;
import dev.lifeboat.Verification;
import dev.lifeboat.spi.Archive;
import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.Branching;
import dev.lifeboat.spi.Dump;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreJob;
import dev.lifeboat.spi.RestoreVerifier;
import dev.lifeboat.spi.Restorer;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A provider for {@code fake://} databases held by {@link FakeServer}: a dump is a text header
 * plus one line per row. Database {@code gen-N} always holds N rows; database {@code broken} fails half-way through its dump, with its URI
 * (password included, as a careless tool would print it) in the error; database {@code slow} dumps
 * a row every few milliseconds for a minute, like a long pg_dump, until its dump is closed.
 * Databases {@code crash} and {@code fatal} behave like a library that logs and then fails
 * unexpectedly: warnings through java.util.logging and slf4j under the PostgreSQL and MongoDB
 * drivers' logger names, then an {@link IllegalStateException} (two lines, ending with a period)
 * or an {@link Error}.
 */
public final class FakeProvider implements LifeboatProvider {
  static final String FORMAT = "fake-dump";
  static final String HEADER = "FAKEDUMP v1\n";

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("fake");
  }
  @Override
  public Set<String> settingKeys() {
    return Set.of("fake.mode", "fake.other");
  }


  @Override
  public Optional<BackupSource> source(Location location, ProviderContext context) {
    return Optional.of(new Source(location, context));
  }

  @Override
  public List<Restorer> restorers(ProviderContext context) {
    return List.of(new FakeRestorer());
  }

  @Override
  public List<RestoreVerifier> verifiers(ProviderContext context) {
    return List.of(new FakeVerifier());
  }

  @Override
  public Optional<Branching> branching(Location location, ProviderContext context) {
    return Optional.of(new FakeBranching(FakeServer.database(location)));
  }

  private static final class Source implements BackupSource {
    private final Location location;
    private final ProviderContext context;
    private final String database;

    Source(Location location, ProviderContext context) {
      this.location = location;
      this.context = context;
      this.database = FakeServer.database(location);
    }

    @Override
    public SourceFingerprint fingerprint() {
      return new SourceFingerprint("fake", "1.0", database, location.redacted());
    }

    @Override
    public Inventory inventory() {
      return new Inventory(List.of(InventoryItem.of("public", "items", "table", rows())));
    }

    private long rows() {
      if (database.matches("gen-\\d+")) {
        return Long.parseLong(database.substring(4));
      }
      Long rows = FakeServer.rows(database);
      if (rows == null) {
        throw new LifeboatException(ErrorCode.CONNECTION, "Database " + database + " does not exist on " + location + ".");
      }
      return rows;
    }

    @Override
    public Dump dump(DumpOptions options) {
      if (database.equals("slow")) {
        return slowDump();
      }
      if (database.equals("crash") || database.equals("fatal")) {
        java.util.logging.Logger.getLogger("org.postgresql.Driver").warning("Connection error: the driver gave up");
        org.slf4j.LoggerFactory.getLogger("org.mongodb.driver.cluster").warn("Exception in monitor thread while connecting");
        if (database.equals("fatal")) {
          throw new NoClassDefFoundError("org/example/MissingFromTheJar");
        }
        throw new IllegalStateException("The driver gave up on " + location.raw() + ".\nIt said more on a second line.");
      }
      boolean broken = database.equals("broken");
      long rows = broken ? 10 : rows();
      StringBuilder text = new StringBuilder(HEADER);
      for (long i = 0; i < rows; i++) {
        text.append("row ").append(i).append('\n');
      }
      InputStream bytes = new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8));
      if (broken) {
        InputStream failing = new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection to " + location.raw() + " lost");
          }
        };
        bytes = new SequenceInputStream(bytes, failing);
      }
      Map<String, String> properties = new LinkedHashMap<>();
      context.settings().forEach((k, v) -> properties.put("setting." + k, v));
      properties.put("compression", options.compression().map(Compression::name).orElse("?"));
      InputStream stream = bytes;
      return new Dump() {
        @Override public String format() { return FORMAT; }
        @Override public InputStream stream() { return stream; }
        @Override public SourceFingerprint source() { return fingerprint(); }
        @Override public Instant consistentAt() { return Instant.now(); }
        @Override public void finish() {}
        @Override public Inventory inventory() {
          return new Inventory(List.of(InventoryItem.of("public", "items", "table", rows)));
        }
        @Override public Map<String, String> properties() { return properties; }
        @Override public void close() {}
      };
    }

    private Dump slowDump() {
      SlowRows stream = new SlowRows();
      return new Dump() {
        @Override public String format() { return FORMAT; }
        @Override public InputStream stream() { return stream; }
        @Override public SourceFingerprint source() { return fingerprint(); }
        @Override public Instant consistentAt() { return Instant.now(); }
        @Override public void finish() {}
        @Override public Inventory inventory() {
          return new Inventory(List.of(InventoryItem.of("public", "items", "table", stream.rows)));
        }
        @Override public Map<String, String> properties() { return Map.of(); }
        // As a dump tool is killed: reading stops with an error.
        @Override public void close() { stream.close(); }
      };
    }
  }

  /** A dump that arrives slowly: the header, then one row every 5 ms for a minute, unless closed. */
  private static final class SlowRows extends InputStream {
    private final long until = System.nanoTime() + 60_000_000_000L;
    private byte[] pending = HEADER.getBytes(StandardCharsets.UTF_8);
    private int at;
    private volatile boolean closed;
    volatile long rows;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("the dump was stopped");
      }
      if (at == pending.length) {
        if (System.nanoTime() > until) {
          return -1;
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
        pending = ("row " + rows++ + "\n").getBytes(StandardCharsets.UTF_8);
        at = 0;
      }
      int n = Math.min(len, pending.length - at);
      System.arraycopy(pending, at, b, off, n);
      at += n;
      return n;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static final class FakeRestorer implements Restorer {
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
      try (InputStream in = archive.open()) {
        byte[] head = in.readNBytes(HEADER.length());
        if (!new String(head, StandardCharsets.UTF_8).equals(HEADER)) {
          throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "not a fake dump");
        }
        in.transferTo(java.io.OutputStream.nullOutputStream());
        return "fake dump header";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public RestoreResult restore(RestoreJob job) {
      String db = FakeServer.database(job.destination());
      Manifest m = job.archive().manifest();
      if (db.equals(m.source().database()) && !job.options().confirm().map(db::equals).orElse(false)) {
        throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION,
            "Destination " + job.destination() + " is the snapshot's own source. Pass --confirm " + db + " to overwrite it.");
      }
      Long existing = FakeServer.rows(db);
      if (existing != null && existing > 0 && !job.options().replace()) {
        throw new LifeboatException(ErrorCode.DESTINATION_NOT_EMPTY,
            "Destination " + job.destination() + " holds " + existing + " rows. Pass --replace to overwrite it.");
      }
      long rows = 0;
      try (BufferedReader r = new BufferedReader(new InputStreamReader(job.archive().open(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("row ")) {
            rows++;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      FakeServer.put(db, rows);
      return new RestoreResult(m.id(), job.destination().redacted(), FORMAT, List.of("public.items"),
          Duration.ZERO, Map.of(), null);
    }
  }

  static final class FakeVerifier implements RestoreVerifier {
    @Override
    public boolean accepts(String format, Location destination) {
      return format.equals(FORMAT) && destination.scheme().equals("fake");
    }

    @Override
    public Verification verify(Manifest manifest, Location destination, List<String> tables, List<Expectation> expectations) {
      List<Check> checks = new ArrayList<>();
      long expected = manifest.inventory().totalCount();
      Long actual = FakeServer.rows(FakeServer.database(destination));
      checks.add(actual != null && actual == expected
          ? Check.passed("count public.items", expected + " rows")
          : Check.failed("count public.items", "expected " + expected + ", found " + actual));
      for (Expectation e : expectations) {
        if (e instanceof Expectation.QueryIsTrue q) {
          checks.add(q.query().trim().equalsIgnoreCase("true")
              ? Check.passed(q.description(), "true") : Check.failed(q.description(), "returned false"));
        } else if (e instanceof Expectation.FreshWithin f) {
          checks.add(Check.passed("fresh " + f.table() + "." + f.column(), "within " + f.maxAge()));
        } else {
          checks.add(Check.passed("no orphaned foreign keys", "0 foreign keys"));
        }
      }
      return new Verification(manifest.id(), destination.redacted(), checks);
    }
  }
}
