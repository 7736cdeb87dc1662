package dev.lifeboat.tck;

import dev.lifeboat.Branch;
import dev.lifeboat.BranchRequest;
import dev.lifeboat.Check;
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
import dev.lifeboat.DumpOptions;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny in-memory database served at {@code memdb://user:password@host/db}, with a source, a
 * restorer and a verifier that follow the SPI's rules. It lets the TCK check its own database
 * contracts without a real server. Host {@code down} is unreachable.
 */
public final class MemDbProvider implements LifeboatProvider {
  static final String FORMAT = "memdb-lines";
  private static final String HEADER = "MEMDB1";
  /** database name → table → rows. */
  static final Map<String, Map<String, List<String>>> DATABASES = new ConcurrentHashMap<>();
  /** Branches (copies of a database) by name. */
  static final Map<String, Branch> BRANCHES = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "memdb";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("memdb");
  }

  static String database(Location l) {
    String body = l.schemeSpecificPart();
    return body.substring(body.lastIndexOf('/') + 1);
  }

  static String host(Location l) {
    String body = l.schemeSpecificPart().substring(2);
    String authority = body.substring(0, body.indexOf('/'));
    return authority.substring(authority.lastIndexOf('@') + 1);
  }

  static Map<String, Long> counts(String db) {
    Map<String, Long> out = new TreeMap<>();
    DATABASES.getOrDefault(db, Map.of()).forEach((t, rows) -> out.put("main." + t, (long) rows.size()));
    return out;
  }

  private static Inventory inventory(Map<String, List<String>> tables) {
    List<InventoryItem> items = new ArrayList<>();
    tables.forEach((t, rows) -> items.add(InventoryItem.of("main", t, "table", rows.size())));
    return new Inventory(items);
  }

  @Override
  public Optional<BackupSource> source(Location location, ProviderContext context) {
    return Optional.of(new BackupSource() {
      private Map<String, List<String>> tables() {
        if (host(location).equals("down")) {
          throw new LifeboatException(ErrorCode.CONNECTION, "memdb at " + location + " does not answer. Start it.");
        }
        Map<String, List<String>> t = DATABASES.get(database(location));
        if (t == null) {
          throw new LifeboatException(ErrorCode.NOT_FOUND, "No memdb database " + database(location) + ".");
        }
        return t;
      }

      @Override
      public SourceFingerprint fingerprint() {
        tables();
        return new SourceFingerprint("memdb", "1.0", database(location), location.redacted());
      }

      @Override
      public Inventory inventory() {
        return MemDbProvider.inventory(tables());
      }

      @Override
      public Dump dump(DumpOptions options) {
        Map<String, List<String>> snapshot = new TreeMap<>();
        tables().forEach((t, rows) -> snapshot.put(t, List.copyOf(rows)));
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        snapshot.forEach((t, rows) -> rows.forEach(r -> text.append(t).append('\t').append(r).append('\n')));
        InputStream stream = new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8));
        Instant at = Instant.now();
        SourceFingerprint f = fingerprint();
        return new Dump() {
          @Override public String format() { return FORMAT; }
          @Override public InputStream stream() { return stream; }
          @Override public SourceFingerprint source() { return f; }
          @Override public Instant consistentAt() { return at; }
          @Override public void finish() {}
          @Override public Inventory inventory() { return MemDbProvider.inventory(snapshot); }
          @Override public Map<String, String> properties() { return Map.of("tool", "memdb 1.0"); }
          @Override public void close() {}
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
        return destination.scheme().equals("memdb");
      }

      @Override
      public String checkArchive(Archive archive) {
        return read(archive).size() + " tables";
      }

      @Override
      public RestoreResult restore(RestoreJob job) {
        Manifest m = job.archive().manifest();
        String db = database(job.destination());
        boolean isSource = m.source() != null && db.equals(m.source().database());
        if (isSource && !job.options().confirm().map(db::equals).orElse(false)) {
          throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION, db + " is the snapshot's source. Confirm with its name.");
        }
        Map<String, List<String>> existing = DATABASES.get(db);
        if (existing != null && !existing.isEmpty() && !job.options().replace()) {
          throw new LifeboatException(ErrorCode.DESTINATION_NOT_EMPTY, db + " holds data. Replace it or choose another.");
        }
        Map<String, List<String>> loaded = read(job.archive());
        DATABASES.put(db, new ConcurrentHashMap<>(loaded));
        return new RestoreResult(m.id(), job.destination().redacted(), FORMAT, List.copyOf(loaded.keySet()), Duration.ZERO, Map.of(), null);
      }
    });
  }

  private static Map<String, List<String>> read(Archive archive) {
    Map<String, List<String>> tables = new TreeMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(archive.open(), StandardCharsets.UTF_8))) {
      if (!HEADER.equals(r.readLine())) {
        throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "Snapshot " + archive.manifest().id() + " is not a memdb archive.");
      }
      String line;
      while ((line = r.readLine()) != null) {
        int tab = line.indexOf('\t');
        tables.computeIfAbsent(line.substring(0, tab), k -> new ArrayList<>()).add(line.substring(tab + 1));
      }
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "Cannot read snapshot: " + e.getMessage(), e);
    }
    // Tables of the inventory without rows still exist.
    archive.manifest().inventory().items().forEach(i -> tables.computeIfAbsent(i.name(), k -> new ArrayList<>()));
    return tables;
  }

  @Override
  public List<RestoreVerifier> verifiers(ProviderContext context) {
    return List.of(new RestoreVerifier() {
      @Override
      public boolean accepts(String format, Location destination) {
        return format.equals(FORMAT) && destination.scheme().equals("memdb");
      }

      @Override
      public Verification verify(Manifest manifest, Location destination, List<String> tables, List<Expectation> expectations) {
        Map<String, List<String>> db = DATABASES.getOrDefault(database(destination), Map.of());
        List<Check> checks = new ArrayList<>();
        for (InventoryItem item : manifest.inventory().items()) {
          List<String> rows = db.get(item.name());
          String name = "count " + item.qualifiedName();
          if (rows == null) {
            checks.add(Check.failed(name, "table missing"));
          } else if (rows.size() != item.count()) {
            checks.add(Check.failed(name, "expected " + item.count() + ", found " + rows.size()));
          } else {
            checks.add(Check.passed(name, item.count() + " rows"));
          }
        }
        for (Expectation e : expectations) {
          if (e instanceof Expectation.FreshWithin f && !db.containsKey(f.table())) {
            checks.add(Check.failed("fresh " + f.table() + "." + f.column(), "no such table"));
          } else {
            checks.add(Check.failed(e.toString(), "memdb cannot evaluate this"));
          }
        }
        return new Verification(manifest.id(), destination.redacted(), checks);
      }
    });
  }

  /**
   * Branches of the location's database: copies made under a new database name, listed with the
   * parent (the default branch, never deleted).
   */
  @Override
  public Optional<Branching> branching(Location location, ProviderContext context) {
    String parent = database(location);
    String base = location.raw().substring(0, location.raw().lastIndexOf('/') + 1);
    return Optional.of(new Branching() {
      @Override
      public Branch create(BranchRequest request) {
        if (request.at() != null) {
          throw new LifeboatException(ErrorCode.UNSUPPORTED, "memdb keeps no history.");
        }
        String from = request.parent() == null ? parent : request.parent();
        Map<String, List<String>> source = DATABASES.get(from);
        if (source == null) {
          throw new LifeboatException(ErrorCode.NOT_FOUND, "No database " + from + ".");
        }
        Map<String, List<String>> copy = new ConcurrentHashMap<>();
        source.forEach((table, rows) -> copy.put(table, new ArrayList<>(rows)));
        if (DATABASES.putIfAbsent(request.name(), copy) != null) {
          throw new LifeboatException(ErrorCode.CONFIGURATION, "Database " + request.name() + " exists already.");
        }
        Branch b = new Branch(request.name(), request.name(), from, Instant.now(), request.expiresAt(), false, false, Map.of());
        BRANCHES.put(b.name(), b);
        return b;
      }

      @Override
      public List<Branch> list() {
        List<Branch> all = new ArrayList<>();
        all.add(new Branch(parent, parent, null, null, null, true, false, Map.of()));
        BRANCHES.values().stream().filter(b -> parent.equals(b.parentId())).forEach(all::add);
        return all;
      }

      @Override
      public Optional<Branch> get(String nameOrId) {
        return list().stream().filter(b -> b.name().equals(nameOrId) || b.id().equals(nameOrId)).findFirst();
      }

      @Override
      public void delete(String nameOrId) {
        Branch b = get(nameOrId).orElseThrow(() -> new LifeboatException(ErrorCode.NOT_FOUND, "No branch " + nameOrId + "."));
        if (b.isDefault()) {
          throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION, "Database " + b.name() + " is the parent, not a branch.");
        }
        BRANCHES.remove(b.name());
        DATABASES.remove(b.name());
      }

      @Override
      public Branch restore(String nameOrId, Instant at, String preserveUnderName, String confirm) {
        throw new LifeboatException(ErrorCode.UNSUPPORTED, "memdb keeps no history.");
      }

      @Override
      public Location connect(Branch branch) {
        return Location.parse(base + branch.name());
      }
    });
  }
}
