package dev.lifeboat.pgdump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Check;
import dev.lifeboat.Expectation;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.Verification;
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
    assertThat(v.checks()).filteredOn(c -> c.name().startsWith("fresh")).first().satisfies(c ->
        assertThat(c.detail()).startsWith("newest 2024-05-03T02:00:00Z is PT"));
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
  void anUnreachableDestinationIsAFailedCheck() {
    Verification v = verifier.verify(manifest, Location.parse(pg.uri("no_such_db")), List.of(), List.of());
    assertThat(v.passed()).isFalse();
    assertThat(v.failures()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("connect");
      assertThat(c.detail()).contains("no_such_db");
    });
  }
}
