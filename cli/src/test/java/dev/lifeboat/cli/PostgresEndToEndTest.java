package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.Json;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI end to end on a real PostgreSQL (zonky) through the pg_dump provider, with a role that
 * must authenticate with its password over TCP (scram-sha-256), so the password really travels.
 */
class PostgresEndToEndTest {
  private static final String PASSWORD = "pg-Secr3t-e2e";
  static EmbeddedPostgres pg;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws IOException, SQLException {
    Path hba = work.resolve("pg_hba.conf");
    Files.writeString(hba, String.join("\n",
        "local all all trust",
        "host all postgres 127.0.0.1/32 trust",
        "host all postgres ::1/128 trust",
        "host all all 127.0.0.1/32 scram-sha-256",
        "host all all ::1/128 scram-sha-256", ""));
    pg = EmbeddedPostgres.builder().setServerConfig("hba_file", hba.toString()).start();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE app LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
      s.execute("CREATE DATABASE shop OWNER app");
    }
    DemoData.fill(pg.getDatabase("postgres", "shop"), 200);
  }

  @AfterAll
  static void stop() throws IOException {
    pg.close();
  }

  static String uri(String password, String database) {
    return "postgresql://app" + (password == null ? "" : ":" + password) + "@localhost:" + pg.getPort() + "/" + database;
  }

  @Test
  void backupListVerifyRestoreVerify() throws Exception {
    String target = "file:" + work.resolve("store");
    List<Cli.Result> all = new ArrayList<>();

    Cli.Result backup = record(all, Cli.run("backup", "--source", uri(PASSWORD, "shop"), "--target", target, "--label", "env=e2e"));
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();
    assertThat(id).matches("\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f]{8}");
    assertThat(backup.err()).contains("Stored " + id);

    Cli.Result list = record(all, Cli.run("list", "--target", target, "--json"));
    assertThat(list.exit()).isZero();
    JsonNode manifest = Json.mapper().readTree(list.out()).get(0).get("manifest");
    assertThat(manifest.get("id").asText()).isEqualTo(id);
    assertThat(manifest.get("format").asText()).startsWith("pg-");
    assertThat(manifest.get("labels").get("env").asText()).isEqualTo("e2e");
    assertThat(manifest.get("source").get("uri").asText()).isEqualTo(uri(null, "shop"));
    List<Long> counts = new ArrayList<>();
    manifest.get("inventory").get("items").forEach(i -> counts.add(i.get("count").asLong()));
    assertThat(counts).contains(200L, 400L, 50L);

    Cli.Result table = record(all, Cli.run("list", "--target", target));
    assertThat(table.out()).contains(id).contains("env=e2e").contains("1 snapshot in " + target);

    Cli.Result verify = record(all, Cli.run("verify", "--target", target, "--snapshot", id));
    assertThat(verify.exit()).as(verify.toString()).isZero();
    assertThat(verify.out()).startsWith("VERIFIED").contains("PASS  size and sha256").contains("PASS  archive readable as pg-");

    Cli.Result restore = record(all, Cli.run("restore", "--target", target, "--snapshot", "latest",
        "--destination", uri(PASSWORD, "shop_copy"), "--verify", "--no-orphans", "--jobs", "2"));
    assertThat(restore.exit()).as(restore.toString()).isZero();
    assertThat(restore.out()).startsWith("RESTORED  snapshot " + id + " into " + uri(null, "shop_copy"))
        .contains("VERIFIED").contains("count public.orders").contains("no orphaned rows").doesNotContain("FAIL");
    assertThat(count("shop_copy", "SELECT count(*) FROM order_items")).isEqualTo(400);

    Cli.Result again = record(all, Cli.run("restore", "--target", target, "--snapshot", id, "--destination", uri(PASSWORD, "shop_copy")));
    assertThat(again.exit()).as(again.toString()).isEqualTo(2);
    assertThat(again.err()).startsWith("lifeboat: restore refused: ");

    Cli.Result onSource = record(all, Cli.run("restore", "--target", target, "--snapshot", id, "--destination", uri(PASSWORD, "shop"), "--replace"));
    assertThat(onSource.exit()).as(onSource.toString()).isEqualTo(2);
    assertThat(onSource.err()).startsWith("lifeboat: restore refused: ").contains("shop");

    Cli.Result checks = record(all, Cli.run("verify", "--target", target, "--snapshot", id, "--destination", uri(PASSWORD, "shop_copy"),
        "--expect-sql", "SELECT count(*) = 200 FROM orders", "--fresh", "public.orders.created_at=1d", "--json"));
    assertThat(checks.exit()).as(checks.toString()).isZero();
    assertThat(Json.mapper().readTree(checks.out()).get("passed").asBoolean()).isTrue();

    try (Connection c = pg.getDatabase("postgres", "shop_copy").getConnection(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM order_items WHERE order_id = 1");
    }
    Cli.Result drifted = record(all, Cli.run("verify", "--target", target, "--snapshot", id, "--destination", uri(PASSWORD, "shop_copy")));
    assertThat(drifted.exit()).isEqualTo(3);
    assertThat(drifted.out()).startsWith("FAILED").contains("FAIL  count public.order_items");

    Cli.Result wrongPassword = record(all, Cli.run("backup", "--source", uri("not-" + PASSWORD, "shop"), "--target", target));
    assertThat(wrongPassword.exit()).as(wrongPassword.toString()).isEqualTo(1);
    assertThat(wrongPassword.errLines()).hasSizeLessThanOrEqualTo(2);
    assertThat(wrongPassword.err()).startsWith("lifeboat: backup failed: ");

    Cli.Result listAfter = record(all, Cli.run("list", "--target", target, "--json"));
    assertThat(Json.mapper().readTree(listAfter.out())).as("the failed backup left nothing listed").hasSize(1);

    for (Cli.Result r : all) {
      assertThat(r.all()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void branchCommandsOnALocalServer() {
    String on = uri(PASSWORD, "shop");
    Cli.Result created = Cli.run("branch", "create", "--on", on, "--name", "drill");
    assertThat(created.exit()).as(created.toString()).isZero();
    assertThat(created.out()).contains("Created branch ").contains("drill").contains("Connect: postgresql://app@");
    Cli.Result list = Cli.run("branch", "list", "--on", on, "--json");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out()).contains("drill");
    Cli.Result deleted = Cli.run("branch", "delete", "--on", on, "--name", "drill");
    assertThat(deleted.exit()).as(deleted.toString()).isZero();
    assertThat(Cli.run("branch", "list", "--on", on).out()).doesNotContain("drill");
    Cli.Result past = Cli.run("branch", "create", "--on", on, "--name", "past", "--at", "2020-01-01T00:00:00Z");
    assertThat(past.exit()).as("a local server keeps no history").isEqualTo(2);
    for (Cli.Result r : List.of(created, list, deleted, past)) {
      assertThat(r.all()).doesNotContain(PASSWORD);
    }
  }

  private static Cli.Result record(List<Cli.Result> all, Cli.Result r) {
    all.add(r);
    return r;
  }

  private static long count(String database, String sql) throws SQLException {
    try (Connection c = pg.getDatabase("postgres", database).getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
