package dev.lifeboat.neon;

import dev.lifeboat.neon.api.NeonOperation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A project's operations: {@code /projects/P/operations}. */
final class NeonOperations {
  private final NeonTransport transport;

  NeonOperations(NeonTransport transport) {
    this.transport = transport;
  }

  /** One operation as Neon reports it now. */
  NeonOperation get(String projectId, String operationId) {
    return NeonJson.read(transport.get(List.of("projects", projectId, "operations", operationId), Map.of()).path("operation"),
        NeonOperation.class);
  }

  /**
   * The project's most recent operations, at most {@code limit} of them (1 to 10000), following
   * {@code pagination.cursor} across pages.
   */
  List<NeonOperation> recent(String projectId, int limit) {
    int wanted = Math.max(1, Math.min(limit, 10_000));
    List<NeonOperation> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("limit", Integer.toString(Math.min(wanted, 1000)));
    transport.pages(List.of("projects", projectId, "operations"), query, "operations", "cursor", true, page -> {
      for (NeonOperation op : NeonJson.readList(page.path("operations"), NeonOperation.class)) {
        if (out.size() < wanted && seen.add(op.id())) {
          out.add(op);
        }
      }
      return out.size() < wanted;
    });
    return out;
  }
}
