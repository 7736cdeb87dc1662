package dev.lifeboat.neon;

import dev.lifeboat.neon.api.NeonEndpoint;
import java.util.List;
import java.util.Map;

/**
 * The computes of a branch: {@code /projects/P/branches/B/endpoints}, and the short-lived
 * read-only computes a drill starts on a backup branch to read it without changing it.
 */
final class NeonEndpoints {
  private final NeonTransport transport;
  private OperationPoller poller;

  NeonEndpoints(NeonTransport transport) {
    this.transport = transport;
  }

  /** The poller that waits for endpoint operations; set once by the client that owns both. */
  void poller(OperationPoller poller) {
    this.poller = poller;
  }

  /**
   * Starts a read-only compute on a branch and waits for its operations. Not safe to resend: a
   * lost answer could leave a second compute, which suspends when idle and is deleted with its branch.
   */
  NeonEndpoint createReadOnly(String projectId, String branchId) {
    com.fasterxml.jackson.databind.node.ObjectNode body = NeonJson.object();
    body.putObject("endpoint").put("branch_id", branchId).put("type", "read_only");
    com.fasterxml.jackson.databind.JsonNode answer = transport.send(NeonCall.post(List.of("projects", projectId, "endpoints"), body, false));
    poller.awaitOperationsOf(projectId, answer);
    return NeonJson.read(answer.path("endpoint"), NeonEndpoint.class);
  }

  /** Deletes a compute and waits for its operations; one already gone is not an error. */
  void delete(String projectId, String endpointId) {
    try {
      com.fasterxml.jackson.databind.JsonNode answer = transport.send(NeonCall.delete(List.of("projects", projectId, "endpoints", endpointId)));
      if (!answer.isMissingNode()) {
        poller.awaitOperationsOf(projectId, answer);
      }
    } catch (NeonApiException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
  }

  /** The endpoints of one branch. */
  List<NeonEndpoint> ofBranch(String projectId, String branchId) {
    return NeonJson.readList(transport.get(List.of("projects", projectId, "branches", branchId, "endpoints"), Map.of()).path("endpoints"),
        NeonEndpoint.class);
  }
}
