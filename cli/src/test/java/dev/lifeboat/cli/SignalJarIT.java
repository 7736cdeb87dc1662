package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar stopped with SIGTERM while its PostgreSQL tool runs: one line on standard error,
 * exit 143, no pg_dump or pg_restore left running, and what a restore promises about the
 * destination holds; and what a restore killed with SIGKILL leaves in the scratch folder is removed
 * by the next one, while its pg_restore stops with it. The tool is held at a known point without timing: a test session keeps a
 * table locked, so pg_dump or pg_restore waits for the lock until the signal arrives.
 */
class SignalJarIT {
  static EmbeddedPostgres pg;
  @TempDir static Path work;
  static String store;

  @BeforeAll
  static void start() throws Exception {
    pg = SharedPostgres.get();
    SharedPostgres.createDemoDatabase("sig_source", 120);
    store = "file:" + work.resolve("store");
    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--source", SharedPostgres.uri("sig_source"), "--target", store);
    assertThat(backup.exit()).as(backup.toString()).isZero();
  }

  @Test
  void aBackupStoppedWhilePgDumpRunsSaysSoInOneLineAndLeavesNothing() throws Exception {
    String target = "file:" + work.resolve("stopped-backups");
    PackagedJar.Running backup;
    List<Long> tools;
    try (Connection lock = lockTables("sig_source")) {
      backup = PackagedJar.spawn(work, "backup", "--source", SharedPostgres.uri("sig_source"), "--target", target);
      awaitWaitingOnLock("sig_source", backup);
      tools = descendants(backup.process());
      assertThat(tools).as("pg_dump runs").isNotEmpty();

      backup.process().destroy();
      PackagedJar.Run stopped = backup.await();

      assertThat(stopped.exit()).as(stopped.toString()).isEqualTo(143);
      assertThat(stopped.errLines()).as(stopped.toString()).singleElement()
          .satisfies(line -> assertThat(line).startsWith("lifeboat: backup interrupted by a signal").contains("nothing was stored"));
      assertThat(stopped.out()).isEmpty();
      assertThat(tools).as("no pg_dump outlives the backup").noneMatch(SignalJarIT::running);
    }

    PackagedJar.Run next = PackagedJar.run(work, "backup", "--source", SharedPostgres.uri("sig_source"), "--target", target);
    assertThat(next.exit()).as(next.toString()).isZero();
    PackagedJar.Run list = PackagedJar.run(work, "list", "--target", target);
    assertThat(list.out()).as(list.toString()).contains(next.lastOutLine()).contains("1 snapshot in");
  }

  @Test
  void aSingleJobRestoreStoppedWhilePgRestoreRunsLeavesTheDestinationAsItWas() throws Exception {
    String destination = restoredCopy("sig_single");
    PackagedJar.Running restore;
    try (Connection lock = lockTables("sig_single")) {
      restore = PackagedJar.spawn(work, "restore", "--target", store, "--snapshot", "latest", "--destination", destination, "--replace");
      awaitWaitingOnLock("sig_single", restore);
      List<Long> tools = descendants(restore.process());

      restore.process().destroy();
      PackagedJar.Run stopped = restore.await();

      assertThat(stopped.exit()).as(stopped.toString()).isEqualTo(143);
      assertThat(stopped.errLines()).as(stopped.toString()).singleElement()
          .isEqualTo("lifeboat: restore interrupted by a signal; pg_restore ran in one transaction, so the destination was left as it was.");
      assertThat(stopped.out()).isEmpty();
      assertThat(tools).as("no pg_restore outlives the restore").isNotEmpty().noneMatch(SignalJarIT::running);
    }
    awaitNoOtherSessions("sig_single");
    assertThat(count("sig_single", "SELECT count(*) FROM order_items")).as("rolled back").isZero();

    PackagedJar.Run retry = PackagedJar.run(work, "restore", "--target", store, "--snapshot", "latest", "--destination", destination, "--replace");
    assertThat(retry.exit()).as(retry.toString()).isZero();
    assertThat(count("sig_single", "SELECT count(*) FROM order_items")).isEqualTo(240);
  }

  @Test
  void aParallelRestoreStoppedWhilePgRestoreRunsLeavesNoPgRestoreBehind() throws Exception {
    String destination = restoredCopy("sig_parallel");
    PackagedJar.Running restore;
    try (Connection lock = lockTables("sig_parallel")) {
      restore = PackagedJar.spawn(work, "restore", "--target", store, "--snapshot", "latest", "--destination", destination,
          "--replace", "--jobs", "2");
      awaitWaitingOnLock("sig_parallel", restore);
      List<Long> tools = descendants(restore.process());

      restore.process().destroy();
      PackagedJar.Run stopped = restore.await();

      assertThat(stopped.exit()).as(stopped.toString()).isEqualTo(143);
      assertThat(stopped.errLines()).as(stopped.toString()).singleElement()
          .isEqualTo("lifeboat: restore interrupted by a signal; the destination may be partly restored; restore again with replace.");
      // A pg_restore reading a file would otherwise go on restoring after Lifeboat reported the restore as stopped.
      assertThat(tools).as("no pg_restore outlives the restore").isNotEmpty().noneMatch(SignalJarIT::running);
    }
    awaitNoOtherSessions("sig_parallel");

    PackagedJar.Run retry = PackagedJar.run(work, "restore", "--target", store, "--snapshot", "latest", "--destination", destination,
        "--replace", "--jobs", "2");
    assertThat(retry.exit()).as(retry.toString()).isZero();
    assertThat(count("sig_parallel", "SELECT count(*) FROM order_items")).isEqualTo(240);
  }

  @Test
  void aParallelRestoreKilledWithSigkillTakesItsPgRestoreWithIt() throws Exception {
    String destination = restoredCopy("sig_orphan");
    try (Connection lock = lockTables("sig_orphan")) {
      PackagedJar.Running restore = PackagedJar.spawn(work, "restore", "--target", store, "--snapshot", "latest",
          "--destination", destination, "--replace", "--jobs", "2");
      awaitWaitingOnLock("sig_orphan", restore);
      List<Long> tools = descendants(restore.process());
      assertThat(tools).as("pg_restore runs").isNotEmpty();

      restore.process().destroyForcibly();
      assertThat(restore.await().exit()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);

      // The lock is still held: a pg_restore that outlived the JVM would wait for it, and then restore.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (tools.stream().anyMatch(SignalJarIT::running) || count("postgres", sessionsOfTools("sig_orphan")) > 0) {
        assertThat(System.nanoTime()).as("pg_restore and its sessions ended after the JVM was killed").isLessThan(deadline);
        Thread.sleep(50);
      }
    }
    PackagedJar.Run retry = PackagedJar.run(work, "restore", "--target", store, "--snapshot", "latest", "--destination", destination,
        "--replace", "--jobs", "2");
    assertThat(retry.exit()).as(retry.toString()).isZero();
    assertThat(count("sig_orphan", "SELECT count(*) FROM order_items")).isEqualTo(240);
  }

  private static String sessionsOfTools(String database) {
    return "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database + "' AND application_name LIKE 'pg\\_%'";
  }

  @Test
  void scratchFilesOfARestoreKilledWithSigkillAreRemovedByTheNextRestore() throws Exception {
    String destination = restoredCopy("sig_killed");
    Path scratch = work.resolve("scratch");
    String setting = "lifeboat.scratchDir=" + scratch;
    PackagedJar.Running restore;
    try (Connection lock = lockTables("sig_killed")) {
      restore = PackagedJar.spawn(work, "restore", "--setting", setting, "--target", store, "--snapshot", "latest",
          "--destination", destination, "--replace", "--jobs", "2");
      awaitWaitingOnLock("sig_killed", restore);

      restore.process().destroyForcibly();
      assertThat(restore.await().exit()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
      assertThat(entries(scratch)).as("the archive pg_restore reads, left behind").isNotEmpty();
    }
    // pg_restore stops with the JVM; its cancelled sessions may take a moment to end.
    awaitNoOtherSessions("sig_killed");

    PackagedJar.Run retry = PackagedJar.run(work, "restore", "--setting", setting, "--target", store, "--snapshot", "latest",
        "--destination", destination, "--replace", "--jobs", "2");
    assertThat(retry.exit()).as(retry.toString()).isZero();
    assertThat(entries(scratch)).as("the killed restore's scratch folder was removed, and the retry's own").isEmpty();
    assertThat(count("sig_killed", "SELECT count(*) FROM order_items")).isEqualTo(240);
  }

  private static List<Path> entries(Path folder) throws IOException {
    try (var list = Files.list(folder)) {
      return list.toList();
    }
  }

  /** Restores the snapshot into {@code database} and empties order_items, so a replace has something to change. */
  private static String restoredCopy(String database) throws Exception {
    String destination = SharedPostgres.uri(database);
    PackagedJar.Run restore = PackagedJar.run(work, "restore", "--target", store, "--snapshot", "latest", "--destination", destination);
    assertThat(restore.exit()).as(restore.toString()).isZero();
    try (Connection c = pg.getDatabase("postgres", database).getConnection(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM order_items");
    }
    return destination;
  }

  /** A session holding every demo table locked until it is closed (closing rolls its transaction back). */
  private static Connection lockTables(String database) throws SQLException {
    Connection c = pg.getDatabase("postgres", database).getConnection();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("LOCK TABLE customers, products, orders, order_items IN ACCESS EXCLUSIVE MODE");
    }
    return c;
  }

  /** Waits until a session of the tool on {@code database} waits for a lock. */
  private static void awaitWaitingOnLock(String database, PackagedJar.Running run) throws Exception {
    String sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database + "' AND wait_event_type = 'Lock'"
        + " AND application_name LIKE 'pg\\_%'";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (count("postgres", sql) == 0) {
      assertThat(run.process().isAlive()).as("lifeboat still runs: " + run.args()).isTrue();
      assertThat(System.nanoTime()).as("a PostgreSQL tool waiting for the lock on " + database).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** Waits until the sessions of a stopped tool are gone (they end once the lock is released). */
  private static void awaitNoOtherSessions(String database) throws Exception {
    String sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database + "' AND pid <> pg_backend_pid()";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (count("postgres", sql) > 0) {
      assertThat(System.nanoTime()).as("the stopped tool's sessions on " + database + " ended").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static List<Long> descendants(Process p) {
    return p.descendants().map(ProcessHandle::pid).toList();
  }

  /** Whether {@code pid} still runs: a zombie (ended, not yet reaped by whoever inherited it) does not. */
  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException gone) {
      return false;
    }
  }

  private static long count(String database, String sql) throws SQLException {
    try (Connection c = pg.getDatabase("postgres", database).getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
