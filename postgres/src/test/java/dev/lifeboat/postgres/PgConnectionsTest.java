package dev.lifeboat.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connecting, sessions for checks, and whole databases, against a real server; each failure with its one error code. */
class PgConnectionsTest {
  private static final String APP_PASSWORD = "Right-Pw-42";
  private static EmbeddedPostgres pg;

  @TempDir
  static Path config;

  @BeforeAll
  static void start() throws Exception {
    Path hba = config.resolve("pg_hba.conf");
    Files.writeString(hba, "local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\n"
        + "host all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n");
    pg = EmbeddedPostgres.builder().setServerConfig("hba_file", hba.toString())
        .setServerConfig("password_encryption", "scram-sha-256").start();
    sql("postgres", "CREATE ROLE app LOGIN NOCREATEDB PASSWORD '" + APP_PASSWORD + "'",
        "CREATE TABLE private_data (x int)", "INSERT INTO private_data VALUES (1)");
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  private static void sql(String db, String... statements) throws SQLException {
    try (Connection c = pg.getDatabase("postgres", db).getConnection(); Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  private static PgLocation at(String user, String password, String db) {
    return PgLocation.parse(Location.parse("postgresql://" + user + (password == null ? "" : ":" + password) + "@localhost:"
        + pg.getPort() + "/" + db), n -> Optional.empty());
  }

  private static boolean exists(String db) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + db + "'")) {
      rs.next();
      return rs.getLong(1) == 1;
    }
  }

  @Test
  void aWrongPasswordIsAuthenticationWithoutThePasswordAndTheSecretIsUsedWhenTheUriHasNone() throws Exception {
    assertThatThrownBy(() -> PgConnections.open(at("app", "wrong-one", "postgres"))).isInstanceOfSatisfying(LifeboatException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION);
      assertThat(e.getMessage()).doesNotContain("wrong-one").contains("PGPASSWORD").contains("role 'app'");
    });
    PgLocation fromSecret = PgLocation.parse(Location.parse("postgresql://app@localhost:" + pg.getPort() + "/postgres"),
        n -> n.equals("PGPASSWORD") ? Optional.of(APP_PASSWORD) : Optional.empty());
    try (Connection c = PgConnections.open(fromSecret)) {
      assertThat(c.isValid(2)).isTrue();
    }
  }

  @Test
  void aMissingDatabaseIsNotFoundWhenConnectingButAFailedOperationWhenChecking() {
    assertThatThrownBy(() -> PgConnections.open(at("postgres", null, "no_such_db"))).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(() -> PgConnections.openReadOnly(at("postgres", null, "no_such_db"))).isInstanceOfSatisfying(LifeboatException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
      assertThat(e.getMessage()).contains("'no_such_db' does not exist").contains("nothing to verify");
    });
  }

  @Test
  void aServerThatIsDownIsAConnectionError() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    PgLocation down = PgLocation.parse(Location.parse("postgresql://postgres@localhost:" + closed + "/postgres"));
    assertThatThrownBy(() -> PgConnections.open(down)).isInstanceOfSatisfying(LifeboatException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
      assertThat(e.getMessage()).startsWith("Cannot connect to PostgreSQL at " + down + ": ").doesNotContain("..");
    });
  }

  @Test
  void aReadOnlySessionRefusesEveryWrite() throws Exception {
    try (Connection c = PgConnections.openReadOnly(at("postgres", null, "postgres")); Statement st = c.createStatement()) {
      assertThatThrownBy(() -> st.execute("DELETE FROM private_data")).isInstanceOfSatisfying(SQLException.class,
          e -> assertThat(e.getSQLState()).isEqualTo("25006"));
    }
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM private_data")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(1);
    }
  }

  @Test
  void aMissingPrivilegeIsAConfigurationErrorNamingTheRole() throws Exception {
    PgLocation app = at("app", APP_PASSWORD, "postgres");
    try (Connection c = PgConnections.open(app); Statement st = c.createStatement()) {
      SQLException denied = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
          () -> st.executeQuery("SELECT * FROM private_data"));
      LifeboatException e = PgErrors.map(denied, app, "reading the inventory", ErrorCode.SOURCE_FAILED);
      assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
      assertThat(e.getMessage()).contains("Role 'app'").contains("reading the inventory").contains("permission denied");
      assertThat(PgErrors.isOutage(denied)).isFalse();
    }
  }

  @Test
  void aDatabaseCreatedForARestoreIsDroppedAfterAFailureButOneThatExistedNeverIs() throws Exception {
    PgLocation fresh = at("postgres", null, "created_here");
    assertThat(PgDatabases.exists(fresh)).isFalse();
    assertThat(PgDatabases.createIfMissing(fresh)).isTrue();
    assertThat(PgDatabases.createIfMissing(fresh)).as("a second call finds it").isFalse();
    assertThat(PgDatabases.createMissing(fresh)).as("created meanwhile by someone else: not ours").isFalse();
    assertThat(PgDatabases.exists(fresh)).isTrue();
    try (Connection c = PgConnections.open(fresh)) {
      assertThat(PgDatabases.userObjects(c, 5)).as("created from template0, so empty").isEmpty();
    }

    RuntimeException failure = new RuntimeException("the restore failed");
    PgDatabases.dropIfCreated(at("postgres", null, "postgres"), false, failure);
    assertThat(exists("postgres")).isTrue();
    try (Connection stillOpen = PgConnections.open(fresh)) {
      PgDatabases.dropIfCreated(fresh, true, failure);
      assertThat(stillOpen.isValid(2)).as("other sessions are ended").isFalse();
    }
    assertThat(exists("created_here")).isFalse();
    assertThat(failure.getSuppressed()).isEmpty();
  }

  @Test
  void aRoleThatMayNotCreateDatabasesIsToldSoAndNothingIsCreated() throws Exception {
    assertThatThrownBy(() -> PgDatabases.createIfMissing(at("app", APP_PASSWORD, "not_allowed")))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.RESTORE_FAILED);
          assertThat(e.getMessage()).contains("may not create databases").contains("CREATEDB").doesNotContain(APP_PASSWORD);
        });
    assertThat(exists("not_allowed")).isFalse();
  }

  @Test
  void userObjectsNameWhatADatabaseHolds() throws Exception {
    PgLocation db = at("postgres", null, "holds_things");
    PgDatabases.createIfMissing(db);
    sql("holds_things", "CREATE SCHEMA shop", "CREATE TABLE shop.orders (id int)", "CREATE FUNCTION shop.f() RETURNS int"
        + " LANGUAGE sql AS 'SELECT 1'");
    try (Connection c = PgConnections.open(db)) {
      assertThat(PgDatabases.userObjects(c, 10)).containsExactlyInAnyOrder("relation shop.orders", "function shop.f", "schema shop");
      assertThat(PgDatabases.userObjects(c, 1)).hasSize(1);
    }
  }
}
