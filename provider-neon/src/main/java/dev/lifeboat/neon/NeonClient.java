package dev.lifeboat.neon;

import dev.lifeboat.spi.ProviderContext;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * The Neon API v2 as the provider uses it: one {@link NeonTransport} (HTTP, key, retries, error
 * mapping, JSON) shared by the resources of the API, each of which waits for what it started
 * through one {@link OperationPoller}.
 *
 * <pre>{@code
 * NeonClient neon = NeonClient.create(context);
 * NeonBranch main = neon.branches().find(projectId, "main").orElseThrow();
 * Location uri = neon.connections().directUri(projectId, main.id(), "neondb", "neondb_owner");
 * }</pre>
 *
 * <p>Thread-safe.
 */
final class NeonClient {
  private static final String SHARED_HTTP_KEY = "okhttp.client";

  private final NeonSettings settings;
  private final NeonProjects projects;
  private final NeonBranches branches;
  private final NeonEndpoints endpoints;
  private final NeonConnections connections;
  private final NeonOperations operations;

  /** A client on {@code shared}'s connection pool and threads. */
  NeonClient(NeonSettings settings, OkHttpClient shared) {
    this.settings = Objects.requireNonNull(settings, "settings");
    NeonTransport transport = new NeonTransport(settings, shared);
    this.projects = new NeonProjects(transport);
    this.endpoints = new NeonEndpoints(transport);
    this.connections = new NeonConnections(transport, endpoints);
    this.operations = new NeonOperations(transport);
    OperationPoller poller = new OperationPoller(operations, settings);
    this.endpoints.poller(poller);
    this.branches = new NeonBranches(transport, poller, endpoints);
  }

  /** A client configured from the context, on the instance's shared {@link OkHttpClient}. */
  static NeonClient create(ProviderContext context) {
    return new NeonClient(NeonSettings.from(context), sharedHttp(context));
  }

  /** The OkHttp client every provider of one Lifeboat instance shares. */
  private static OkHttpClient sharedHttp(ProviderContext context) {
    return context.shared(SHARED_HTTP_KEY, OkHttpClient.class, () -> new OkHttpClient.Builder()
        .connectTimeout(10, TimeUnit.SECONDS)
        .readTimeout(60, TimeUnit.SECONDS)
        .writeTimeout(60, TimeUnit.SECONDS)
        .retryOnConnectionFailure(false)
        .build());
  }

  /** The settings this client uses. */
  NeonSettings settings() {
    return settings;
  }

  NeonProjects projects() {
    return projects;
  }

  NeonBranches branches() {
    return branches;
  }

  NeonEndpoints endpoints() {
    return endpoints;
  }

  NeonConnections connections() {
    return connections;
  }

  NeonOperations operations() {
    return operations;
  }

  /** A duration as Lifeboat's Neon messages show it: {@code 900 ms}, {@code 90 s}, {@code 15 min}, {@code 6 h}. */
  static String human(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + " ms";
    }
    if (d.toSeconds() < 120) {
      return d.toSeconds() + " s";
    }
    if (d.toMinutes() < 120) {
      return d.toMinutes() + " min";
    }
    return d.toHours() + " h";
  }
}
