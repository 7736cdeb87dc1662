package dev.lifeboat.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One asset of a release, as GitHub reports it.
 *
 * @param id the asset id
 * @param name its file name
 * @param state {@code uploaded}, or {@code starter} for an upload that never completed
 * @param size its size in bytes
 * @param digest GitHub's {@code sha256:HEX} of its bytes, or empty where the server reports none
 * @param updatedAt when it was last changed
 * @param apiUrl its API URL ({@code …/releases/assets/ID}), where its bytes are downloaded
 */
record ReleaseAsset(long id, String name, String state, long size, String digest, Instant updatedAt, String apiUrl) {

  static ReleaseAsset of(JsonNode node) {
    return new ReleaseAsset(node.path("id").asLong(), node.path("name").asText(""), node.path("state").asText("uploaded"),
        node.path("size").asLong(), node.path("digest").asText(""), instant(node.path("updated_at"), node.path("created_at")),
        node.path("url").asText(""));
  }

  boolean uploaded() {
    return state.equals("uploaded");
  }

  /** The SHA-256 GitHub computed, in lower-case hex, or empty. */
  String sha256() {
    return digest.startsWith("sha256:") ? digest.substring("sha256:".length()).toLowerCase(java.util.Locale.ROOT) : "";
  }

  static Instant instant(JsonNode first, JsonNode second) {
    for (JsonNode n : new JsonNode[] {first, second}) {
      if (n.isTextual()) {
        try {
          return Instant.parse(n.asText());
        } catch (java.time.format.DateTimeParseException e) {
          // try the next
        }
      }
    }
    return Instant.EPOCH;
  }
}
