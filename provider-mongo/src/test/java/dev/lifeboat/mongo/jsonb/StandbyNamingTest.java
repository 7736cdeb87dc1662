package dev.lifeboat.mongo.jsonb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.Location;
import dev.lifeboat.mongo.BsonSamples;
import dev.lifeboat.postgres.PgLocation;
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

/** Table naming, standby JSON and the standby's schema. */
class StandbyNamingTest {

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
  void theStandbySchemaComesFromTheUriThenTheRestoreOptionsThenTheSettings() {
    PgLocation d = PgLocation.parse(Location.parse("postgresql://app:s%3Acret@db.example.net:6543/standby?sslmode=require&currentSchema=mongo,other"),
        n -> Optional.empty());
    assertThat(d.toString()).doesNotContain("s%3Acret").contains("db.example.net:6543/standby");
    assertThat(StandbySchema.of(d, Map.of(StandbySchema.SETTING, "configured"), Map.of())).isEqualTo("mongo");
    assertThat(d.database()).isEqualTo("standby");
    PgLocation e = PgLocation.parse(Location.parse("jdbc:postgresql://localhost/db2"), n -> Optional.of("x"));
    assertThat(StandbySchema.of(e, Map.of(StandbySchema.SETTING, "configured"), Map.of(StandbySchema.SETTING, "standby")))
        .isEqualTo("standby");
    assertThat(StandbySchema.of(e, Map.of(StandbySchema.SETTING, "configured"), Map.of())).isEqualTo("configured");
    assertThat(StandbySchema.of(e, Map.of(), Map.of())).isEqualTo("public");
  }
}
