package dev.lifeboat.pgdump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Redactor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing of connection URIs, password files and pg_dump patterns; no server needed. */
class PgConnectionInfoTest {

  private static PgConnectionInfo parse(String uri) {
    return PgConnectionInfo.parse(Location.parse(uri));
  }

  @Test
  void allThreeUriFormsParse() {
    PgConnectionInfo a = parse("postgresql://alice:p%40ss%3Aw%2Fd@db.example.com:6543/sales%20db?sslmode=require&application_name=x");
    assertThat(a.host()).isEqualTo("db.example.com");
    assertThat(a.port()).isEqualTo(6543);
    assertThat(a.user()).isEqualTo("alice");
    assertThat(a.database()).isEqualTo("sales db");
    assertThat(a.params()).containsEntry("sslmode", "require");
    assertThat(a.environment()).containsEntry("PGPASSWORD", "p@ss:w/d").containsEntry("PGSSLMODE", "require")
        .containsEntry("PGAPPNAME", "x").containsEntry("PGHOST", "db.example.com").containsEntry("PGPORT", "6543")
        .containsEntry("PGDATABASE", "sales db").containsEntry("PGUSER", "alice");

    PgConnectionInfo b = parse("postgres://bob@[::1]/shop");
    assertThat(b.host()).isEqualTo("::1");
    assertThat(b.port()).isEqualTo(5432);
    assertThat(b.hasPassword()).isFalse();

    PgConnectionInfo c = parse("jdbc:postgresql://localhost:5433/shop?user=carol&password=s3cr%26t&sslmode=disable");
    assertThat(c.user()).isEqualTo("carol");
    assertThat(c.database()).isEqualTo("shop");
    assertThat(c.params()).containsOnlyKeys("sslmode");
    assertThat(c.environment()).containsEntry("PGPASSWORD", "s3cr&t");

    PgConnectionInfo d = parse("jdbc:postgresql://host/?dbname=shop&user=dave");
    assertThat(d.database()).as("the dbname parameter names the database when the path does not").isEqualTo("shop");
  }

  @Test
  void aUriWithoutADatabaseIsAUsageError() {
    // libpq would use a database named after the user: a restore must never land there unasked.
    for (String uri : new String[] {"postgresql://app@host:5432", "postgresql://app@host:5432/", "postgres://host",
        "jdbc:postgresql://host:5432/?user=app", "postgresql://app@host/?sslmode=require"}) {
      assertThatThrownBy(() -> parse(uri)).as(uri).isInstanceOfSatisfying(LifeboatException.class, e -> {
        assertThat(e.code().exitStatus()).isEqualTo(2);
        assertThat(e.getMessage()).contains("names no database").contains("postgresql://user@host:5432/DATABASE");
      });
    }
  }

  @Test
  void aPortOutsideTheTcpRangeIsAUsageError() {
    for (String uri : new String[] {"postgresql://app@host:0/db", "postgresql://app@host:65536/db",
        "postgresql://app@[::1]:99999/db", "jdbc:postgresql://host/db?port=70000&user=app"}) {
      assertThatThrownBy(() -> parse(uri)).as(uri).isInstanceOfSatisfying(LifeboatException.class, e -> {
        assertThat(e.code().exitStatus()).isEqualTo(2);
        assertThat(e.getMessage()).contains("1-65535");
      });
    }
    assertThatThrownBy(() -> parse("jdbc:postgresql://host/db?port=x5432")).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.getMessage()).contains("not a number").doesNotContain("percent-encode"));
    assertThat(parse("postgresql://app@host:65535/db").port()).isEqualTo(65535);
    assertThat(parse("postgresql://app@host:1/db").port()).isEqualTo(1);
  }

  @Test
  void unicodeDatabaseNamesAreShownDecoded() {
    PgConnectionInfo ete = parse("postgresql://app:s3cret-pw@h/%C3%A9t%C3%A9");
    assertThat(ete.database()).isEqualTo("été");
    assertThat(ete.toString()).isEqualTo("postgresql://app@h:5432/été");
    assertThat(ete.redactedUri()).doesNotContain("%C3");
    assertThat(PgConnectionInfo.parse(Location.parse(ete.toString())).database()).as("the shown form parses back").isEqualTo("été");
    assertThat(PgConnectionInfo.parse(ete.toLocation())).isEqualTo(ete);
    // What a URI cannot hold stays encoded, so the shown form still parses.
    PgConnectionInfo odd = parse("postgresql://ü%40ser@h/a%2Fb%20c%3Fd%23%25");
    assertThat(odd.toString()).isEqualTo("postgresql://ü%40ser@h:5432/a%2Fb%20c%3Fd%23%25");
    assertThat(PgConnectionInfo.parse(Location.parse(odd.toString())).database()).isEqualTo("a/b c?d#%");
  }

  @Test
  void passwordsFromAPasswordFileAreRegisteredForRedaction() throws Exception {
    String password = "pgpass-only-" + System.nanoTime();
    Path file = java.nio.file.Files.createTempFile("pgpass", "");
    try {
      java.nio.file.Files.writeString(file, "h:5432:db:u:" + password + "\n");
      java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      PgConnectionInfo info = parse("postgresql://u@h/db").resolvePassword(n -> n.equals("PGPASSFILE") ? Optional.of(file.toString()) : Optional.empty());
      assertThat(info.hasPassword()).isTrue();
      // Any text, from any code path, that carries it: a tool's error output, a server's message.
      assertThat(Redactor.redact("FATAL: password \"" + password + "\" was refused")).doesNotContain(password).contains(Redactor.MASK);
    } finally {
      java.nio.file.Files.delete(file);
    }
  }

  @Test
  void childProcessMessagesRemoveEverySecretTheProcessKnows() {
    String secret = "tool-echoed-" + System.nanoTime();
    Redactor.register(secret);
    ChildProcess child = ChildProcess.start(List.of("sh", "-c", "echo \"pg_restore: error: bad password " + secret + "\" >&2; exit 1"),
        null, true, null);
    try (child) {
      assertThat(child.waitFor()).isEqualTo(1);
    }
    assertThat(child.messages()).contains("bad password").doesNotContain(secret).contains(Redactor.MASK);
  }

  @Test
  void messagesCountAndEndSentencesOnce() {
    assertThat(Words.count(1, "index", "indexes")).isEqualTo("1 index");
    assertThat(Words.count(0, "row", "rows")).isEqualTo("0 rows");
    assertThat(Words.count(2, "table", "tables")).isEqualTo("2 tables");
    assertThat(Words.clause("Connection refused. Check the host. ")).isEqualTo("Connection refused. Check the host");
    assertThat(Words.clause("no stop")).isEqualTo("no stop");
    assertThat(Words.firstOf(List.of("a", "b", "c"), 2)).isEqualTo("a, b and 1 more");
  }

  @Test
  void thePasswordIsRemovedFromEverythingShown() {
    PgConnectionInfo a = parse("jdbc:postgresql://localhost:5433/shop?user=carol&password=Sup3rS3cret&sslmode=disable");
    assertThat(a.redactedUri()).isEqualTo("postgresql://carol@localhost:5433/shop?sslmode=disable");
    assertThat(a.toString()).doesNotContain("Sup3rS3cret");
    assertThat(a.redact("FATAL: something about Sup3rS3cret")).isEqualTo("FATAL: something about ***");
    assertThat(a.databaseArgument()).isEqualTo("dbname='shop'");
    assertThat(parse("postgresql://u@h/it's").databaseArgument()).isEqualTo("dbname='it\\'s'");
    assertThat(a.toLocation().password()).hasValue("Sup3rS3cret");
  }

  @Test
  void inheritedConnectionVariablesAreReplaced() {
    Map<String, String> env = new HashMap<>(Map.of("PGPASSWORD", "from-parent", "PGSERVICE", "svc", "PATH", "/bin"));
    parse("postgresql://u@h/db").applyTo(env);
    assertThat(env).doesNotContainKeys("PGPASSWORD", "PGSERVICE").containsEntry("PATH", "/bin").containsEntry("PGHOST", "h");
  }

  @Test
  void sameDatabaseTreatsLoopbackNamesAsOneHost() {
    PgConnectionInfo a = parse("postgresql://x@localhost:5432/app");
    assertThat(a.sameDatabaseAs(parse("postgresql://y@127.0.0.1/app"))).isTrue();
    assertThat(a.sameDatabaseAs(parse("jdbc:postgresql://[::1]:5432/app?user=z"))).isTrue();
    assertThat(a.sameDatabaseAs(parse("postgresql://x@localhost:5433/app"))).isFalse();
    assertThat(a.sameDatabaseAs(parse("postgresql://x@localhost/app2"))).isFalse();
    assertThat(a.sameDatabaseAs(parse("postgresql://x@otherhost/app"))).isFalse();
  }

  @Test
  void sameDatabaseTreatsEveryNameOfThisMachineAsOneHost() throws Exception {
    PgConnectionInfo a = parse("postgresql://x@localhost:5432/app");
    String machine = java.net.InetAddress.getLocalHost().getHostName();
    for (String host : new String[] {"[::ffff:127.0.0.1]", "127.0.0.2", "LocalHost.", machine, "0.0.0.0"}) {
      assertThat(a.sameDatabaseAs(parse("postgresql://y@" + host + "/app"))).as(host).isTrue();
      assertThat(parse("postgresql://y@" + host + "/app").sameDatabaseAs(a)).as(host).isTrue();
    }
    assertThat(a.sameDatabaseAs(parse("postgresql://y@192.0.2.200/app"))).isFalse();
    assertThat(parse("postgresql://y@db.example.com/app").sameDatabaseAs(parse("postgresql://y@DB.Example.com./app"))).isTrue();
  }

  @Test
  void anUnencodedPasswordIsNotShownWhenTheUriDoesNotParse() {
    for (String uri : new String[] {"postgresql://app:Se/cr3t@db/shop", "postgresql://app:Se?cr3t@db/shop",
        "postgresql://app:Se#cr3t@db/shop"}) {
      assertThatThrownBy(() -> parse(uri)).as(uri)
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
            assertThat(e.getMessage()).doesNotContain("Se").doesNotContain("cr3t").contains("percent-encode");
          });
    }
  }

  @Test
  void nonPostgresUrisAreConfigurationErrors() {
    assertThatThrownBy(() -> parse("mysql://h/db")).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION));
    assertThatThrownBy(() -> parse("postgresql://h1,h2/db")).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.getMessage()).contains("several hosts"));
  }

  @Test
  void passwordFilesFollowLibpqRules() {
    PgPass pass = PgPass.parse("# comment\n"
        + "\n"
        + "db.example.com:5432:sales:alice:first\n"
        + "db.example.com:*:*:alice:second\n"
        + "h\\:x:5432:*:bob:with\\:colon\\\\and backslash\n"
        + "literal:5432:\\*:carol:star-is-literal\n"
        + "*:*:*:*:fallback\n");
    assertThat(pass.find("db.example.com", 5432, "sales", "alice")).hasValue("first");
    assertThat(pass.find("db.example.com", 6000, "other", "alice")).hasValue("second");
    assertThat(pass.find("h:x", 5432, "any", "bob")).hasValue("with:colon\\and backslash");
    assertThat(pass.find("literal", 5432, "*", "carol")).hasValue("star-is-literal");
    assertThat(pass.find("literal", 5432, "db", "carol")).hasValue("fallback");
  }

  @Test
  void passwordsResolveFromTheUriThenTheSecretThenTheFile() throws Exception {
    Path file = java.nio.file.Files.createTempFile("pgpass", "");
    try {
      java.nio.file.Files.writeString(file, "h:5432:db:u:from-file\n");
      java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      Map<String, String> secrets = new HashMap<>(Map.of("PGPASSFILE", file.toString()));
      assertThat(parse("postgresql://u:in-uri@h/db").resolvePassword(n -> Optional.ofNullable(secrets.get(n))).environment())
          .containsEntry("PGPASSWORD", "in-uri");
      assertThat(parse("postgresql://u@h/db").resolvePassword(n -> Optional.ofNullable(secrets.get(n))).environment())
          .containsEntry("PGPASSWORD", "from-file");
      secrets.put("PGPASSWORD", "from-secret");
      assertThat(parse("postgresql://u@h/db").resolvePassword(n -> Optional.ofNullable(secrets.get(n))).environment())
          .containsEntry("PGPASSWORD", "from-secret");
    } finally {
      java.nio.file.Files.delete(file);
    }
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
  void toolVersionsParse() {
    assertThat(PgTools.parseVersion("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)")).hasValue("15.18");
    assertThat(PgTools.parseVersion("pg_restore (PostgreSQL) 17beta1")).hasValue("17");
    assertThat(PgTools.parseVersion("pg_dump (PostgreSQL) 9.6.24")).hasValue("9.6.24");
    assertThat(PgTools.parseVersion("nonsense")).isEmpty();
    assertThat(PgTools.majorOf("9.6.24")).isEqualTo(9);
    assertThat(PgTools.majorOfServer(150010)).isEqualTo(15);
    assertThat(PgTools.majorOfServer(90624)).isEqualTo(9);
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
