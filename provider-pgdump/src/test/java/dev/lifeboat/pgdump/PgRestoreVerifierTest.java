package dev.lifeboat.pgdump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Check;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.Verification;
import dev.lifeboat.VerifyRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier passes a faithful restore and names exactly what differs in a damaged one. */
class PgRestoreVerifierTest {
  static TestPg pg;
  static Lifeboat lifeboat;
  static Manifest manifest;
  static PgRestoreVerifier verifier;
  @TempDir static Path store;

  @BeforeAll
  static void start() {
    pg = TestPg.start();
    pg.loadFixture("vsrc");
    lifeboat = TestPg.lifeboat(Map.of());
    manifest = lifeboat.backup(BackupRequest.builder(Location.parse(pg.uri("vsrc")), Location.of(store)).build()).manifest();
    lifeboat.restore(RestoreRequest.builder(Location.of(store), manifest.id(), Location.parse(pg.uri("v_ok"))).build());
    verifier = new PgRestoreVerifier(lifeboat.providerContext());
  }

  @AfterAll
  static void stop() {
    lifeboat.close();
    pg.close();
  }

  /** A copy of the faithful restore, to damage. */
  private String copy(String name) {
    pg.exec("postgres", "CREATE DATABASE " + name + " TEMPLATE v_ok");
    return name;
  }

  private Verification verify(String db, List<String> tables, Expectation... expectations) {
    return verifier.verify(manifest, Location.parse(pg.uri(db)), tables, List.of(expectations));
  }

  @Test
  void aFaithfulRestorePassesWithOneCheckPerFact() {
    Verification v = verify("v_ok", List.of());
    assertThat(v.passed()).as(v.toString()).isTrue();
    assertThat(v.subject()).isEqualTo(pg.uri("v_ok"));
    assertThat(v.checks()).contains(Check.passed("count shop.orders", "expected 200, found 200"),
        Check.passed("exists shop.events", "partitioned-table"), Check.passed("count Reporting Ünits.célula", "expected 3, found 3"));
    assertThat(v.checks()).extracting(Check::name).contains("columns shop.Order Items", "indexes shop.orders",
        "exists shop.paid_orders", "count shop.customer_totals").doesNotContain("count shop.paid_orders", "count shop.events");
  }

  @Test
  void aDeletedRowFailsItsCountOnly() {
    String db = copy("v_row");
    pg.exec(db, "DELETE FROM shop.audit WHERE id = 7");
    Verification v = verify(db, List.of());
    assertThat(v.passed()).isFalse();
    assertThat(v.failures()).containsExactly(Check.failed("count shop.audit", "expected 200, found 199"));
  }

  @Test
  void aDroppedColumnFailsTheColumnsCheck() {
    String db = copy("v_col");
    pg.exec(db, "ALTER TABLE \"Reporting Ünits\".\"célula\" DROP COLUMN \"valor €\"");
    Verification v = verify(db, List.of());
    assertThat(v.failures()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("columns Reporting Ünits.célula");
      assertThat(c.detail()).isEqualTo("expected (Key text, valor € numeric[]), found (Key text)");
    });
  }

  @Test
  void aDroppedTableFailsItsExistence() {
    String db = copy("v_tab");
    pg.exec(db, "DROP TABLE public.settings");
    Verification v = verify(db, List.of());
    assertThat(v.failures()).containsExactly(Check.failed("exists public.settings", "table is missing"));
  }

  @Test
  void onlyTheNamedTablesAreCheckedWhenSomeWereRestored() {
    Verification v = verify("v_ok", List.of("public.settings", "shop.nothing_here"));
    assertThat(v.checks()).extracting(Check::name).containsExactly("exists shop.nothing_here", "exists public.settings",
        "columns public.settings", "indexes public.settings", "count public.settings");
    assertThat(v.failures()).extracting(Check::name).containsExactly("exists shop.nothing_here");
  }

  @Test
  void queryExpectations() {
    Verification v = verify("v_ok", List.of("public.settings"),
        Expectation.queryIsTrue("200 orders", "SELECT count(*) = 200 FROM shop.orders"),
        Expectation.queryIsTrue("no cancelled orders", "SELECT NOT EXISTS (SELECT 1 FROM shop.orders WHERE status = 'cancelled')"),
        Expectation.queryIsTrue("missing table", "SELECT count(*) > 0 FROM shop.nope"),
        Expectation.queryIsTrue("not a boolean", "SELECT 42"));
    assertThat(v.checks()).contains(Check.passed("query 200 orders", "true"), Check.failed("query no cancelled orders", "returned false"),
        Check.failed("query not a boolean", "returned 42"));
    assertThat(v.failures()).extracting(Check::name).containsExactly("query no cancelled orders", "query missing table", "query not a boolean");
    assertThat(v.failures().get(1).detail()).contains("does not exist");
  }

  @Test
  void freshnessExpectations() {
    // The newest customer was created at 2024-05-03T02:00Z.
    Verification v = verify("v_ok", List.of("public.settings"),
        Expectation.freshWithin("shop.customers", "created_at", Duration.ofDays(365 * 100)),
        Expectation.freshWithin("shop.customers", "created_at", Duration.ofHours(1)),
        Expectation.freshWithin("\"Reporting Ünits\".\"célula\"", "Key", Duration.ofHours(1)));
    assertThat(v.checks()).filteredOn(c -> c.name().startsWith("fresh")).extracting(Check::status)
        .containsExactly(Check.Status.PASSED, Check.Status.FAILED, Check.Status.FAILED);
    // Ages and limits read as they are typed (2d3h), not as ISO-8601 (PT51H).
    assertThat(v.checks()).filteredOn(c -> c.name().startsWith("fresh")).first().satisfies(c ->
        assertThat(c.detail()).matches("newest 2024-05-03T02:00:00Z is \\d+d(\\d+h)?(\\d+m)?(\\d+s)? old, limit 36500d"));
    assertThat(v.checks()).filteredOn(c -> c.name().startsWith("fresh")).element(1).satisfies(c ->
        assertThat(c.detail()).endsWith(" old, limit 1h"));
  }

  @Test
  void orphanedForeignKeyRowsAreFoundPerKey() {
    Verification ok = verify("v_ok", List.of("public.settings"), Expectation.noOrphanedForeignKeys());
    assertThat(ok.checks()).filteredOn(c -> c.name().startsWith("foreign key")).extracting(Check::name)
        .containsExactly("foreign key shop.Order Items.Order Items_order_id_fkey", "foreign key shop.orders.orders_customer_id_fkey");
    assertThat(ok.passed()).isTrue();

    String db = copy("v_fk");
    // Deleting behind the foreign key's back: replication role skips its triggers.
    pg.exec(db, "SET session_replication_role = replica; DELETE FROM shop.orders WHERE id = 5");
    Verification broken = verify(db, List.of("public.settings"), Expectation.noOrphanedForeignKeys());
    assertThat(broken.failures()).containsExactly(Check.failed("foreign key shop.Order Items.Order Items_order_id_fkey",
        "2 rows of shop.Order Items reference missing rows of shop.orders"));
  }

  @Test
  void aMissingDatabaseOrServerFailsTheOperationNotACheck() throws Exception {
    // Exit status 1, not 3: monitoring must tell an outage from a backup that restores wrongly.
    assertThatThrownBy(() -> verify("no_such_db", List.of())).isInstanceOfSatisfying(LifeboatException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
      assertThat(e.code().exitStatus()).isEqualTo(1);
      assertThat(e.getMessage()).contains("Database 'no_such_db' does not exist").contains("nothing to verify");
    });
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Location down = Location.parse("postgresql://postgres@localhost:" + closedPort + "/v_ok");
    assertThatThrownBy(() -> lifeboat.verify(VerifyRequest.builder(Location.of(store), manifest.id()).destination(down).build()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
          assertThat(e.code().exitStatus()).isEqualTo(1);
          assertThat(e.getMessage()).contains("Cannot connect to PostgreSQL at " + down.redacted()).doesNotContain("..");
        });
  }

  @Test
  void aFullVerificationFailsOnTablesAndViewsTheSnapshotDoesNotHave() {
    assertThat(verify("v_ok", List.of()).checks()).contains(Check.passed("unexpected objects", "none: every table and view is in the snapshot"));

    String db = copy("v_extra");
    pg.exec(db, "CREATE TABLE public.stray (x int); CREATE VIEW shop.stray_view AS SELECT 1 AS one");
    Verification v = verify(db, List.of());
    assertThat(v.failures()).containsExactly(Check.failed("unexpected objects",
        "2 objects the snapshot does not have: table public.stray, view shop.stray_view"));
    assertThat(verify(db, List.of("public.settings")).passed()).as("a restore of some tables may sit among others").isTrue();
  }

  @Test
  void expectationsRunReadOnlyAndCannotChangeTheDestination() {
    String db = copy("v_readonly");
    pg.exec(db, "CREATE FUNCTION public.wipe() RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN DELETE FROM shop.audit; RETURN true; END $$");
    long before = pg.number(db, "SELECT count(*) FROM shop.audit");
    Verification v = verify(db, List.of("public.settings"),
        Expectation.queryIsTrue("cte", "with d as (delete from shop.audit returning 1) select true"),
        Expectation.queryIsTrue("two statements", "SELECT true; DELETE FROM shop.audit"),
        Expectation.queryIsTrue("function", "SELECT public.wipe()"),
        Expectation.queryIsTrue("update", "UPDATE shop.audit SET op = 'x' RETURNING true"),
        Expectation.queryIsTrue("trailing semicolon", "SELECT count(*) = " + before + " FROM shop.audit;  "));
    assertThat(pg.number(db, "SELECT count(*) FROM shop.audit")).isEqualTo(before);
    assertThat(pg.number(db, "SELECT count(*) FROM shop.audit WHERE op = 'x'")).isZero();
    assertThat(v.failures()).extracting(Check::name).containsExactly("query cte", "query two statements", "query function", "query update");
    assertThat(v.failures()).allSatisfy(c -> assertThat(c.detail()).startsWith("failed: ERROR: ").doesNotContain(".."));
    assertThat(v.failures().get(0).detail()).contains("a check runs as one read-only SELECT");
    assertThat(v.failures().get(2).detail()).contains("read-only transaction");
    assertThat(v.checks()).contains(Check.passed("query trailing semicolon", "true"));
  }

  @Test
  void detailsCountInTheRightNumber() {
    Verification v = verify("v_ok", List.of("public.settings"), Expectation.queryIsTrue("two values", "SELECT true, false"),
        Expectation.queryIsTrue("no row", "SELECT true WHERE false"));
    assertThat(v.checks()).contains(Check.passed("indexes public.settings", "1 index"),
        Check.passed("columns public.settings", "2 columns"),
        Check.failed("query two values", "expected one boolean column, got 2 columns"),
        Check.failed("query no row", "expected one row, got none"));

    String db = copy("v_fk_one");
    pg.exec(db, "SET session_replication_role = replica;"
        + " INSERT INTO shop.orders (customer_id, total, placed_at) VALUES (9999, 1, now())");
    Verification one = verify(db, List.of("public.settings"), Expectation.noOrphanedForeignKeys());
    assertThat(one.failures()).containsExactly(Check.failed("foreign key shop.orders.orders_customer_id_fkey",
        "1 row of shop.orders references missing rows of shop.customers"));
  }
}
