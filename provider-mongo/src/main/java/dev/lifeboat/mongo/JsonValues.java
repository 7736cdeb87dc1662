package dev.lifeboat.mongo;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lifeboat.Json;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/** Converts BSON values into plain Java maps and lists that a manifest can hold. */
final class JsonValues {
  private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

  private JsonValues() {}

  /** A document or array as relaxed Extended JSON, parsed into maps, lists, strings, numbers and booleans. */
  static Object toPlain(BsonValue value) {
    String json;
    if (value.isDocument()) {
      json = value.asDocument().toJson(RELAXED);
    } else if (value.isArray()) {
      BsonDocument wrapper = new BsonDocument("v", (BsonArray) value);
      json = wrapper.toJson(RELAXED);
    } else {
      throw new IllegalArgumentException("Only documents and arrays convert, not " + value.getBsonType());
    }
    try {
      Object parsed = Json.mapper().readValue(json, Object.class);
      return value.isArray() ? ((java.util.Map<?, ?>) parsed).get("v") : parsed;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Relaxed Extended JSON did not parse as JSON", e);
    }
  }
}
