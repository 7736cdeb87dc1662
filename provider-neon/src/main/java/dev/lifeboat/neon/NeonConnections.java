package dev.lifeboat.neon;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.neon.api.NeonDatabase;
import dev.lifeboat.neon.api.NeonEndpoint;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to connect to a branch's database: its databases, and a direct (not pooled) connection URI
 * for a database and role. A URI holds the role's password (registered as a secret as it arrives):
 * use it to connect, never log it.
 */
final class NeonConnections {
  private final NeonTransport transport;
  private final NeonEndpoints endpoints;

  NeonConnections(NeonTransport transport, NeonEndpoints endpoints) {
    this.transport = transport;
    this.endpoints = endpoints;
  }

  /** The databases of a branch. */
  List<NeonDatabase> databases(String projectId, String branchId) {
    return NeonJson.readList(transport.get(List.of("projects", projectId, "branches", branchId, "databases"), Map.of()).path("databases"),
        NeonDatabase.class);
  }

  /** The direct connection URI of the branch's read-write endpoint, as Neon builds it. */
  Location directUri(String projectId, String branchId, String database, String role) {
    return directUri(projectId, branchId, null, database, role);
  }

  /** The direct connection URI of one endpoint of the branch ({@code null}: its read-write endpoint). */
  Location directUri(String projectId, String branchId, String endpointId, String database, String role) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("branch_id", branchId);
    if (endpointId != null) {
      query.put("endpoint_id", endpointId);
    }
    query.put("database_name", database);
    query.put("role_name", role);
    query.put("pooled", "false");
    String uri = transport.get(List.of("projects", projectId, "connection_uri"), query).path("uri").asText("");
    if (uri.isEmpty()) {
      throw new LifeboatException(ErrorCode.REMOTE_API,
          "Neon returned no connection URI for branch " + branchId + " of project " + projectId + ". Check that the branch has a read-write compute.");
    }
    // pg_dump and pg_restore need the direct host: a session through the pooler (PgBouncer in
    // transaction mode) cannot hold their session state. Drop a -pooler host whatever Neon sent.
    return Location.parse(uri.replaceFirst("(@[^/:?]*?)-pooler\\.", "$1."));
  }

  /**
   * A direct connection URI built from the branch's read-write endpoint host and the role's
   * revealed password, for projects where {@link #directUri} is not available.
   */
  Location directUriFromParts(String projectId, String branchId, String database, String role) {
    NeonEndpoint endpoint = endpoints.ofBranch(projectId, branchId).stream().filter(NeonEndpoint::readWrite).findFirst()
        .orElseThrow(() -> new LifeboatException(ErrorCode.CONFIGURATION,
            "Branch " + branchId + " of Neon project " + projectId + " has no read-write compute to connect to. Add one in the Neon console."));
    String password = transport.get(List.of("projects", projectId, "branches", branchId, "roles", role, "reveal_password"), Map.of())
        .path("password").asText("");
    return Location.parse("postgresql://" + encode(role) + ":" + encode(password) + "@" + endpoint.host().replaceFirst("-pooler\\.", ".")
        + "/" + encode(database) + "?sslmode=require");
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
