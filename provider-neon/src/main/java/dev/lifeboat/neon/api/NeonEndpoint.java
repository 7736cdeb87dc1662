package dev.lifeboat.neon.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A Neon compute endpoint.
 *
 * @param id the endpoint id, {@code ep-…}
 * @param branchId the branch it serves
 * @param host the direct (not pooled) host name
 * @param type {@code read_write} or {@code read_only}
 * @param currentState {@code init}, {@code active}, {@code idle}
 * @param poolerEnabled whether the pooler is on
 * @param disabled whether connections are refused
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NeonEndpoint(
    String id,
    String branchId,
    String host,
    String type,
    String currentState,
    boolean poolerEnabled,
    boolean disabled) {

  /** Whether this is the branch's read-write endpoint. */
  public boolean readWrite() {
    return "read_write".equals(type);
  }
}
