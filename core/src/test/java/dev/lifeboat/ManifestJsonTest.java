package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestJsonTest {
  private static final Instant CREATED = Instant.parse("2026-11-21T18:45:12.123456Z");

  static Manifest full() {
    return Manifest.builder()
        .id("20261121T184512.123Z-9f3ac2e1")
        .format("pg-custom")
        .compression(Compression.ZSTD)
        .size(4096)
        .sha256("ab".repeat(32))
        .createdAt(CREATED)
        .consistentAt(CREATED.plusMillis(250))
        .source(new SourceFingerprint("postgresql", "15.10", "shop", "postgresql://app@db/shop"))
        .inventory(new Inventory(List.of(
            new InventoryItem("public", "orders", "table", 3, List.of(new Column("id", "bigint")), List.of("orders_pkey"), Map.of()),
            InventoryItem.of("public", "order_view", "view", -1))))
        .label("env", "prod")
        .property("pg_dump", "15.18")
        .build();
  }

  @Test
  void instantsAreIsoUtcStrings() throws Exception {
    JsonNode json = Json.mapper().readTree(Json.write(full()));
    assertThat(json.get("createdAt").isTextual()).isTrue();
    assertThat(json.get("createdAt").asText()).isEqualTo("2026-11-21T18:45:12.123456Z");
    assertThat(json.get("consistentAt").asText()).isEqualTo("2026-11-21T18:45:12.373456Z");
    assertThat(json.get("compression").asText()).isEqualTo("ZSTD");
    assertThat(json.get("kind").asText()).isEqualTo("ARCHIVE");
    assertThat(json.get("manifestVersion").asInt()).isEqualTo(Manifest.CURRENT_VERSION);
    assertThat(json.get("inventory").get("items").get(0).get("name").asText()).isEqualTo("order_view");
  }

  @Test
  void everyFieldRoundTrips() throws Exception {
    Manifest m = full();
    assertThat(Json.mapper().readValue(Json.write(m), Manifest.class)).isEqualTo(m);
  }

  @Test
  void unknownFieldsAreIgnoredWhenReading() throws Exception {
    String json = Json.write(full()).replaceFirst("\\{", "{\"addedInVersion2\": {\"nested\": [1, 2]}, \"retention\": \"gfs\",")
        .replace("\"name\" : \"orders\"", "\"name\" : \"orders\", \"estimatedBytes\" : 123");
    Manifest read = Json.mapper().readValue(json, Manifest.class);
    assertThat(read).isEqualTo(full());
  }

  @Test
  void noNullsAreWritten() {
    Manifest sparse = Manifest.builder().id("20261121T184512.123Z-9f3ac2e1").format("neon-branch")
        .kind(SnapshotKind.BRANCH).build();
    String json = Json.write(sparse);
    assertThat(json).doesNotContain("null");
    assertThat(json).doesNotContain("sha256").doesNotContain("createdAt").doesNotContain("\"source\"");
    assertThat(Json.write(full())).doesNotContain("null");
  }

  @Test
  void aManifestWrittenByAnOlderMinimalWriterReads() throws Exception {
    String minimal = "{\"id\":\"20261121T184512.123Z-9f3ac2e1\",\"kind\":\"ARCHIVE\",\"format\":\"pg-custom\",\"size\":10,"
        + "\"sha256\":\"00\",\"createdAt\":\"2026-11-21T18:45:12Z\"}";
    Manifest m = Json.mapper().readValue(minimal, Manifest.class);
    assertThat(m.compression()).isEqualTo(Compression.NONE);
    assertThat(m.inventory().items()).isEmpty();
    assertThat(m.labels()).isEmpty();
    assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-11-21T18:45:12Z"));
  }

  @Test
  void otherValueObjectsSerialiseReadably() throws Exception {
    Verification v = new Verification("id-1", "postgresql://app:pw@db/copy",
        List.of(Check.passed("count public.orders", "3 rows"), Check.failed("count public.items", "expected 4, found 3")));
    JsonNode json = Json.mapper().readTree(Json.write(v));
    assertThat(json.get("passed").asBoolean()).isFalse();
    assertThat(json.get("checks")).hasSize(2);
    assertThat(v.toString()).startsWith("FAILED").contains("FAIL  count public.items  expected 4, found 3");

    RestoreResult r = new RestoreResult("id-1", "postgresql://app:pw@db/copy", "pg-custom", List.of("public.orders"),
        Duration.ofMillis(1500), Map.of(), v);
    JsonNode rj = Json.mapper().readTree(Json.write(r));
    assertThat(rj.get("elapsed").asText()).isEqualTo("PT1.5S");
    assertThat(rj.get("destination").asText()).isEqualTo("postgresql://app@db/copy");
  }
}
