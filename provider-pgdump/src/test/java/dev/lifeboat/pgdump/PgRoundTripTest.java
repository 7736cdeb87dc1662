package dev.lifeboat.pgdump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.postgres.Sql;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups of a rich database restored into fresh databases and compared with the source, in every format and option. */
class PgRoundTripTest {
  static TestPg pg;
  static Lifeboat lifeboat;
  static Map<String, String> source;
  @TempDir static Path store;

  @BeforeAll
  static void start() {
    pg = TestPg.start();
    pg.loadFixture("shop");
    source = pg.contents("shop");
    lifeboat = TestPg.lifeboat(Map.of());
  }

  @AfterAll
  static void stop() {
    lifeboat.close();
    pg.close();
  }

  private Snapshot backup(DumpOptions options) {
    return lifeboat.backup(BackupRequest.builder(Location.parse(pg.uri("shop")), Location.of(store)).options(options)
        .label("test", "roundtrip").build());
  }

  private RestoreResult restore(Snapshot s, String db, RestoreOptions options) {
    return lifeboat.restore(RestoreRequest.builder(Location.of(store), s.id(), Location.parse(pg.uri(db))).options(options)
        .verify(Expectation.noOrphanedForeignKeys()).build());
  }

  @Test
  void defaultBackupIsZstdCustomAndRestoresEverythingIdentically() {
    Snapshot s = backup(DumpOptions.defaults());
    Manifest m = s.manifest();
    assertThat(m.format()).isEqualTo("pg-custom");
    assertThat(m.compression()).isEqualTo(Compression.ZSTD);
    assertThat(m.properties().get("pg.dumpArgs")).contains("--compress=0").contains("--format=custom");
    assertThat(m.properties().get("pg.dumpToolVersion")).startsWith("15.");
    assertThat(m.source().kind()).isEqualTo("postgresql");
    assertThat(m.source().serverVersion()).startsWith("15.");
    assertThat(m.source().database()).isEqualTo("shop");
    assertThat(m.consistentAt()).isNotNull();
    assertThat(m.labels()).containsEntry("test", "roundtrip");

    // Exact counts: every counted item equals count(*) taken now (nothing changed since the backup).
    for (InventoryItem i : m.inventory().items()) {
      if (i.counted()) {
        assertThat(i.count()).as(i.qualifiedName())
            .isEqualTo(pg.number("shop", "SELECT count(*) FROM ONLY " + Sql.qualified(i.namespace(), i.name())));
      }
    }
    Map<String, String> kinds = m.inventory().items().stream()
        .collect(Collectors.toMap(InventoryItem::qualifiedName, InventoryItem::kind));
    assertThat(kinds).containsEntry("shop.events", "partitioned-table").containsEntry("shop.events_2024", "table")
        .containsEntry("shop.paid_orders", "view").containsEntry("shop.customer_totals", "materialized-view")
        .containsEntry("Reporting Ünits.célula", "table").containsEntry("shop.Order Items", "table");
    assertThat(m.inventory().find("shop.orders").orElseThrow().count()).isEqualTo(200);
    assertThat(m.inventory().find("shop.events").orElseThrow().count()).isEqualTo(-1);
    assertThat(m.inventory().find("shop.paid_orders").orElseThrow().count()).isEqualTo(-1);
    assertThat(m.inventory().find("shop.orders").orElseThrow().indexes()).contains("orders_pkey", "orders_customer_idx");
    assertThat(m.inventory().find("shop.Order Items").orElseThrow().columns()).extracting(c -> c.name() + " " + c.type())
        .containsExactly("order_id integer", "line integer", "Product Name text", "célula text", "qty integer");

    RestoreResult r = restore(s, "rt_full", RestoreOptions.defaults());
    assertThat(r.verified()).hasValueSatisfying(v -> assertThat(v.passed()).as(v.toString()).isTrue());
    assertThat(r.restored()).contains("shop.orders", "Reporting Ünits.célula", "public.settings");
    assertThat(r.details()).containsEntry("createdDatabase", "true");
    assertThat(pg.contents("rt_full")).isEqualTo(source);
  }

  @Test
  void parallelRestoreOfAZstdCustomArchive() {
    Snapshot s = backup(DumpOptions.defaults());
    RestoreResult r = restore(s, "rt_parallel", RestoreOptions.builder().jobs(2).build());
    assertThat(r.details()).containsEntry("jobs", "2");
    assertThat(r.verified().orElseThrow().passed()).isTrue();
    assertThat(pg.contents("rt_parallel")).isEqualTo(source);
  }

  @Test
  void directoryFormatWithParallelJobs() {
    Snapshot s = backup(DumpOptions.builder().format("pg-directory").jobs(2).build());
    assertThat(s.manifest().format()).isEqualTo("pg-directory");
    assertThat(s.manifest().properties().get("pg.dumpArgs")).contains("--format=directory").contains("--jobs=2");
    RestoreResult r = restore(s, "rt_dir", RestoreOptions.builder().jobs(2).build());
    assertThat(r.verified().orElseThrow().passed()).isTrue();
    assertThat(pg.contents("rt_dir")).isEqualTo(source);
    assertThat(lifeboat.verify(dev.lifeboat.VerifyRequest.builder(Location.of(store), s.id()).build()).passed()).isTrue();
  }

  @Test
  void parallelJobsForACustomArchiveAreRefusedRatherThanIgnored() {
    int before = lifeboat.list(Location.of(store)).size();
    for (DumpOptions options : List.of(DumpOptions.builder().jobs(2).build(), DumpOptions.builder().format("pg-custom").jobs(4).build())) {
      assertThatThrownBy(() -> backup(options))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
          .hasMessageContaining("--format pg-directory").hasMessageContaining("leave --jobs out");
    }
    assertThat(lifeboat.list(Location.of(store))).as("nothing stored").hasSize(before);
    // One job is what a custom archive takes anyway.
    assertThat(backup(DumpOptions.builder().jobs(1).build()).manifest().format()).isEqualTo("pg-custom");
  }

  @Test
  void uncompressedArchiveLetsPgDumpCompress() {
    Snapshot s = backup(DumpOptions.builder().compression(Compression.NONE).extra("pg.compressLevel", "6").build());
    assertThat(s.manifest().compression()).isEqualTo(Compression.NONE);
    assertThat(s.manifest().properties().get("pg.dumpArgs")).contains("--compress=6").doesNotContain("--compress=0");
    restore(s, "rt_plain", RestoreOptions.builder().jobs(2).build());
    assertThat(pg.contents("rt_plain")).isEqualTo(source);
  }

  @Test
  void singleTablesAreRestoredAloneWithTheirSchema() {
    Snapshot s = backup(DumpOptions.defaults());
    RestoreResult r = lifeboat.restore(RestoreRequest.builder(Location.of(store), s.id(), Location.parse(pg.uri("rt_tables")))
        .options(RestoreOptions.builder().table("\"Reporting Ünits\".célula").table("public.settings").build()).verify().build());
    assertThat(r.restored()).containsExactly("Reporting Ünits.célula", "public.settings");
    assertThat(r.verified().orElseThrow().passed()).as(r.verified().orElseThrow().toString()).isTrue();
    Map<String, String> restored = pg.contents("rt_tables");
    assertThat(restored.keySet().stream().filter(k -> k.startsWith("rows ")))
        .containsExactlyInAnyOrder("rows Reporting Ünits.célula", "rows public.settings");
    assertThat(restored.get("rows Reporting Ünits.célula")).isEqualTo(source.get("rows Reporting Ünits.célula"));
    assertThat(restored.get("rows public.settings")).isEqualTo(source.get("rows public.settings"));
    assertThat(pg.string("rt_tables", "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname <> 'pg_catalog'"))
        .isEqualTo("célula_pkey,settings_pkey");
  }

  @Test
  void schemaOnlyThenDataOnlyAddsUpToTheWhole() {
    Snapshot schema = backup(DumpOptions.builder().schemaOnly(true).build());
    assertThat(schema.manifest().inventory().find("shop.orders").orElseThrow().count()).isZero();
    RestoreResult r1 = restore(schema, "rt_split", RestoreOptions.defaults());
    assertThat(r1.verified().orElseThrow().passed()).as(r1.verified().orElseThrow().toString()).isTrue();
    assertThat(pg.number("rt_split", "SELECT count(*) FROM shop.orders")).isZero();
    assertThat(pg.string("rt_split", "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum"))
        .isEqualTo(source.get("enum labels"));

    Snapshot data = backup(DumpOptions.builder().dataOnly(true).build());
    assertThat(data.manifest().inventory().find("shop.orders").orElseThrow().count()).isEqualTo(200);
    RestoreResult r2 = restore(data, "rt_split", RestoreOptions.builder().replace(true).build());
    assertThat(r2.verified().orElseThrow().passed()).as(r2.verified().orElseThrow().toString()).isTrue();
    Map<String, String> restored = pg.contents("rt_split");
    source.forEach((k, v) -> {
      if (k.startsWith("rows ") && !k.equals("rows shop.customer_totals")) {
        assertThat(restored.get(k)).as(k).isEqualTo(v);
      }
    });
    assertThat(restored.get("sequences")).isEqualTo(source.get("sequences"));
  }

  @Test
  void includedAndExcludedSchemas() {
    Snapshot only = backup(DumpOptions.builder().includeSchema("shop").build());
    assertThat(only.manifest().inventory().items()).allSatisfy(i -> assertThat(i.namespace()).isEqualTo("shop"));
    assertThat(only.manifest().properties().get("pg.dumpArgs")).contains("--schema=shop");
    restore(only, "rt_shop", RestoreOptions.defaults());
    Map<String, String> shop = pg.contents("rt_shop");
    assertThat(shop).doesNotContainKey("rows public.settings").doesNotContainKey("rows Reporting Ünits.blobs");
    assertThat(shop.get("rows shop.orders")).isEqualTo(source.get("rows shop.orders"));

    Snapshot without = backup(DumpOptions.builder().excludeSchema("shop").build());
    assertThat(without.manifest().inventory().items()).extracting(InventoryItem::qualifiedName)
        .containsExactlyInAnyOrder("Reporting Ünits.blobs", "Reporting Ünits.célula", "public.settings");
    restore(without, "rt_noshop", RestoreOptions.defaults());
    Map<String, String> rest = pg.contents("rt_noshop");
    assertThat(rest.keySet().stream().filter(k -> k.startsWith("rows ")))
        .containsExactlyInAnyOrder("rows Reporting Ünits.blobs", "rows Reporting Ünits.célula", "rows public.settings");
    assertThat(rest.get("rows Reporting Ünits.blobs")).isEqualTo(source.get("rows Reporting Ünits.blobs"));
    assertThat(rest.get("large objects")).isEqualTo(source.get("large objects"));
  }
}
