package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL through the packaged jar: backup (zstd, so zstd-jni's native library must load from
 * the jar), list, verify, restore with verification, against an embedded PostgreSQL 15; a
 * restore into a port nobody listens on; and parallel jobs, which only the directory format takes.
 */
class PostgresJarIT {
  static EmbeddedPostgres pg;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws SQLException {
    pg = SharedPostgres.get();
    SharedPostgres.createDemoDatabase("shop", 120);
  }

  static String uri(String database) {
    return SharedPostgres.uri(database);
  }

  @Test
  void parallelJobsForTheDefaultCustomFormatAreAUsageErrorAndTheDirectoryFormatTakesThem() throws Exception {
    String target = "file:" + work.resolve("jobs");
    PackagedJar.Run refused = PackagedJar.run(work, "backup", "--source", uri("shop"), "--target", target, "--jobs", "2");
    assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.errLines()).as(refused.toString()).singleElement().satisfies(line -> assertThat(line)
        .contains("--jobs 2 needs the directory format").contains("--format pg-directory"));
    assertThat(refused.out()).isEmpty();

    PackagedJar.Run directory = PackagedJar.run(work, "backup", "--source", uri("shop"), "--target", target, "--jobs", "2",
        "--format", "pg-directory");
    assertThat(directory.exit()).as(directory.toString()).isZero();
    PackagedJar.Run list = PackagedJar.run(work, "list", "--target", target);
    assertThat(list.out()).as(list.toString()).contains(directory.lastOutLine()).contains("pg-directory").contains("1 snapshot in");
  }

  @Test
  void backupListVerifyRestoreThroughTheJar() throws Exception {
    String target = "file:" + work.resolve("store");

    PackagedJar.Run backup = PackagedJar.run(work, "backup", "--source", uri("shop"), "--target", target, "--label", "via=jar");
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();
    assertThat(id).matches("\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f]{8}");

    PackagedJar.Run list = PackagedJar.run(work, "list", "--target", target);
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out()).as("PostgreSQL backups are zstd by default: written and read by zstd-jni from the jar")
        .contains(id).contains("pg-custom+zstd").contains("via=jar").contains("1 snapshot in " + target);

    PackagedJar.Run verify = PackagedJar.run(work, "verify", "--target", target, "--snapshot", id);
    assertThat(verify.exit()).as(verify.toString()).isZero();
    assertThat(verify.out()).startsWith("VERIFIED").contains("PASS  size and sha256").contains("PASS  archive readable as pg-custom");

    PackagedJar.Run restore = PackagedJar.run(work, "restore", "--target", target, "--snapshot", "latest",
        "--destination", uri("shop_copy"), "--verify", "--no-orphans");
    assertThat(restore.exit()).as(restore.toString()).isZero();
    assertThat(restore.out()).startsWith("RESTORED  snapshot " + id + " into " + uri("shop_copy"))
        .contains("VERIFIED").contains("count public.orders").doesNotContain("FAIL");
    assertThat(count("shop_copy", "SELECT count(*) FROM order_items")).isEqualTo(240);

    // A restore into a port nobody listens on: one line, nothing from the PostgreSQL driver's own
    // logging (java.util.logging) before it.
    int port = PackagedJar.closedPort();
    PackagedJar.Run closed = PackagedJar.run(work, "restore", "--target", target, "--snapshot", id,
        "--destination", "postgresql://postgres@127.0.0.1:" + port + "/nowhere");
    assertThat(closed.exit()).as(closed.toString()).isEqualTo(1);
    assertThat(closed.errLines()).as(closed.toString()).hasSize(1);
    assertThat(closed.err()).startsWith("lifeboat: restore failed: ").contains("127.0.0.1:" + port).doesNotContain("..");
    assertThat(closed.out()).isEmpty();

    for (PackagedJar.Run r : List.of(backup, list, verify, restore)) {
      assertThat(r.err()).as("no library log lines: " + r).doesNotContain("WARN").doesNotContain("INFO").doesNotContain("SLF4J");
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
