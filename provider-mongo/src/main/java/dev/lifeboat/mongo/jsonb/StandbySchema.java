package dev.lifeboat.mongo.jsonb;

import dev.lifeboat.postgres.PgLocation;
import java.util.Map;

/**
 * The PostgreSQL schema a JSONB standby's tables live in: the destination URI's
 * {@code currentSchema} parameter (its first entry), else the setting {@value #SETTING} (a
 * restore's extra options override the instance's settings), else {@code public}.
 */
final class StandbySchema {
  /** The setting naming the standby's schema. */
  static final String SETTING = "mongo.jsonbSchema";

  private StandbySchema() {}

  static String of(PgLocation destination, Map<String, String> settings, Map<String, String> overrides) {
    String fromUri = destination.params().get("currentSchema");
    if (fromUri != null && !fromUri.split(",")[0].isBlank()) {
      return fromUri.split(",")[0].trim();
    }
    String configured = overrides.getOrDefault(SETTING, settings.get(SETTING));
    return configured == null || configured.isBlank() ? "public" : configured.trim();
  }
}
