package dev.lifeboat.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON that {@code lifeboat prune --json} prints, with and without {@code --dry-run}. */
class PrunePlanJsonTest {
  private static final Instant NOW = Instant.parse("2026-03-20T00:00:00Z");

  private static PrunePlan twoDays(boolean withDamaged) {
    List<RetentionCandidate> list = new ArrayList<>(List.of(
        RetentionCandidate.of("20260310T020000.000Z-aaaaaaaa", Instant.parse("2026-03-10T02:00:00Z")),
        RetentionCandidate.of("20260309T020000.000Z-bbbbbbbb", Instant.parse("2026-03-09T02:00:00Z"))));
    if (withDamaged) {
      list.add(RetentionCandidate.of("20260308T020000.000Z-cccccccc", Instant.parse("2026-03-08T02:00:00Z"))
          .withDamage("archive missing"));
    }
    return Retention.plan(list, RetentionPolicy.builder().keepLast(1).build(), NOW);
  }

  @Test
  void serialisesAsKeepAndRemoveExactly() throws Exception {
    String json = Json.mapper().writeValueAsString(twoDays(false));

    JsonNode expected = Json.mapper().readTree("""
        {"keep": [{"id": "20260310T020000.000Z-aaaaaaaa", "createdAt": "2026-03-10T02:00:00Z",
                   "reasons": ["last snapshot", "newest snapshot"]}],
         "remove": [{"id": "20260309T020000.000Z-bbbbbbbb", "createdAt": "2026-03-09T02:00:00Z"}]}
        """);
    assertThat(Json.mapper().readTree(json)).isEqualTo(expected);
    // Field order as documented, for people reading it.
    assertThat(json.replaceAll("\\s", "")).isEqualTo(
        "{\"keep\":[{\"id\":\"20260310T020000.000Z-aaaaaaaa\",\"createdAt\":\"2026-03-10T02:00:00Z\","
            + "\"reasons\":[\"lastsnapshot\",\"newestsnapshot\"]}],"
            + "\"remove\":[{\"id\":\"20260309T020000.000Z-bbbbbbbb\",\"createdAt\":\"2026-03-09T02:00:00Z\"}]}");
  }

  @Test
  void damagedSnapshotsAppearOnlyWhenThereAreSome() throws Exception {
    JsonNode tree = Json.mapper().readTree(Json.write(twoDays(true)));
    assertThat(tree.get("damaged")).hasSize(1);
    assertThat(tree.get("damaged").get(0).get("id").asText()).isEqualTo("20260308T020000.000Z-cccccccc");
    assertThat(tree.get("damaged").get(0).get("reason").asText()).isEqualTo("archive missing");
    assertThat(tree.get("remove")).hasSize(1);

    PrunePlan unknownTime = new PrunePlan(List.of(), List.of(), List.of(new PrunePlan.Damaged("x", null, "unreadable")));
    assertThat(Json.mapper().readTree(Json.write(unknownTime)).get("damaged").get(0).has("createdAt")).isFalse();
  }

  @Test
  void readsBackToTheSamePlan() throws Exception {
    PrunePlan plan = twoDays(true);
    assertThat(Json.mapper().readValue(Json.write(plan), PrunePlan.class)).isEqualTo(plan);
    PrunePlan noDamage = twoDays(false);
    assertThat(Json.mapper().readValue(Json.write(noDamage), PrunePlan.class)).isEqualTo(noDamage);
  }
}
