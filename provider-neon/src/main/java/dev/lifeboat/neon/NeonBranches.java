package dev.lifeboat.neon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.neon.api.BranchSpec;
import dev.lifeboat.neon.api.CreatedBranch;
import dev.lifeboat.neon.api.NeonBranch;
import dev.lifeboat.neon.api.NeonEndpoint;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A project's branches: {@code /projects/P/branches}. Lists follow their cursor to the end; every
 * change waits until Neon finished its operations and, where a branch comes back, until the branch
 * is ready.
 */
final class NeonBranches {
  private static final Logger LOG = LoggerFactory.getLogger(NeonBranches.class);
  private static final int PAGE = 100;

  private final NeonTransport transport;
  private final OperationPoller poller;
  private final NeonEndpoints endpoints;

  NeonBranches(NeonTransport transport, OperationPoller poller, NeonEndpoints endpoints) {
    this.transport = transport;
    this.poller = poller;
    this.endpoints = endpoints;
  }

  /**
   * Branches with their annotations, all pages.
   *
   * @param branches the branches
   * @param annotations each branch id's annotation values
   */
  record Listing(List<NeonBranch> branches, Map<String, Map<String, String>> annotations) {}

  /** Every branch of the project. */
  List<NeonBranch> list(String projectId) {
    return search(projectId, null);
  }

  /** Every branch whose name or id contains {@code text}. */
  List<NeonBranch> search(String projectId, String text) {
    return listAnnotated(projectId, text).branches();
  }

  /**
   * Every branch whose name or id contains {@code search} (every branch when it is null or empty),
   * with annotations. Each branch is listed once, even when a misbehaving cursor hands it twice.
   */
  Listing listAnnotated(String projectId, String search) {
    Map<String, NeonBranch> byId = new LinkedHashMap<>();
    Map<String, Map<String, String>> annotations = new LinkedHashMap<>();
    Map<String, String> query = new LinkedHashMap<>();
    if (search != null && !search.isEmpty()) {
      query.put("search", search);
    }
    query.put("limit", Integer.toString(PAGE));
    transport.pages(List.of("projects", projectId, "branches"), query, "branches", "next", false, page -> {
      NeonJson.readList(page.path("branches"), NeonBranch.class).forEach(b -> byId.putIfAbsent(b.id(), b));
      page.path("annotations").fields().forEachRemaining(e -> {
        Map<String, String> values = new LinkedHashMap<>();
        e.getValue().path("value").fields().forEachRemaining(v -> values.put(v.getKey(), v.getValue().asText()));
        annotations.put(e.getKey(), values);
      });
      return true;
    });
    return new Listing(List.copyOf(byId.values()), annotations);
  }

  /** The branch with this id, or empty when Neon does not know it. */
  Optional<NeonBranch> get(String projectId, String branchId) {
    try {
      return Optional.of(NeonJson.read(transport.get(path(projectId, branchId), Map.of()).path("branch"), NeonBranch.class));
    } catch (NeonApiException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The branch with this exact name, or with this id. */
  Optional<NeonBranch> find(String projectId, String nameOrId) {
    if (nameOrId.startsWith("br-") && nameOrId.matches("[a-z0-9-]{1,60}")) {
      Optional<NeonBranch> byId = get(projectId, nameOrId);
      if (byId.isPresent()) {
        return byId;
      }
    }
    return search(projectId, nameOrId).stream().filter(b -> b.name().equals(nameOrId)).findFirst();
  }

  /**
   * Creates a branch and waits until its operations finished and it is ready. The create is safe
   * to resend because the branch is named: when a retried request meets 409 because its first
   * attempt already created the branch, that branch is returned ({@link CreatedBranch#reused()}).
   */
  CreatedBranch create(String projectId, BranchSpec spec) {
    JsonNode answer;
    try {
      answer = transport.send(NeonCall.post(List.of("projects", projectId, "branches"), body(spec), true));
    } catch (NeonApiException e) {
      // Only a lost answer (or a 5xx other than 503) can mean our own earlier attempt created it;
      // after 423/429/503 Neon applied nothing, so the branch is another client's.
      if (e.status() == 409 && e.earlierAttemptUnanswered()) {
        Optional<NeonBranch> mine = find(projectId, spec.name())
            .filter(b -> spec.parentId() == null || spec.parentId().equals(b.parentId()));
        if (mine.isPresent()) {
          LOG.info("Branch {} already exists after a retried create; using it", spec.name());
          NeonBranch ready = awaitReady(projectId, mine.get().id());
          return new CreatedBranch(ready, endpoints.ofBranch(projectId, ready.id()), true);
        }
      }
      throw e;
    }
    NeonBranch created = NeonJson.read(answer.path("branch"), NeonBranch.class);
    poller.awaitOperationsOf(projectId, answer);
    NeonBranch ready = awaitReady(projectId, created.id());
    return new CreatedBranch(ready, NeonJson.readList(answer.path("endpoints"), NeonEndpoint.class), false);
  }

  private static ObjectNode body(BranchSpec spec) {
    ObjectNode body = NeonJson.object();
    ObjectNode branch = body.putObject("branch");
    branch.put("name", spec.name());
    if (spec.parentId() != null) {
      branch.put("parent_id", spec.parentId());
    }
    if (spec.parentTimestamp() != null) {
      branch.put("parent_timestamp", NeonJson.timestamp(spec.parentTimestamp()));
    }
    if (spec.parentLsn() != null) {
      branch.put("parent_lsn", spec.parentLsn());
    }
    if (spec.expiresAt() != null) {
      branch.put("expires_at", NeonJson.timestamp(spec.expiresAt()));
    }
    if (spec.readWriteEndpoint()) {
      body.putArray("endpoints").addObject().put("type", "read_write");
    }
    if (!spec.annotations().isEmpty()) {
      ObjectNode annotations = body.putObject("annotation_value");
      spec.annotations().forEach(annotations::put);
    }
    return body;
  }

  /** Makes the branch the project's default branch. Not safe to resend. */
  NeonBranch setDefault(String projectId, String branchId) {
    JsonNode answer = transport.send(NeonCall.post(List.of("projects", projectId, "branches", branchId, "set_as_default"), null, false));
    poller.awaitOperationsOf(projectId, answer);
    return NeonJson.read(answer.path("branch"), NeonBranch.class);
  }

  /**
   * Deletes a branch and waits for it to go.
   *
   * @return false when Neon says it did not exist (204)
   */
  boolean delete(String projectId, String branchId) {
    JsonNode answer = transport.send(NeonCall.delete(path(projectId, branchId)));
    if (answer.isMissingNode()) {
      return false;
    }
    poller.awaitOperationsOf(projectId, answer);
    return true;
  }

  /**
   * Restores a branch in place from {@code sourceBranchId} (itself for its own history) at a
   * timestamp or LSN (both {@code null}: the source's head), keeping the previous state as a new
   * branch named {@code preserveUnderName}. Not safe to resend. Waits for the operations; returns
   * the branch once ready.
   */
  NeonBranch restore(String projectId, String branchId, String sourceBranchId, Instant sourceTimestamp, String sourceLsn,
      String preserveUnderName) {
    ObjectNode body = NeonJson.object();
    body.put("source_branch_id", sourceBranchId);
    if (sourceTimestamp != null) {
      body.put("source_timestamp", NeonJson.timestamp(sourceTimestamp));
    }
    if (sourceLsn != null) {
      body.put("source_lsn", sourceLsn);
    }
    if (preserveUnderName != null) {
      body.put("preserve_under_name", preserveUnderName);
    }
    JsonNode answer = transport.send(NeonCall.post(List.of("projects", projectId, "branches", branchId, "restore"), body, false));
    poller.awaitOperationsOf(projectId, answer);
    return awaitReady(projectId, branchId);
  }

  private NeonBranch awaitReady(String projectId, String branchId) {
    return poller.awaitReady(projectId, branchId, () -> get(projectId, branchId));
  }

  private static List<String> path(String projectId, String branchId) {
    return List.of("projects", projectId, "branches", branchId);
  }
}
