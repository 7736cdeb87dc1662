package dev.lifeboat.pgdump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.Location;
import dev.lifeboat.postgres.PgCatalog;
import dev.lifeboat.postgres.PgLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** pg_dump's arguments and patterns, pg_restore's table of contents and connection string; no server needed. */
class PgDumpRulesTest {

  @Test
  void theDatabaseArgumentNamesOnlyTheDatabase() {
    PgLocation a = PgLocation.parse(Location.parse("jdbc:postgresql://localhost:5433/shop?user=carol&password=Sup3rS3cret"));
    assertThat(PgRestorer.databaseArgument(a)).isEqualTo("dbname='shop'");
    assertThat(PgRestorer.databaseArgument(PgLocation.parse(Location.parse("postgresql://u@h/it's")))).isEqualTo("dbname='it\\'s'");
  }

  @Test
  void dumpArgumentsFollowTheOptionsAndHoldNoConnection() {
    DumpOptions options = DumpOptions.builder().includeSchema("shop").excludeSchema("tmp").includeTable("shop.orders")
        .excludeTable("shop.log*").schemaOnly(true).noOwner(true).noPrivileges(true).compression(Compression.ZSTD).build();
    List<String> args = PgBackupSource.arguments(options, "pg-custom", "00000003-1", null);
    assertThat(args).containsExactly("--snapshot=00000003-1", "--format=custom", "--compress=0", "--schema=shop",
        "--exclude-schema=tmp", "--table=shop.orders", "--exclude-table=shop.log*", "--schema-only", "--no-owner",
        "--no-privileges", "--no-password");
    List<String> plain = PgBackupSource.arguments(DumpOptions.builder().compression(Compression.NONE).dataOnly(true)
        .extra("pg.compressLevel", "9").build(), "pg-directory", "s", Path.of("/scratch"));
    assertThat(plain).contains("--format=directory", "--jobs=1", "--file=/scratch/dump", "--compress=9", "--data-only");
  }

  @Test
  void dumpSelectionMirrorsPgDumpPatterns() {
    PgCatalog.Relation orders = new PgCatalog.Relation(1, "shop", "orders", 'r', true, false);
    PgCatalog.Relation items = new PgCatalog.Relation(2, "shop", "Order Items", 'r', true, false);
    PgCatalog.Relation settings = new PgCatalog.Relation(3, "public", "settings", 'r', true, true);
    PgCatalog.Relation unicode = new PgCatalog.Relation(4, "Reporting Ünits", "célula", 'r', true, false);

    DumpSelection schemas = new DumpSelection(DumpOptions.builder().includeSchema("SHOP").build());
    assertThat(schemas.includes(orders)).isTrue();
    assertThat(schemas.includes(settings)).isFalse();

    DumpSelection excluded = new DumpSelection(DumpOptions.builder().excludeSchema("\"Reporting Ünits\"").excludeTable("shop.\"Order Items\"").build());
    assertThat(excluded.includes(unicode)).isFalse();
    assertThat(excluded.includes(items)).isFalse();
    assertThat(excluded.includes(orders)).isTrue();

    DumpSelection tables = new DumpSelection(DumpOptions.builder().includeSchema("public").includeTable("shop.ord*").includeTable("settings").build());
    assertThat(tables.includes(orders)).as("-t wins over -n, as in pg_dump").isTrue();
    assertThat(tables.includes(settings)).as("an unqualified pattern matches what the search path finds").isTrue();
    assertThat(tables.includes(items)).isFalse();
    assertThat(new DumpSelection(DumpOptions.builder().includeTable("orders").build()).includes(orders))
        .as("shop is not on the search path").isFalse();
  }

  @Test
  void tocSelectionKeepsOnlyTheNamedTablesWithTheirParts() {
    List<String> toc = List.of(
        ";",
        "; Archive created at 2024-01-01",
        "5; 2615 16385 SCHEMA - shop postgres",
        "6; 2615 16386 SCHEMA - other postgres",
        "210; 1259 16390 TABLE shop Order Items postgres",
        "211; 1259 16391 TABLE shop Order postgres",
        "212; 1259 16392 SEQUENCE shop Order_id_seq postgres",
        "213; 0 0 SEQUENCE OWNED BY shop Order_id_seq postgres",
        "3300; 2604 16393 DEFAULT shop Order id postgres",
        "3400; 0 16390 TABLE DATA shop Order Items postgres",
        "3401; 0 16391 TABLE DATA shop Order postgres",
        "3500; 2606 16400 CONSTRAINT shop Order Order_pkey postgres",
        "3501; 1259 16401 INDEX shop order_idx postgres",
        "3502; 2606 16402 FK CONSTRAINT shop Order Order_fk postgres",
        "3503; 0 0 SEQUENCE SET shop Order_id_seq postgres");
    dev.lifeboat.InventoryItem order = new dev.lifeboat.InventoryItem("shop", "Order", "table", 3, List.of(), List.of("Order_pkey", "order_idx"), Map.of());
    assertThat(TocSelection.select(toc, List.of(order), java.util.Set.of("public")))
        .extracting(l -> l.substring(0, l.indexOf(';')))
        .containsExactly("5", "211", "212", "213", "3300", "3401", "3500", "3501", "3503");
    assertThat(TocSelection.select(toc, List.of(order), java.util.Set.of("shop")))
        .as("an existing schema is not created again").noneMatch(l -> l.startsWith("5;"));
  }

  @Test
  void withDependenciesTocSelectionFollowsOwnershipAndNamesWhatIsLeftOut() {
    List<String> toc = List.of(
        "5; 2615 16385 SCHEMA - shop postgres",
        "7; 2615 16387 SCHEMA - Reporting Ünits postgres",
        "857; 1247 16388 TYPE Reporting Ünits order status postgres",
        ";\tdepends on: 7",
        "234; 1255 16507 FUNCTION shop label() postgres",
        ";\tdepends on: 5",
        "210; 1259 16390 TABLE shop Order_items postgres",
        ";\tdepends on: 5",
        "211; 1259 16391 TABLE shop Order postgres",
        ";\tdepends on: 5 857 234",
        "212; 1259 16392 SEQUENCE shop Order_items_id_seq postgres",
        ";\tdepends on: 5 210",
        "214; 1259 16394 SEQUENCE shop renamed_counter postgres",
        ";\tdepends on: 5 211",
        "215; 0 0 SEQUENCE OWNED BY shop renamed_counter postgres",
        ";\tdepends on: 214",
        "220; 1259 16395 TABLE shop parent postgres",
        ";\tdepends on: 5",
        "221; 1259 16396 TABLE shop part_1 postgres",
        ";\tdepends on: 220 5",
        "3200; 0 0 TABLE ATTACH shop part_1 postgres",
        ";\tdepends on: 221 220",
        "3300; 2604 16393 DEFAULT shop Order id postgres",
        ";\tdepends on: 212 211",
        "3401; 0 16391 TABLE DATA shop Order postgres",
        ";\tdepends on: 211",
        "3503; 0 0 SEQUENCE SET shop renamed_counter postgres",
        ";\tdepends on: 214");
    Toc parsed = Toc.parse(toc);
    dev.lifeboat.InventoryItem order = new dev.lifeboat.InventoryItem("shop", "Order", "table", 3, List.of(), List.of(), Map.of());
    List<Toc.Entry> selected = TocSelection.entries(parsed, List.of(order), java.util.Set.of("public", "shop"));
    assertThat(selected).extracting(Toc.Entry::id).as("its own sequence whatever its name; not Order_items' sequence")
        .containsExactly(211, 214, 215, 3300, 3401, 3503);
    assertThat(TocSelection.missing(parsed, selected)).extracting(e -> parsed.name(e).toString())
        .containsExactly("type Reporting Ünits.order status", "function shop.label()", "sequence shop.Order_items_id_seq");

    dev.lifeboat.InventoryItem partition = new dev.lifeboat.InventoryItem("shop", "part_1", "table", 3, List.of(), List.of(), Map.of());
    assertThat(TocSelection.missing(parsed, TocSelection.entries(parsed, List.of(partition), java.util.Set.of("shop"))))
        .as("a partition is created alone and attached separately: it does not need its parent").isEmpty();
  }
}
