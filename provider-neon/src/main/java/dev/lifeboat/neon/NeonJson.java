package dev.lifeboat.neon;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The Neon API's JSON: snake_case fields, ISO-8601 instants, unknown fields ignored (Neon adds
 * fields without notice). A body that cannot be read is a {@code REMOTE_API} error whose text is
 * made safe by {@link ServerText}.
 */
final class NeonJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  private NeonJson() {}

  /** A new, empty request body. */
  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** What an answer without a body reads as. */
  static JsonNode missing() {
    return MAPPER.missingNode();
  }

  /** A successful answer's body; text that is not JSON (a proxy's page) is a {@code REMOTE_API} error. */
  static JsonNode parse(String text, NeonCall call) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new LifeboatException(ErrorCode.REMOTE_API,
          "Neon API " + call.method() + " " + call.path() + " answered with text that is not JSON: "
              + ServerText.oneLine(e.getOriginalMessage(), ServerText.MAX_MESSAGE)
              + ". A proxy between Lifeboat and Neon may have answered; check neon.apiUrl / NEON_API_URL.");
    }
  }

  /** An error answer's body, or a missing node when it is not JSON. */
  static JsonNode parseQuietly(String text) {
    try {
      JsonNode n = MAPPER.readTree(text);
      return n == null ? missing() : n;
    } catch (JsonProcessingException e) {
      return missing();
    }
  }

  /** The object at {@code node} as {@code type}; a missing one is a {@code REMOTE_API} error. */
  static <T> T read(JsonNode node, Class<T> type) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      throw new LifeboatException(ErrorCode.REMOTE_API, "Neon's answer lacks the expected " + type.getSimpleName() + " object.");
    }
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new LifeboatException(ErrorCode.REMOTE_API,
          "Cannot read Neon's " + type.getSimpleName() + ": " + ServerText.oneLine(e.getOriginalMessage(), ServerText.MAX_MESSAGE) + ".");
    }
  }

  /** Every element of the array at {@code node} as {@code type}; none when it is absent. */
  static <T> List<T> readList(JsonNode node, Class<T> type) {
    List<T> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(n -> out.add(read(n, type)));
    }
    return out;
  }

  static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 3339 UTC with second precision, as Neon wants for {@code expires_at}. */
  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
