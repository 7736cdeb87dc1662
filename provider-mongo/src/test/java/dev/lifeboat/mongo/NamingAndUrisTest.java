package dev.lifeboat.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoClientSettings;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.spi.ProviderContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/** Table naming, standby JSON, and URI handling (credentials, redaction). */
class NamingAndUrisTest {

  @Test
  void shortNamesAreKeptAndLongOnesCutWithAHashAtA63ByteLimit() {
    String longAscii = "a".repeat(100);
    String longUnicode = "é".repeat(40); // 80 bytes
    Map<String, String> names = TableNames.derive(List.of("orders", "Mixed.Case \"q\"", longAscii, longUnicode));
    assertThat(names).containsEntry("orders", "orders").containsEntry("Mixed.Case \"q\"", "Mixed.Case \"q\"");
    for (String t : names.values()) {
      assertThat(t.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
    }
    assertThat(names.get(longAscii)).matches("a{54}_[0-9a-f]{8}");
    assertThat(names.get(longUnicode)).matches("é{27}_[0-9a-f]{8}");
    assertThat(TableNames.derive(List.of(longAscii + "x")).get(longAscii + "x")).isNotEqualTo(names.get(longAscii));
  }

  @Test
  void collisionsAreResolvedTheSameWayWhateverTheOrder() {
    String longName = "b".repeat(70);
    String cut = TableNames.derive(List.of(longName)).get(longName);
    // A collection literally named like another's cut name.
    Map<String, String> one = TableNames.derive(List.of(longName, cut));
    Map<String, String> two = TableNames.derive(List.of(cut, longName));
    assertThat(one).isEqualTo(two);
    assertThat(one.values()).doesNotHaveDuplicates();
    assertThat(one.get(cut)).isEqualTo(cut);
    assertThat(one.get(longName)).endsWith("_2");
  }

  @Test
  void quotingDoublesQuotes() {
    assertThat(TableNames.quote("a\"b")).isEqualTo("\"a\"\"b\"");
  }

  @Test
  void standbyJsonKeepsWhatRelaxedJsonWouldLose() {
    BsonDocument d = new BsonDocument("i", new BsonInt32(5)).append("l", new BsonInt64(5))
        .append("d", new BsonDouble(5)).append("big", new BsonDouble(1e22)).append("neg0", new BsonDouble(-0.0))
        .append("old", new BsonDateTime(-86_400_000L)).append("new", new BsonDateTime(86_400_000L))
        .append("oid", new BsonObjectId(new ObjectId("65a000000000000000000001")));
    String json = StandbyJson.data(d);
    assertThat(json).contains("\"i\": 5,").contains("\"l\": {\"$numberLong\": \"5\"}").contains("\"d\": 5.0")
        .contains("\"big\": 10000000000000000000000.0").contains("\"neg0\": {\"$numberDouble\": \"-0.0\"}")
        .contains("\"old\": {\"$date\": {\"$numberLong\": \"-86400000\"}}").contains("\"new\": {\"$date\": \"1970-01-02T00:00:00Z\"}")
        .contains("{\"$oid\": \"65a000000000000000000001\"}");
    assertThat(BsonDocument.parse(json)).isEqualTo(d);
    assertThat(StandbyJson.id(new BsonString("x"))).isEqualTo("\"x\"");
    assertThat(StandbyJson.id(new BsonInt32(1))).isEqualTo("{\"$numberInt\": \"1\"}");
  }

  @Test
  void standbyJsonOfEveryTypeParsesBackToTheSameDocumentAndIdsMatchTheDriversCanonicalForm() {
    org.bson.json.JsonWriterSettings canonical = org.bson.json.JsonWriterSettings.builder()
        .outputMode(org.bson.json.JsonMode.EXTENDED).build();
    List<BsonDocument> all = new java.util.ArrayList<>(BsonSamples.everyType());
    all.addAll(BsonSamples.beyondTestServer());
    for (BsonDocument d : all) {
      assertThat(BsonDocument.parse(StandbyJson.data(d))).as("data of %s", d.toJson()).isEqualTo(d);
      String driver = new BsonDocument("_id", d.get("_id")).toJson(canonical);
      assertThat(StandbyJson.id(d.get("_id"))).isEqualTo(driver.substring("{\"_id\": ".length(), driver.length() - 1));
    }
  }

  @Test
  void mongoCredentialsComeFromTheUriOrTheSecretsAndAreNeverShown() {
    Map<String, String> secrets = Map.of("MONGODB_USERNAME", "app", "MONGODB_PASSWORD", "pw-from-secret");
    MongoUri plain = MongoUri.parse(Location.parse("mongodb://db1.example.net,db2.example.net:27018/shop?authSource=users"));
    MongoClientSettings s = plain.settings(n -> Optional.ofNullable(secrets.get(n)), 1000);
    assertThat(s.getCredential().getUserName()).isEqualTo("app");
    assertThat(s.getCredential().getSource()).isEqualTo("users");
    assertThat(new String(s.getCredential().getPassword())).isEqualTo("pw-from-secret");

    MongoUri userOnly = MongoUri.parse(Location.parse("mongodb://ops@db1.example.net/shop"));
    MongoClientSettings u = userOnly.settings(n -> Optional.ofNullable(secrets.get(n)), 1000);
    assertThat(u.getCredential().getUserName()).isEqualTo("ops");
    assertThat(new String(u.getCredential().getPassword())).isEqualTo("pw-from-secret");
    assertThat(u.getCredential().getSource()).as("authSource defaults to the URI's database").isEqualTo("shop");
    assertThatThrownBy(() -> userOnly.settings(n -> Optional.empty(), 1000)).isInstanceOf(LifeboatException.class)
        .hasMessageContaining("MONGODB_PASSWORD");

    MongoUri withPassword = MongoUri.parse(Location.parse("mongodb+srv://ops:p%40ss@cluster0.example.net/shop?retryWrites=true"));
    assertThat(withPassword.toString()).doesNotContain("p%40ss").doesNotContain("p@ss").contains("cluster0.example.net/shop");
    assertThat(withPassword.srv()).isTrue();
    assertThat(withPassword.normalizedHosts()).containsExactly("srv:cluster0.example.net");
    assertThat(plain.normalizedHosts()).containsExactly("db1.example.net:27017", "db2.example.net:27018");
  }

  @Test
  void sameDeploymentIsRecognisedWhateverTheHostOrderOrDefaultPort() {
    MongoUri a = MongoUri.parse(Location.parse("mongodb://B.example.net,a.example.net:27017/shop"));
    MongoUri b = MongoUri.parse(Location.parse("mongodb://user:pw@a.example.net,b.example.net:27017/shop?w=majority"));
    MongoUri other = MongoUri.parse(Location.parse("mongodb://a.example.net,b.example.net/shop_copy"));
    assertThat(a.sameDatabaseAs(b)).isTrue();
    assertThat(a.sameDatabaseAs(other)).isFalse();
  }

  @Test
  void sameDeploymentIsRecognisedThroughOneMemberLoopbackSpellingsAndSrvSeedLists() {
    MongoUri replicaSet = MongoUri.parse(Location.parse("mongodb://a.example.net,b.example.net,c.example.net/shop?replicaSet=rs0"));
    MongoUri oneMember = MongoUri.parse(Location.parse("mongodb://B.example.net.:27017/shop?directConnection=true"));
    assertThat(replicaSet.sameDatabaseAs(oneMember)).as("a seed list naming one member of the same replica set").isTrue();
    assertThat(oneMember.sameDatabaseAs(replicaSet)).isTrue();

    MongoUri localhost = MongoUri.parse(Location.parse("mongodb://localhost/shop"));
    MongoUri loopback = MongoUri.parse(Location.parse("mongodb://127.0.0.1:27017/shop"));
    MongoUri loopback6 = MongoUri.parse(Location.parse("mongodb://[::1]:27017/shop"));
    assertThat(localhost.sameDatabaseAs(loopback)).isTrue();
    assertThat(loopback6.sameDatabaseAs(localhost)).isTrue();
    assertThat(localhost.sameDatabaseAs(MongoUri.parse(Location.parse("mongodb://localhost:27018/shop")))).isFalse();

    MongoUri srv = MongoUri.parse(Location.parse("mongodb+srv://cluster0.abcde.mongodb.net/shop"));
    MongoUri seeds = MongoUri.parse(Location.parse(
        "mongodb://cluster0-shard-00-00.abcde.mongodb.net:27017,cluster0-shard-00-01.abcde.mongodb.net:27017/shop?ssl=true"));
    assertThat(srv.sameDatabaseAs(seeds)).as("SRV targets share the SRV name's parent domain").isTrue();
    assertThat(seeds.sameDatabaseAs(srv)).isTrue();
    assertThat(srv.sameDatabaseAs(localhost)).isFalse();
    assertThat(replicaSet.sameDatabaseAs(MongoUri.parse(Location.parse("mongodb://d.example.net/shop")))).isFalse();
  }

  @Test
  void mongoUriWithoutDatabaseOrOfAnotherSchemeIsAConfigurationError() {
    for (String uri : List.of("mongodb://h:1", "mongodb://h:1/", "mongodb://h:1/?replicaSet=rs")) {
      assertThatThrownBy(() -> MongoUri.parse(Location.parse(uri))).isInstanceOf(LifeboatException.class)
          .hasMessageContaining("names no database")
          .extracting(e -> ((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION);
    }
    assertThatThrownBy(() -> MongoUri.parse(Location.parse("mongodb://u:topsecret@h:notaport/db")))
        .isInstanceOf(LifeboatException.class).satisfies(e -> assertThat(e.getMessage()).doesNotContain("topsecret"));
  }

  @Test
  void postgresqlUrisBecomeJdbcUrlsWithTheSchemaAndPasswordHandled() {
    try (Lifeboat lb = Lifeboat.builder().secrets(n -> Optional.empty()).build()) {
      ProviderContext ctx = lb.providerContext();
      PgDestination d = PgDestination.parse(Location.parse("postgresql://app:s%3Acret@db.example.net:6543/standby?sslmode=require&currentSchema=mongo"),
          n -> Optional.empty());
      assertThat(d.toString()).doesNotContain("s%3Acret").contains("db.example.net:6543/standby");
      assertThat(d.schema(new MongoSettings(ctx, Map.of()))).isEqualTo("mongo");
      assertThat(d.database()).isEqualTo("standby");
      PgDestination e = PgDestination.parse(Location.parse("jdbc:postgresql://localhost/db2"), n -> Optional.of("x"));
      assertThat(e.schema(new MongoSettings(ctx, Map.of("mongo.jsonbSchema", "standby")))).isEqualTo("standby");
      assertThat(e.schema(new MongoSettings(ctx, Map.of()))).isEqualTo("public");
    }
  }

  @Test
  void wrongPasswordIsAnAuthenticationErrorWithoutThePassword() throws Exception {
    try (var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start()) {
      try (var c = pg.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
        st.execute("CREATE ROLE app LOGIN PASSWORD 'right-one'");
      }
      java.nio.file.Path hba;
      try (var c = pg.getPostgresDatabase().getConnection(); var st = c.createStatement();
          var rs = st.executeQuery("SHOW hba_file")) {
        rs.next();
        hba = java.nio.file.Path.of(rs.getString(1));
      }
      java.nio.file.Files.writeString(hba, "host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\n"
          + "local all postgres trust\nhost all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n");
      try (var c = pg.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
        st.execute("SELECT pg_reload_conf()");
      }
      Thread.sleep(300);
      PgDestination wrong = PgDestination.parse(Location.parse("postgresql://app:wrong-one@localhost:" + pg.getPort() + "/postgres"),
          n -> Optional.empty());
      assertThatThrownBy(wrong::connect).isInstanceOf(LifeboatException.class)
          .satisfies(ex -> assertThat(ex.getMessage()).doesNotContain("wrong-one").contains("PGPASSWORD"))
          .extracting(ex -> ((LifeboatException) ex).code()).isEqualTo(ErrorCode.AUTHENTICATION);
      PgDestination fromSecret = PgDestination.parse(Location.parse("postgresql://app@localhost:" + pg.getPort() + "/postgres"),
          n -> n.equals("PGPASSWORD") ? Optional.of("right-one") : Optional.empty());
      try (var c = fromSecret.connect()) {
        assertThat(c.isValid(2)).isTrue();
      }
    }
  }
}
