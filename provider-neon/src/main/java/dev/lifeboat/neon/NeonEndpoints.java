package dev.lifeboat.neon;

import dev.lifeboat.neon.api.NeonEndpoint;
import java.util.List;
import java.util.Map;

/** The computes of a branch: {@code /projects/P/branches/B/endpoints}. */
final class NeonEndpoints {
  private final NeonTransport transport;

  NeonEndpoints(NeonTransport transport) {
    this.transport = transport;
  }

  /** The endpoints of one branch. */
  List<NeonEndpoint> ofBranch(String projectId, String branchId) {
    return NeonJson.readList(transport.get(List.of("projects", projectId, "branches", branchId, "endpoints"), Map.of()).path("endpoints"),
        NeonEndpoint.class);
  }
}
