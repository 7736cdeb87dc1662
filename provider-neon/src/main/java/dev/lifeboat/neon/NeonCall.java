package dev.lifeboat.neon;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One request to the Neon API.
 *
 * @param method the HTTP method
 * @param segments the path below the API base, one segment each (encoded when sent)
 * @param query query parameters, in order
 * @param body the JSON body, or {@code null}
 * @param safeToResend whether the request may be sent again when Neon may already have applied it
 *     (a lost answer, a 5xx other than 503): GET, DELETE, and a create of a named branch, which a
 *     409 on its retry turns into a reuse of that branch
 */
record NeonCall(String method, List<String> segments, Map<String, String> query, JsonNode body, boolean safeToResend) {

  static NeonCall get(List<String> segments, Map<String, String> query) {
    return new NeonCall("GET", segments, query, null, true);
  }

  static NeonCall delete(List<String> segments) {
    return new NeonCall("DELETE", segments, Map.of(), null, true);
  }

  static NeonCall post(List<String> segments, JsonNode body, boolean safeToResend) {
    return new NeonCall("POST", segments, Map.of(), body, safeToResend);
  }

  /** The path as messages show it: {@code /projects/P/branches}. */
  String path() {
    return "/" + String.join("/", segments);
  }

  /** Whether the call only reads, so a failure cannot have changed anything. */
  boolean read() {
    return method.equals("GET");
  }
}
