package dev.lifeboat.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/** Parsing of connection URIs and password files, messages, the tool runner; no server needed. */
class PgLocationTest {

  private static PgLocation parse(String uri) {
    return PgLocation.parse(Location.parse(uri));
  }

  private static PgLocation parse(String uri, dev.lifeboat.spi.SecretResolver secrets) {
    return PgLocation.parse(Location.parse(uri), secrets);
  }

  @Test
  void allThreeUriFormsParse() {
    PgLocation a = parse("postgresql://alice:p%40ss%3Aw%2Fd@db.example.com:6543/sales%20db?sslmode=require&application_name=x");
    assertThat(a.host()).isEqualTo("db.example.com");
    assertThat(a.port()).isEqualTo(6543);
    assertThat(a.user()).isEqualTo("alice");
    assertThat(a.database()).isEqualTo("sales db");
    assertThat(a.params()).containsEntry("sslmode", "require");
    assertThat(a.libpqEnvironment()).containsEntry("PGPASSWORD", "p@ss:w/d").containsEntry("PGSSLMODE", "require")
        .containsEntry("PGAPPNAME", "x").containsEntry("PGHOST", "db.example.com").containsEntry("PGPORT", "6543")
        .containsEntry("PGDATABASE", "sales db").containsEntry("PGUSER", "alice");

    PgLocation b = parse("postgres://bob@[::1]/shop");
    assertThat(b.host()).isEqualTo("::1");
    assertThat(b.port()).isEqualTo(5432);
    assertThat(b.hasPassword()).isFalse();

    PgLocation c = parse("jdbc:postgresql://localhost:5433/shop?user=carol&password=s3cr%26t&sslmode=disable");
    assertThat(c.user()).isEqualTo("carol");
    assertThat(c.database()).isEqualTo("shop");
    assertThat(c.params()).containsOnlyKeys("sslmode");
    assertThat(c.libpqEnvironment()).containsEntry("PGPASSWORD", "s3cr&t");

    PgLocation d = parse("jdbc:postgresql://host/?dbname=shop&user=dave");
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
  void aMalformedIpv6HostIsAUsageErrorNotAGuess() {
    for (String uri : new String[] {"postgresql://app@[::1/shop", "postgresql://app@[::1]x/shop", "postgresql://app@[::1]5432/shop"}) {
      assertThatThrownBy(() -> parse(uri)).as(uri).isInstanceOfSatisfying(LifeboatException.class, e -> {
        assertThat(e.code().exitStatus()).isEqualTo(2);
        assertThat(e.getMessage()).contains("malformed IPv6 host").contains("postgresql://user@[::1]:5432/database");
      });
    }
    assertThat(parse("postgresql://app@[::1]/shop").servers()).containsExactly(new PgLocation.Server("::1", 5432));
    assertThat(parse("postgresql://app@[::1]:6000/shop").port()).isEqualTo(6000);
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
    PgLocation ete = parse("postgresql://app:s3cret-pw@h/%C3%A9t%C3%A9");
    assertThat(ete.database()).isEqualTo("été");
    assertThat(ete.toString()).isEqualTo("postgresql://app@h:5432/été");
    assertThat(ete.redacted()).doesNotContain("%C3");
    assertThat(PgLocation.parse(Location.parse(ete.toString())).database()).as("the shown form parses back").isEqualTo("été");
    assertThat(PgLocation.parse(ete.toLocation())).isEqualTo(ete);
    // What a URI cannot hold stays encoded, so the shown form still parses.
    PgLocation odd = parse("postgresql://ü%40ser@h/a%2Fb%20c%3Fd%23%25");
    assertThat(odd.toString()).isEqualTo("postgresql://ü%40ser@h:5432/a%2Fb%20c%3Fd%23%25");
    assertThat(PgLocation.parse(Location.parse(odd.toString())).database()).isEqualTo("a/b c?d#%");
  }

  @Test
  void passwordsFromAPasswordFileAreRegisteredForRedaction() throws Exception {
    String password = "pgpass-only-" + System.nanoTime();
    Path file = java.nio.file.Files.createTempFile("pgpass", "");
    try {
      java.nio.file.Files.writeString(file, "h:5432:db:u:" + password + "\n");
      java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      PgLocation info = parse("postgresql://u@h/db", n -> n.equals("PGPASSFILE") ? Optional.of(file.toString()) : Optional.empty());
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
    PgLocation a = parse("jdbc:postgresql://localhost:5433/shop?user=carol&password=Sup3rS3cret&sslmode=disable");
    assertThat(a.redacted()).isEqualTo("postgresql://carol@localhost:5433/shop?sslmode=disable");
    assertThat(a.toString()).doesNotContain("Sup3rS3cret");
    assertThat(a.redact("FATAL: something about Sup3rS3cret")).isEqualTo("FATAL: something about ***");
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
    PgLocation a = parse("postgresql://x@localhost:5432/app");
    assertThat(PgDatabases.sameDatabase(a, parse("postgresql://y@127.0.0.1/app"))).isTrue();
    assertThat(PgDatabases.sameDatabase(a, parse("jdbc:postgresql://[::1]:5432/app?user=z"))).isTrue();
    assertThat(PgDatabases.sameDatabase(a, parse("postgresql://x@localhost:5433/app"))).isFalse();
    assertThat(PgDatabases.sameDatabase(a, parse("postgresql://x@localhost/app2"))).isFalse();
    assertThat(PgDatabases.sameDatabase(a, parse("postgresql://x@otherhost/app"))).isFalse();
  }

  @Test
  void sameDatabaseTreatsEveryNameOfThisMachineAsOneHost() throws Exception {
    PgLocation a = parse("postgresql://x@localhost:5432/app");
    String machine = java.net.InetAddress.getLocalHost().getHostName();
    for (String host : new String[] {"[::ffff:127.0.0.1]", "127.0.0.2", "LocalHost.", machine, "0.0.0.0"}) {
      assertThat(PgDatabases.sameDatabase(a, parse("postgresql://y@" + host + "/app"))).as(host).isTrue();
      assertThat(PgDatabases.sameDatabase(parse("postgresql://y@" + host + "/app"), a)).as(host).isTrue();
    }
    assertThat(PgDatabases.sameDatabase(a, parse("postgresql://y@192.0.2.200/app"))).isFalse();
    assertThat(PgDatabases.sameDatabase(parse("postgresql://y@db.example.com/app"), parse("postgresql://y@DB.Example.com./app"))).isTrue();
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
    assertThatThrownBy(() -> parse("postgresql://h1,h2/db").requireOneServer()).isInstanceOfSatisfying(LifeboatException.class,
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
      assertThat(parse("postgresql://u:in-uri@h/db", n -> Optional.ofNullable(secrets.get(n))).libpqEnvironment())
          .containsEntry("PGPASSWORD", "in-uri");
      assertThat(parse("postgresql://u@h/db", n -> Optional.ofNullable(secrets.get(n))).libpqEnvironment())
          .containsEntry("PGPASSWORD", "from-file");
      secrets.put("PGPASSWORD", "from-secret");
      assertThat(parse("postgresql://u@h/db", n -> Optional.ofNullable(secrets.get(n))).libpqEnvironment())
          .containsEntry("PGPASSWORD", "from-secret");
    } finally {
      java.nio.file.Files.delete(file);
    }
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
  void severalServersAreKeptInOrderForJdbcAndLibpqAndRefusedWhereOneServerIsNeeded() {
    PgLocation a = parse("postgresql://u@[::1]:6000,db2.example.net/app?target_session_attrs=read-write");
    assertThat(a.servers()).containsExactly(new PgLocation.Server("::1", 6000), new PgLocation.Server("db2.example.net", 5432));
    assertThat(a.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:6000,db2.example.net:5432/app");
    assertThat(a.libpqEnvironment()).containsEntry("PGHOST", "::1,db2.example.net").containsEntry("PGPORT", "6000,5432")
        .containsEntry("PGTARGETSESSIONATTRS", "read-write");
    assertThat(a.toString()).isEqualTo("postgresql://u@[::1]:6000,db2.example.net:5432/app?target_session_attrs=read-write");
    assertThat(PgLocation.parse(a.toLocation())).isEqualTo(a);
    assertThatThrownBy(a::requireOneServer).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION));
    assertThat(PgDatabases.sameDatabase(a, parse("postgresql://x@db2.example.net:5432/app"))).as("one server in common").isTrue();
    assertThat(PgDatabases.sameDatabase(a, parse("postgresql://x@db2.example.net:5433/app"))).isFalse();
  }

  @Test
  void aPlusStaysAPlusAsLibpqReadsIt() {
    assertThat(parse("postgresql://u@h/a+b").database()).isEqualTo("a+b");
    assertThat(parse("postgresql://u@h/a%20b").database()).isEqualTo("a b");
  }

  @Test
  void theUserComesFromTheUriThenThePguserSecretThenThisMachine() {
    Map<String, String> secrets = Map.of("PGUSER", "from-secret");
    assertThat(parse("postgresql://in-uri@h/db", n -> Optional.ofNullable(secrets.get(n))).user()).isEqualTo("in-uri");
    assertThat(parse("postgresql://h/db", n -> Optional.ofNullable(secrets.get(n))).user()).isEqualTo("from-secret");
    assertThat(parse("postgresql://h/db", n -> Optional.empty()).user()).isEqualTo(System.getProperty("user.name"));
  }

  @Test
  void onlyPostgresqlSchemesAreAccepted() {
    assertThat(PgLocation.accepts(Location.parse("postgresql://h/db"))).isTrue();
    assertThat(PgLocation.accepts(Location.parse("postgres://h/db"))).isTrue();
    assertThat(PgLocation.accepts(Location.parse("jdbc:postgresql://h/db"))).isTrue();
    assertThat(PgLocation.accepts(Location.parse("mongodb://h/db"))).isFalse();
  }
}
