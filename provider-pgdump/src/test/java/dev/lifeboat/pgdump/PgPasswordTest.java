package dev.lifeboat.pgdump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.BackupRequest;
import dev.lifeboat.Compression;
import dev.lifeboat.DumpOptions;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.ProgressListener;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.spi.Dump;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A role that must authenticate with a password (scram-sha-256 over TCP): the password from the
 * URI, from the PGPASSWORD secret and from a password file all work, and the password appears in no
 * log line, message, manifest or command line.
 */
class PgPasswordTest {
  static final String PASSWORD = "Zq-8!sEcret%pw";
  static final String COLON_PASSWORD = "a:b\\c-colon";
  static final Path LOG = Path.of("target", "lifeboat-test.log");
  static TestPg pg;
  @TempDir static Path dir;
  @TempDir Path store;

  @BeforeAll
  static void start() throws IOException {
    Path hba = dir.resolve("pg_hba.conf");
    Files.writeString(hba, "local all all trust\n"
        + "host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\n"
        + "host all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n");
    pg = TestPg.start(b -> b.setServerConfig("hba_file", hba.toString()).setServerConfig("password_encryption", "scram-sha-256"));
    pg.exec("postgres", "CREATE ROLE app LOGIN CREATEDB PASSWORD '" + PASSWORD + "'");
    pg.exec("postgres", "CREATE ROLE colon_user LOGIN CREATEDB PASSWORD 'a:b\\c-colon'");
    pg.exec("postgres", "GRANT pg_read_all_data TO colon_user");
    pg.exec("postgres", "CREATE DATABASE appdb OWNER app");
    try (var c = DriverManager.getConnection("jdbc:postgresql://localhost:" + pg.port() + "/appdb", "app", PASSWORD);
        var st = c.createStatement()) {
      st.execute("CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL);"
          + " INSERT INTO accounts SELECT g, 'owner ' || g FROM generate_series(1, 30) g");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    pg.close();
  }

  private String uri(String user, String password, String db) {
    String auth = password == null ? user : user + ":" + URLEncoder.encode(password, StandardCharsets.UTF_8);
    return "postgresql://" + auth + "@localhost:" + pg.port() + "/" + db;
  }

  @Test
  void aPasswordInTheUriWorksAndIsNeverShown() throws Exception {
    List<String> texts = new ArrayList<>();
    List<String> progress = new ArrayList<>();
    ProgressListener listener = p -> progress.add(p.toString());
    try (Lifeboat l = Lifeboat.builder().secrets(n -> Optional.empty()).progress(listener).build()) {
      Snapshot s = l.backup(BackupRequest.builder(uri("app", PASSWORD, "appdb"), store.toString()).build());
      texts.add(s.toString());
      texts.add(dev.lifeboat.Json.write(s));
      assertThat(s.manifest().source().uri()).isEqualTo("postgresql://app@localhost:" + pg.port() + "/appdb");

      RestoreResult r = l.restore(RestoreRequest.builder(store.toString(), s.id(), uri("app", PASSWORD, "app_copy"))
          .verify(Expectation.noOrphanedForeignKeys()).build());
      assertThat(r.verified().orElseThrow().passed()).isTrue();
      texts.add(r.toString());
      texts.add(dev.lifeboat.Json.write(r));
      assertThat(pg.number("app_copy", "SELECT count(*) FROM accounts")).isEqualTo(30);
      assertThat(pg.string("app_copy", "SELECT tableowner FROM pg_tables WHERE tablename = 'accounts'")).isEqualTo("app");

      // Failures carry messages too: a non-empty destination, and a restore onto the source.
      for (String dest : List.of(uri("app", PASSWORD, "app_copy"), uri("app", PASSWORD, "appdb"))) {
        try {
          l.restore(RestoreRequest.builder(store.toString(), s.id(), dest).build());
        } catch (LifeboatException e) {
          texts.add(e.getMessage());
          texts.add(e.toString());
        }
      }
      assertThat(texts).hasSize(8);
    }
    try (Stream<Path> files = Files.walk(store)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".json")).toList()) {
        texts.add(Files.readString(f));
      }
    }
    assertThat(texts.stream().filter(t -> t.contains("manifestVersion"))).isNotEmpty();
    texts.addAll(progress);
    texts.add(Files.readString(LOG));
    assertNoPassword(texts, PASSWORD);
  }

  @Test
  void theDumpCommandCarriesNoConnectionSecrets() {
    PgLocation info = PgLocation.parse(Location.parse(uri("app", PASSWORD, "appdb")));
    try (Lifeboat lifeboat = TestPg.lifeboat(Map.of());
        PgBackupSource source = new PgBackupSource(info, lifeboat.providerContext());
        Dump dump = source.dump(DumpOptions.builder().compression(Compression.ZSTD).build())) {
      List<String> command = ((PgDump) dump).command();
      assertThat(command.get(0)).endsWith("pg_dump");
      assertThat(String.join(" ", command)).doesNotContain(PASSWORD).doesNotContain("app").doesNotContain("localhost")
          .contains("--snapshot=").contains("--no-password");
      assertThat(info.libpqEnvironment()).containsEntry("PGPASSWORD", PASSWORD).containsEntry("PGUSER", "app")
          .containsEntry("PGDATABASE", "appdb");
    }
  }

  @Test
  void thePasswordMayComeFromThePgpasswordSecret() {
    try (Lifeboat l = Lifeboat.builder().secrets(n -> n.equals("PGPASSWORD") ? Optional.of(PASSWORD) : Optional.empty()).build()) {
      Snapshot s = l.backup(BackupRequest.builder(uri("app", null, "appdb"), store.toString()).build());
      assertThat(s.manifest().inventory().find("public.accounts").orElseThrow().count()).isEqualTo(30);
    }
  }

  @Test
  void thePasswordMayComeFromAPasswordFile() throws IOException {
    Path pgpass = dir.resolve("pgpass");
    Files.writeString(pgpass, "# comments and other hosts first\n"
        + "otherhost:*:*:colon_user:wrong\n"
        + "localhost:" + pg.port() + ":*:colon_user:a\\:b\\\\c-colon\n"
        + "*:*:*:*:wrong-too\n");
    Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
    try (Lifeboat l = Lifeboat.builder().secrets(n -> n.equals("PGPASSFILE") ? Optional.of(pgpass.toString()) : Optional.empty()).build()) {
      Snapshot s = l.backup(BackupRequest.builder(uri("colon_user", null, "appdb"), store.toString()).build());
      assertThat(s.manifest().inventory().find("public.accounts").orElseThrow().count()).isEqualTo(30);
      l.restore(RestoreRequest.builder(store.toString(), s.id(), uri("colon_user", null, "colon_copy"))
          .options(RestoreOptions.builder().extra("pg.noOwner", "true").build()).build());
      assertThat(pg.string("colon_copy", "SELECT tableowner FROM pg_tables WHERE tablename = 'accounts'")).isEqualTo("colon_user");
    }
    assertNoPassword(List.of(Files.readString(LOG)), COLON_PASSWORD);

    // libpq ignores a password file others may read, and so does Lifeboat.
    Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r--r--"));
    try (Lifeboat l = Lifeboat.builder().secrets(n -> n.equals("PGPASSFILE") ? Optional.of(pgpass.toString()) : Optional.empty()).build()) {
      assertThatThrownBy(() -> l.backup(BackupRequest.builder(uri("colon_user", null, "appdb"), store.toString()).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION));
    }
  }

  @Test
  void aWrongPasswordFailsWithoutLeavingASnapshotOrShowingThePassword() {
    String wrong = "Wr0ng-Pa55-" + System.nanoTime();
    try (Lifeboat l = TestPg.lifeboat(Map.of())) {
      assertThatThrownBy(() -> l.backup(BackupRequest.builder(uri("app", wrong, "appdb"), store.toString()).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION);
            assertThat(e.getMessage()).contains("password authentication failed").doesNotContain(wrong);
          });
      assertThat(l.list(store.toString())).isEmpty();
    }
  }

  @Test
  void aRoleThatMayNotCreateDatabasesGetsAClearError() {
    pg.exec("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'nocreate') THEN"
        + " CREATE ROLE nocreate LOGIN NOCREATEDB PASSWORD 'nocreate-pw'; END IF; END $$");
    try (Lifeboat l = TestPg.lifeboat(Map.of())) {
      Snapshot s = l.backup(BackupRequest.builder(uri("app", PASSWORD, "appdb"), store.toString()).build());
      assertThatThrownBy(() -> l.restore(RestoreRequest.builder(store.toString(), s.id(), uri("nocreate", "nocreate-pw", "not_allowed")).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RESTORE_FAILED);
            assertThat(e.getMessage()).contains("may not create databases").contains("CREATEDB").doesNotContain("nocreate-pw");
          });
    }
    assertThat(pg.databaseExists("not_allowed")).isFalse();
  }

  @Test
  void aWrongPasswordFailsVerifyAndRestoreAsAnOperationNotAsACheck() {
    String wrong = "Wr0ng-Pa55-" + System.nanoTime();
    try (Lifeboat l = TestPg.lifeboat(Map.of())) {
      Snapshot s = l.backup(BackupRequest.builder(uri("app", PASSWORD, "appdb"), store.toString()).build());
      l.restore(RestoreRequest.builder(store.toString(), s.id(), uri("app", PASSWORD, "verify_target")).build());
      for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
          () -> l.verify(dev.lifeboat.VerifyRequest.builder(store.toString(), s.id()).destination(uri("app", wrong, "verify_target")).build()),
          () -> l.restore(RestoreRequest.builder(store.toString(), s.id(), uri("app", wrong, "restore_target")).build()))) {
        assertThatThrownBy(call).isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION);
          assertThat(e.code().exitStatus()).isEqualTo(1);
          assertThat(e.getMessage()).contains("password authentication failed").doesNotContain(wrong).doesNotContain("..");
        });
      }
    }
    assertThat(pg.databaseExists("restore_target")).isFalse();
  }

  @Test
  void aPasswordFromThePasswordFileIsRemovedFromTheToolsErrorOutput() throws IOException {
    Path pgpass = dir.resolve("pgpass-leak");
    Files.writeString(pgpass, "localhost:" + pg.port() + ":*:colon_user:a\\:b\\\\c-colon\n");
    Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
    // A pg_restore whose error output carries the password, as a misbehaving tool or wrapper might.
    Path bin = PgSafetyTest.fakeBin(dir, "pg_restore", "#!/bin/sh\n"
        + "if [ \"$1\" = \"--version\" ]; then exec /usr/bin/pg_restore --version; fi\n"
        + "printf 'pg_restore: error: connection failed with password %s\\n' '" + COLON_PASSWORD + "' >&2\n"
        + "exit 1\n");
    try (Lifeboat l = Lifeboat.builder().settings(Map.of("pgdump.bin", bin.toString()))
        .secrets(n -> n.equals("PGPASSFILE") ? Optional.of(pgpass.toString()) : Optional.empty()).build()) {
      Snapshot s = l.backup(BackupRequest.builder(uri("colon_user", null, "appdb"), store.toString()).build());
      assertThatThrownBy(() -> l.restore(RestoreRequest.builder(store.toString(), s.id(), uri("colon_user", null, "leak_check")).build()))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(e.getMessage()).contains("connection failed with password ***");
            assertNoPassword(List.of(e.getMessage(), e.toString()), COLON_PASSWORD);
          });
    }
  }

  private static void assertNoPassword(List<String> texts, String password) {
    String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8);
    for (String t : texts) {
      assertThat(t).doesNotContain(password).doesNotContain(encoded);
    }
  }
}
