package dev.lifeboat.benchmarks.mongo;

import dev.lifeboat.Location;
import dev.lifeboat.file.FileBlobStore;
import dev.lifeboat.spi.SnapshotTarget;
import dev.lifeboat.mongo.archive.ArchiveVisitor;
import dev.lifeboat.mongo.archive.MongoArchiveReader;
import dev.lifeboat.mongo.archive.Namespace;
import dev.lifeboat.mongo.jsonb.StandbyJson;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.RawBsonDocument;
import org.postgresql.PGConnection;

/**
 * Where the time of a JSONB standby load goes: each stage of the restore timed on its own
 * (SHA-256 read, CRC read, BSON to JSON encoding, COPY of pre-encoded text into jsonb and into
 * text, primary key, commit, FREEZE or not, compact or spaced JSON), then the alternatives: COPY
 * split over several connections into one table or into separate tables, UNLOGGED then LOGGED,
 * a parallel {@code CREATE TABLE AS} from a text staging table. Median of 3 per stage after a
 * warm-up. It keeps the whole COPY text in memory, hence the larger heap;
 * {@code -Donly=<part of a stage name>} runs the matching stages only.
 *
 * <pre>
 * java -Xmx1g -cp benchmarks/target/classes:$(cat /tmp/bench-cp.txt) dev.lifeboat.benchmarks.mongo.JsonbLoadProfile [documents]
 * </pre>
 */
public final class JsonbLoadProfile {
  private JsonbLoadProfile() {}

  public static void main(String[] args) throws Exception {
    int documents = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    Path work = Files.createTempDirectory("lifeboat-jsonb-profile");
    Location target = Location.of(work.resolve("snapshots"));
    String id = JsonbLoadBenchmark.writeSnapshot(target, documents);
    SnapshotTarget files = SnapshotTarget.over(FileBlobStore.open(target));
    Path archive = files.localFile(id).orElseThrow();
    System.out.printf("%d documents, archive %d bytes%n", documents, Files.size(archive));

    stage("read with SHA-256 (core's check)", () -> drain(files.open(id)));
    stage("read raw file (no hash)", () -> drain(Files.newInputStream(archive)));
    stage("reader with CRC, SHA-256 stream (checkArchive)", () -> {
      try (InputStream in = files.open(id)) {
        MongoArchiveReader.read(in, ArchiveVisitor.NONE);
      }
    });
    stage("reader with CRC, raw file", () -> {
      try (InputStream in = Files.newInputStream(archive)) {
        MongoArchiveReader.read(in, ArchiveVisitor.NONE);
      }
    });
    stage("reader + encode to strings", () -> {
      try (InputStream in = Files.newInputStream(archive)) {
        MongoArchiveReader.read(in, new ArchiveVisitor() {
          long sink;
          @Override
          public void document(Namespace ns, byte[] bson) {
            sink += StandbyJson.data(bson).length() + StandbyJson.id(new RawBsonDocument(bson).get("_id")).length();
          }
        });
      }
    });
    byte[] copyText = copyText(archive);
    System.out.printf("COPY text %d bytes%n", copyText.length);

    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT name || '=' || setting FROM pg_settings WHERE name IN "
              + "('wal_level','fsync','synchronous_commit','full_page_writes','shared_buffers','max_wal_size','wal_buffers',"
              + "'max_parallel_workers_per_gather','max_worker_processes')")) {
        while (rs.next()) {
          System.out.println("  " + rs.getString(1));
        }
      }
      byte[] compactText = new String(copyText, StandardCharsets.UTF_8).replace("\", ", "\",").replace("\": ", "\":")
          .replace(", {", ",{").replace(", [", ",[").getBytes(StandardCharsets.UTF_8);
      System.out.printf("compact COPY text %d bytes%n", compactText.length);
      for (int round = 0; round < 3; round++) {
        for (byte[] text : new byte[][] {copyText, compactText}) {
          stage("SPACING test: COPY " + (text == copyText ? "spaced " : "compact") + " JSON into jsonb",
              () -> loadFrozen(pg, text, false));
        }
      }
      for (int round = 0; round < 2; round++) {
        for (String opt : new String[] {FREEZE, ""}) {
          stage("FREEZE test: COPY pre-encoded into new-in-transaction jsonb table" + opt, () -> {
            KeyedLoad load = loadKeyed(pg, "jsonb", false, opt, copyText);
            System.out.printf("    copy %.3f s, primary key %.3f s%n", load.copy(), load.key());
          });
        }
      }
      for (String type : new String[] {"jsonb", "text"}) {
        stage("COPY pre-encoded text into " + type + " (FREEZE, no PK, commit)", () -> {
          KeyedLoad load = loadKeyed(pg, type, false, FREEZE, copyText);
          System.out.printf("    copy %.3f s, primary key %.3f s, commit %.3f s%n", load.copy(), load.key(), load.commit());
        });
      }
      stage("COPY pre-encoded into jsonb, UNLOGGED, then SET LOGGED", () -> {
        KeyedLoad load = loadKeyed(pg, "jsonb", true, FREEZE, copyText);
        System.out.printf("    copy %.3f s, pk + set logged %.3f s%n", load.copy(), load.key());
      });
      ExecutorService pool = Executors.newFixedThreadPool(4);
      for (int streams : new int[] {2, 3}) {
        stage("COPY pre-encoded into jsonb over " + streams + " connections (committed table)", () -> {
          String t = nextTable();
          execute(pg, "CREATE TABLE " + t + columns("jsonb"));
          List<byte[]> parts = split(copyText, streams);
          inParallel(pool, streams, i -> copyCommitted(pg, t, parts.get(i)));
          long s = System.nanoTime();
          execute(pg, "ALTER TABLE " + t + " ADD PRIMARY KEY (_id)");
          System.out.printf("    primary key %.3f s%n", secondsSince(s));
        });
      }
      byte[] compact = new String(copyText, StandardCharsets.UTF_8).replace("\", ", "\",").replace("\": ", "\":")
          .getBytes(StandardCharsets.UTF_8);
      stage("COPY compact JSON into jsonb (FREEZE, no PK, commit)", () -> loadFrozen(pg, compact, true));
      stage("COPY into 2 separate new tables over 2 connections (FREEZE)", () -> {
        List<byte[]> parts = split(copyText, 2);
        inParallel(pool, 2, i -> loadFrozen(pg, parts.get(i), true));
      });
      stage("COPY text into UNLOGGED staging, then parallel CREATE TABLE AS ::jsonb", () -> {
        try (Connection c = transaction(pg)) {
          String t = nextTable();
          double copy = createAndCopy(c, "CREATE UNLOGGED TABLE " + t + "_s" + columns("text"), t + "_s", FREEZE, copyText);
          long copied = System.nanoTime();
          try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL parallel_setup_cost = 0");
            st.execute("SET LOCAL parallel_tuple_cost = 0");
            st.execute("SET LOCAL min_parallel_table_scan_size = 0");
            try (ResultSet rs = st.executeQuery("EXPLAIN CREATE TABLE " + t + " AS SELECT _id, data::jsonb AS data FROM " + t + "_s")) {
              StringBuilder plan = new StringBuilder();
              while (rs.next()) {
                plan.append(rs.getString(1)).append(" | ");
              }
              System.out.println("    plan: " + plan);
            }
            st.execute("CREATE TABLE " + t + " AS SELECT _id, data::jsonb AS data FROM " + t + "_s");
            double ctas = secondsSince(copied);
            st.execute("DROP TABLE " + t + "_s");
            System.out.printf("    copy %.3f s, ctas %.3f s%n", copy, ctas);
          }
          c.commit();
        }
      });
      for (boolean same : new boolean[] {true, false}) {
        stage("COPY over 2 connections into " + (same ? "one committed table" : "2 committed tables") + " (no FREEZE)", () -> {
          String t0 = nextTable();
          String t1 = same ? t0 : nextTable();
          execute(pg, "CREATE TABLE " + t0 + columns("jsonb"));
          if (!same) {
            execute(pg, "CREATE TABLE " + t1 + columns("jsonb"));
          }
          List<byte[]> parts = split(copyText, 2);
          inParallel(pool, 2, i -> copyCommitted(pg, i == 0 ? t0 : t1, parts.get(i)));
        });
      }
      for (int streams : new int[] {1, 2}) {
        stage("encode+COPY, " + streams + " stream(s), each its own encoder thread, committed table, + PK", () -> {
          String t = nextTable();
          execute(pg, "CREATE TABLE " + t + columns("jsonb"));
          long cpu0 = cpu();
          long s = System.nanoTime();
          inParallel(pool, streams, mine -> {
            try (Connection c = transaction(pg); InputStream in = Files.newInputStream(archive)) {
              org.postgresql.copy.CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + t + " FROM STDIN");
              java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(1 << 20);
              long[] k = {0};
              MongoArchiveReader.read(in, new ArchiveVisitor() {
                @Override
                public void document(Namespace ns, byte[] bson) {
                  if (((k[0]++ / 1000) % streams) != mine) {
                    return;
                  }
                  String id = StandbyJson.id(new RawBsonDocument(bson).get("_id"));
                  write(buf, id + "\t" + StandbyJson.data(bson) + "\n");
                  if (buf.size() > (1 << 20) - 4096) {
                    try {
                      copy.writeToCopy(buf.toByteArray(), 0, buf.size());
                    } catch (java.sql.SQLException e) {
                      throw new IllegalStateException(e);
                    }
                    buf.reset();
                  }
                }
              });
              copy.writeToCopy(buf.toByteArray(), 0, buf.size());
              copy.endCopy();
              c.commit();
            }
          });
          double copied = secondsSince(s);
          long keyed = System.nanoTime();
          execute(pg, "ALTER TABLE " + t + " ADD PRIMARY KEY (_id)");
          System.out.printf("    copy %.3f s, pk %.3f s, CPU (JVM + postgres) %.2f s%n", copied, secondsSince(keyed), (cpu() - cpu0) / 1e9);
        });
      }
      pool.shutdown();
    }
  }

  /** CPU time of this JVM plus every postgres process, in ns. */
  static long cpu() throws Exception {
    long total = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    long hz = 100;
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        if (!d.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String comm = Files.readString(d.resolve("comm")).trim();
          if (!comm.startsWith("postgres")) {
            continue;
          }
          String stat = Files.readString(d.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * (1_000_000_000L / hz);
        } catch (java.io.IOException gone) {
          // the process ended
        }
      }
    }
    return total;
  }

  /** The COPY option that writes rows already frozen, allowed into a table created in the same transaction. */
  private static final String FREEZE = " WITH (FREEZE)";
  private static final AtomicInteger TABLES = new AtomicInteger();

  /** A new table name, {@code p0}, {@code p1}, ... */
  private static String nextTable() {
    return "p" + TABLES.getAndIncrement();
  }

  /** The standby's two columns, the document typed {@code dataType}. */
  private static String columns(String dataType) {
    return " (_id text NOT NULL, data " + dataType + " NOT NULL)";
  }

  private static double secondsSince(long nanoTime) {
    return (System.nanoTime() - nanoTime) / 1e9;
  }

  /** A connection with auto-commit off, so that a table created on it is new in the COPY's transaction. */
  private static Connection transaction(EmbeddedPostgres pg) throws SQLException {
    Connection c = pg.getPostgresDatabase().getConnection();
    try {
      c.setAutoCommit(false);
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }

  /** Runs the statements on a connection of their own, each committed on its own. */
  private static void execute(EmbeddedPostgres pg, String... statements) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }

  private static void copy(Connection c, String table, String copyOptions, byte[] text) throws Exception {
    c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN" + copyOptions, new ByteArrayInputStream(text), 1 << 20);
  }

  /** Runs {@code ddl} on the connection, then COPYs the text into {@code table}; returns the seconds the COPY took. */
  private static double createAndCopy(Connection c, String ddl, String table, String copyOptions, byte[] text) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute(ddl);
    }
    long s = System.nanoTime();
    copy(c, table, copyOptions, text);
    return secondsSince(s);
  }

  /** COPYs the text into an existing table in a transaction of its own (no FREEZE: the table is not new in it). */
  private static void copyCommitted(EmbeddedPostgres pg, String table, byte[] text) throws Exception {
    try (Connection c = transaction(pg)) {
      copy(c, table, "", text);
      c.commit();
    }
  }

  /** In one transaction: a new jsonb table, the text COPYed in WITH (FREEZE), then commit or roll back. */
  private static void loadFrozen(EmbeddedPostgres pg, byte[] text, boolean commit) throws Exception {
    try (Connection c = transaction(pg)) {
      String t = nextTable();
      createAndCopy(c, "CREATE TABLE " + t + columns("jsonb"), t, FREEZE, text);
      if (commit) {
        c.commit();
      } else {
        c.rollback();
      }
    }
  }

  /** The seconds each step of {@link #loadKeyed} took; {@code key} includes SET LOGGED for an unlogged table. */
  private record KeyedLoad(double copy, double key, double commit) {}

  /**
   * In one transaction: a new table (UNLOGGED when asked) with a {@code dataType} document column,
   * the text COPYed in, its primary key added (then SET LOGGED when it was unlogged), commit.
   */
  private static KeyedLoad loadKeyed(EmbeddedPostgres pg, String dataType, boolean unlogged, String copyOptions, byte[] text)
      throws Exception {
    try (Connection c = transaction(pg)) {
      String t = nextTable();
      String create = unlogged ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ";
      double copy = createAndCopy(c, create + t + columns(dataType), t, copyOptions, text);
      long copied = System.nanoTime();
      try (Statement st = c.createStatement()) {
        st.execute("ALTER TABLE " + t + " ADD PRIMARY KEY (_id)");
        if (unlogged) {
          st.execute("ALTER TABLE " + t + " SET LOGGED");
        }
      }
      double key = secondsSince(copied);
      long keyed = System.nanoTime();
      c.commit();
      return new KeyedLoad(copy, key, secondsSince(keyed));
    }
  }

  interface Task {
    void run(int index) throws Exception;
  }

  /** Runs the task {@code tasks} times on the pool, with indexes 0 to tasks - 1, and waits for every run. */
  private static void inParallel(ExecutorService pool, int tasks, Task task) throws Exception {
    List<Future<?>> runs = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      int index = i;
      runs.add(pool.submit(() -> {
        task.run(index);
        return null;
      }));
    }
    for (Future<?> run : runs) {
      run.get();
    }
  }

  interface Body {
    void run() throws Exception;
  }

  private static void stage(String name, Body body) throws Exception {
    String only = System.getProperty("only");
    if (only != null && !name.contains(only)) {
      return;
    }
    double[] t = new double[3];
    body.run(); // warm-up
    for (int i = 0; i < 3; i++) {
      long s = System.nanoTime();
      body.run();
      t[i] = (System.nanoTime() - s) / 1e9;
    }
    System.out.printf("%-70s median %.3f s%n", name, ArchiveExportBenchmark.median(t));
  }

  private static void drain(InputStream in) throws Exception {
    try (in) {
      byte[] b = new byte[1 << 20];
      while (in.read(b) >= 0) {
        // reading is the work
      }
    }
  }

  private static byte[] copyText(Path archive) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = Files.newInputStream(archive)) {
      MongoArchiveReader.read(in, new ArchiveVisitor() {
        @Override
        public void document(Namespace ns, byte[] bson) {
          String id = StandbyJson.id(new RawBsonDocument(bson).get("_id"));
          String data = StandbyJson.data(bson).replace("\\", "\\\\");
          write(out, id.replace("\\", "\\\\") + "\t" + data + "\n");
        }
      });
    }
    return out.toByteArray();
  }

  private static void write(OutputStream out, String s) {
    try {
      out.write(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<byte[]> split(byte[] text, int parts) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= parts; i++) {
      int end = i == parts ? text.length : (int) ((long) text.length * i / parts);
      while (end < text.length && text[end - 1] != '\n') {
        end++;
      }
      out.add(java.util.Arrays.copyOfRange(text, start, end));
      start = end;
    }
    return out;
  }
}
