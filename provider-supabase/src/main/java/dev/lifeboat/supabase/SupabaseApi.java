package dev.lifeboat.supabase;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.spi.ProviderContext;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * The Management API calls the provider makes: project status and health, the pooler config, the
 * list of backups and the PITR window, and the two restores.
 */
final class SupabaseApi {
  private static final String SHARED_HTTP_KEY = "okhttp.client";

  private final SupabaseTransport transport;

  SupabaseApi(SupabaseTransport transport) {
    this.transport = transport;
  }

  static SupabaseApi create(ProviderContext context, SupabaseSettings settings) {
    OkHttpClient http = context.shared(SHARED_HTTP_KEY, OkHttpClient.class, () -> new OkHttpClient.Builder()
        .connectTimeout(10, TimeUnit.SECONDS).readTimeout(60, TimeUnit.SECONDS).writeTimeout(60, TimeUnit.SECONDS)
        .retryOnConnectionFailure(false).build());
    return new SupabaseApi(new SupabaseTransport(settings, http));
  }

  /** A project's status ({@code ACTIVE_HEALTHY}, {@code RESTORING}, ...) and database host and version. */
  record Project(String ref, String status, String dbHost, String dbVersion) {}

  /** One platform backup. */
  record Backup(long id, boolean physical, String status, Instant insertedAt, String insertedAtText) {}

  /** {@code GET …/database/backups}: the backups and, when PITR is on, its window (null ends when unknown). */
  record Backups(String region, boolean walgEnabled, boolean pitrEnabled, List<Backup> backups, Instant earliest, Instant latest) {}

  /** One pooler endpoint of {@code GET …/config/database/pooler}. */
  record Pooler(String databaseType, String host, int port, String user, String database, String poolMode) {}

  Project project(String ref) {
    JsonNode n = transport.get(List.of("v1", "projects", ref), Map.of());
    return new Project(n.path("ref").asText(ref), n.path("status").asText(""), n.path("database").path("host").asText(null),
        n.path("database").path("version").asText(null));
  }

  /** Per-service health of {@code services}: name to status ({@code ACTIVE_HEALTHY}, ...). */
  Map<String, String> health(String ref, List<String> services) {
    JsonNode n = transport.get(List.of("v1", "projects", ref, "health"), Map.of("services", services));
    java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
    n.forEach(s -> out.put(s.path("name").asText(""), s.path("status").asText("")));
    return out;
  }

  List<Pooler> poolers(String ref) {
    JsonNode n = transport.get(List.of("v1", "projects", ref, "config", "database", "pooler"), Map.of());
    List<Pooler> out = new ArrayList<>();
    n.forEach(p -> out.add(new Pooler(p.path("database_type").asText(""), p.path("db_host").asText(""), p.path("db_port").asInt(0),
        p.path("db_user").asText(""), p.path("db_name").asText("postgres"), p.path("pool_mode").asText(""))));
    return out;
  }

  Backups backups(String ref) {
    JsonNode n = transport.get(List.of("v1", "projects", ref, "database", "backups"), Map.of());
    List<Backup> list = new ArrayList<>();
    n.path("backups").forEach(b -> {
      String at = b.path("inserted_at").asText("");
      list.add(new Backup(b.path("id").asLong(), b.path("is_physical_backup").asBoolean(false), b.path("status").asText(""),
          parseInstant(at).orElse(null), at));
    });
    JsonNode window = n.path("physical_backup_data");
    return new Backups(n.path("region").asText(""), n.path("walg_enabled").asBoolean(false), n.path("pitr_enabled").asBoolean(false),
        list, unix(window.path("earliest_physical_backup_date_unix")), unix(window.path("latest_physical_backup_date_unix")));
  }

  /** Starts a point-in-time restore; the target goes as a JSON integer. */
  void restorePitr(String ref, long unixSeconds) {
    transport.post(List.of("v1", "projects", ref, "database", "backups", "restore-pitr"),
        Map.of("recovery_time_target_unix", unixSeconds));
  }

  /** Starts the restore of one physical backup. */
  void restorePhysical(String ref, long backupId) {
    transport.post(List.of("v1", "projects", ref, "database", "backups", "restore"), Map.of("id", backupId));
  }

  private static Instant unix(JsonNode n) {
    return n.isNumber() ? Instant.ofEpochSecond(n.asLong()) : null;
  }

  /** {@code inserted_at} as RFC 3339 or as {@code "2026-02-08 16:44:07"} (UTC); empty when neither. */
  static Optional<Instant> parseInstant(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String t = text.trim();
    try {
      return Optional.of(OffsetDateTime.parse(t.replace(' ', 'T')).toInstant());
    } catch (DateTimeParseException notOffset) {
      try {
        return Optional.of(LocalDateTime.parse(t.replace(' ', 'T'), DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC));
      } catch (DateTimeParseException notLocal) {
        return Optional.empty();
      }
    }
  }
}
