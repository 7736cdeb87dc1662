package dev.lifeboat.neon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A small in-memory Neon project behind WireMock: branches, endpoints, databases, roles,
 * operations and connection URIs, answering with bodies shaped like the v2 spec's schemas. Tests
 * that need a particular answer put a higher-priority stub in front of it. A {@link Backing} lets
 * end-to-end tests back each branch with a real database.
 *
 * <p>The one Neon stub of the build: provider-neon's tests use it directly, the CLI's and the JUnit
 * extension's tests through this module's test jar (hence public). Register it as a WireMock
 * extension and route {@code /api/v2/.*} to the transformer {@link #NAME}; check the exchanges with
 * {@link NeonSpecCheck#problems}.
 */
public final class FakeNeon implements ResponseDefinitionTransformerV2 {
  /** The transformer name to route requests to with {@code aResponse().withTransformers(NAME)}. */
  public static final String NAME = "fake-neon";
  /** The path of the API below the server's base URL: {@code neon.apiUrl} is the base URL plus this. */
  public static final String BASE = "/api/v2";
  private static final ObjectMapper M = new ObjectMapper();
  /** The fixed instant of {@link #FakeNeon(String)}, for tests that run the provider on a fixed clock. */
  private static final Instant FIXED_NOW = Instant.parse("2026-03-01T12:00:00Z");

  final String projectId;
  /** The project's history_retention_seconds (its PITR window). */
  public volatile int historySeconds = 86400;
  /** The owner's branches_limit: creating a branch beyond it answers 422 BRANCHES_LIMIT_EXCEEDED. */
  public volatile int branchesLimit = 10;
  volatile long branchSizeLimitBytes = 10800000000L;
  /** How many polls an operation stays "running" (0: operations are finished when they are started). */
  public volatile int operationPolls = 1;
  /** The password of every role, as reveal_password, connection URIs and connection_uris tell it. */
  public volatile String rolePassword = "s3cret-pw";
  /** The most items one list page holds, whatever limit was asked for (0: no cap), as a proxy or a smaller server cap would. */
  volatile int pageCap;
  /** Whether a create with a compute answers with connection_uris (Neon sends them when the parent has one role and database). */
  volatile boolean connectionUrisOnCreate;
  /*
   * The four hooks below are what backedBy wires a Backing to. They stay separate so that a
   * provider test can wrap one of them (a copy that loses rows, a compute that does not answer)
   * without re-implementing the others.
   */
  /** Builds the connection URI of a branch's database for a role. */
  volatile ConnectionUris uris = this::defaultUri;
  /** Called with (new branch, parent or source branch) after a branch gets data. */
  volatile BiConsumer<ObjectNode, ObjectNode> onBranchData = (b, p) -> { };
  /** Called with a branch after it was deleted. */
  volatile java.util.function.Consumer<ObjectNode> onDelete = b -> { };
  /** Called with (target, preserved copy) before an in-place restore replaces the target's data. */
  volatile BiConsumer<ObjectNode, ObjectNode> onPreserve = (t, p) -> { };

  private final Map<String, ObjectNode> branches = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> annotations = new LinkedHashMap<>();
  private final Map<String, List<String>> endpoints = new LinkedHashMap<>();
  /** Read-only computes started with POST /endpoints, and every one ever started (for tests to look back). */
  private final java.util.Set<String> readOnly = new java.util.HashSet<>();
  final List<String> readOnlyStarted = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<String, ObjectNode> operations = new LinkedHashMap<>();
  private final Map<String, AtomicInteger> polls = new LinkedHashMap<>();
  /** The body of every branch create request since the last reset, in order, refused ones too. */
  private final List<JsonNode> creates = new ArrayList<>();
  private final AtomicInteger seq = new AtomicInteger();
  /** The fake's present: timestamps of what it creates are at or just after it. */
  public final Instant now;

  interface ConnectionUris {
    String uri(String branchId, String database, String role);
  }

  /**
   * Where the branches' data lives, typically one database per branch on a real PostgreSQL. The
   * fake calls it as the API changes branches; branch ids are the fake's own ({@code br-…}).
   */
  public interface Backing {
    /**
     * The connection URI of a branch's database, as GET /connection_uri answers it.
     *
     * @param database the database name asked for (Neon's is {@code neondb})
     * @param role the role name asked for ({@code neondb_owner})
     * @param password the fake's {@link FakeNeon#rolePassword}, which the URI should carry as Neon's do
     */
    String uri(String branchId, String database, String role, String password);

    /**
     * Branch {@code branchId} now holds a copy of {@code sourceId}'s data, replacing any it had: a
     * new branch got its parent's, or a restore gave the target its source's.
     */
    void copied(String branchId, String sourceId);

    /** Branch {@code branchId} was deleted, and its data with it. */
    void deleted(String branchId);

    /**
     * An in-place restore of {@code targetId} keeps the target's data so far as the new branch
     * {@code preservedId}; called before {@link #copied} replaces the target's. By default nothing
     * is kept, for backings whose tests never restore in place.
     */
    default void preserved(String targetId, String preservedId) {
    }
  }

  /** A project whose present is a fixed instant (2026-03-01T12:00:00Z), with one branch: main. */
  public FakeNeon(String projectId) {
    this(projectId, FIXED_NOW);
  }

  /**
   * A project whose present is {@code now} (tests that run the provider on the real clock pass
   * {@code Instant.now()}), with one branch: main, {@code br-main-000001}, with a read-write compute.
   */
  public FakeNeon(String projectId, Instant now) {
    this.projectId = projectId;
    this.now = now;
    reset();
  }

  /**
   * Wires every branch's data to {@code backing}: connection URIs, branch creation, deletion and
   * restore. A later {@link #reset} unwires it.
   */
  public synchronized void backedBy(Backing backing) {
    uris = (branchId, database, role) -> backing.uri(branchId, database, role, rolePassword);
    onBranchData = (branch, source) -> backing.copied(branch.path("id").asText(), source.path("id").asText());
    onDelete = branch -> backing.deleted(branch.path("id").asText());
    onPreserve = (target, kept) -> backing.preserved(target.path("id").asText(), kept.path("id").asText());
  }

  /** Back to the state of a new project: only main, the default settings, no backing, no requests recorded. */
  public synchronized void reset() {
    historySeconds = 86400;
    branchesLimit = 10;
    branchSizeLimitBytes = 10800000000L;
    operationPolls = 1;
    rolePassword = "s3cret-pw";
    uris = this::defaultUri;
    pageCap = 0;
    connectionUrisOnCreate = false;
    onBranchData = (b, p) -> { };
    onDelete = b -> { };
    onPreserve = (t, p) -> { };
    branches.clear();
    annotations.clear();
    endpoints.clear();
    readOnly.clear();
    readOnlyStarted.clear();
    operations.clear();
    polls.clear();
    creates.clear();
    ObjectNode main = branch("br-main-000001", "main", null, now.minus(30, ChronoUnit.DAYS));
    main.put("default", true);
    main.put("primary", true);
    endpoints.put("br-main-000001", new ArrayList<>(List.of("ep-main-000001")));
  }

  private String defaultUri(String branchId, String db, String role) {
    return "postgresql://" + role + ":" + rolePassword + "@ep-" + branchId.substring(3) + ".eu-central-1.aws.neon.tech/" + db
        + "?sslmode=require";
  }

  /**
   * Adds a ready branch directly (no operation, no compute, no data in a backing), for arranging a
   * test; the caller may change the returned branch in place.
   *
   * @param parentId null for a root branch
   */
  public synchronized ObjectNode branch(String id, String name, String parentId, Instant createdAt) {
    ObjectNode b = M.createObjectNode();
    b.put("id", id);
    b.put("project_id", projectId);
    if (parentId != null) {
      b.put("parent_id", parentId);
      b.put("parent_lsn", "0/1E19478");
      b.put("parent_timestamp", ts(createdAt));
    }
    b.put("name", name);
    b.put("current_state", "ready");
    b.put("state_changed_at", ts(createdAt));
    b.put("logical_size", 30408704);
    b.put("creation_source", "console");
    b.put("default", false);
    b.put("protected", false);
    b.put("cpu_used_sec", 0);
    b.put("compute_time_seconds", 0);
    b.put("active_time_seconds", 0);
    b.put("written_data_bytes", 0);
    b.put("data_transfer_bytes", 0);
    b.put("created_at", ts(createdAt));
    b.put("updated_at", ts(createdAt));
    b.put("init_source", "parent-data");
    branches.put(id, b);
    return b;
  }

  synchronized void addEndpoint(String branchId) {
    endpoints.put(branchId, new ArrayList<>(List.of("ep-" + branchId.substring(3))));
  }

  synchronized ObjectNode get(String id) {
    return branches.get(id);
  }

  /** The branch named {@code name}, as the API shows it, or null. */
  public synchronized ObjectNode byName(String name) {
    return branches.values().stream().filter(b -> b.path("name").asText().equals(name)).findFirst().orElse(null);
  }

  /** The names of every branch, in order of creation. */
  public synchronized List<String> names() {
    return branches.values().stream().map(b -> b.path("name").asText()).toList();
  }

  /** The annotation values of a branch (empty if it has none). */
  public synchronized Map<String, String> annotationsOf(String branchId) {
    return annotations.getOrDefault(branchId, Map.of());
  }

  /** The body of every branch create request since the last {@link #reset}, in order, refused ones too. */
  public synchronized List<JsonNode> creates() {
    return List.copyOf(creates);
  }

  synchronized boolean hasEndpoint(String branchId) {
    return !endpoints.getOrDefault(branchId, List.of()).isEmpty();
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public boolean applyGlobally() {
    return false;
  }

  @Override
  public synchronized ResponseDefinition transform(ServeEvent event) {
    Request req = event.getRequest();
    String url = req.getUrl();
    String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
    if (!path.startsWith(BASE + "/projects/" + projectId)) {
      return error(404, "", "project not found");
    }
    String[] p = path.substring((BASE + "/projects/" + projectId).length()).split("/");
    // p[0] is "" ; p[1] = "branches" | "operations" | "connection_uri" | "endpoints"
    String method = req.getMethod().getName();
    try {
      if (p.length == 1 && method.equals("GET")) {
        return ok(200, M.createObjectNode().set("project", project()));
      }
      switch (p[1]) {
        case "branches":
          if (p.length == 2) {
            return method.equals("GET") ? listBranches(req) : createBranch(req);
          }
          ObjectNode b = branches.get(p[2]);
          if (p.length == 3) {
            if (method.equals("DELETE")) {
              return deleteBranch(p[2]);
            }
            if (b == null) {
              return error(404, "", "branch not found");
            }
            if (method.equals("GET")) {
              ObjectNode r = M.createObjectNode();
              r.set("branch", b);
              r.set("annotation", annotation(p[2]));
              return ok(200, r);
            }
            return updateBranch(b, body(req));
          }
          if (b == null) {
            return error(404, "", "branch not found");
          }
          switch (p[3]) {
            case "endpoints": return ok(200, M.createObjectNode().set("endpoints", endpointsOf(p[2])));
            case "databases": return ok(200, M.createObjectNode().set("databases", databases(p[2])));
            case "roles":
              if (p.length == 6 && p[5].equals("reveal_password")) {
                return ok(200, M.createObjectNode().put("password", rolePassword));
              }
              return ok(200, M.createObjectNode().set("roles", roles(p[2])));
            case "restore": return restore(b, body(req));
            case "set_as_default": return setDefault(b);
            default: return error(404, "", "unknown path");
          }
        case "operations": {
          if (p.length == 2) {
            return listOperations(req);
          }
          ObjectNode op = operations.get(p[2]);
          if (op == null) {
            return error(404, "", "operation not found");
          }
          if (polls.get(p[2]).decrementAndGet() < 0 && op.path("status").asText().equals("running")) {
            op.put("status", "finished");
            op.put("updated_at", ts(now));
          }
          return ok(200, M.createObjectNode().set("operation", op));
        }
        case "connection_uri": {
          String branchId = query(req, "branch_id");
          if (!hasEndpoint(branchId)) {
            return error(400, "", "branch has no read-write endpoint");
          }
          return ok(200, M.createObjectNode().put("uri", uris.uri(branchId, query(req, "database_name"), query(req, "role_name"))));
        }
        case "endpoints": {
          if (p.length == 2 && method.equals("POST")) {
            return createEndpoint(body(req));
          }
          if (p.length == 3 && method.equals("DELETE")) {
            return deleteEndpoint(p[2]);
          }
          ArrayNode all = M.createArrayNode();
          endpoints.keySet().forEach(id -> all.addAll(endpointsOf(id)));
          return ok(200, M.createObjectNode().set("endpoints", all));
        }
        default:
          return error(404, "", "unknown path");
      }
    } catch (RuntimeException e) {
      return error(500, "", "fake failure: " + e);
    }
  }

  private ObjectNode project() {
    ObjectNode pr = M.createObjectNode();
    pr.put("id", projectId);
    pr.put("platform_id", "aws");
    pr.put("region_id", "aws-eu-central-1");
    pr.put("name", "shop");
    pr.put("provisioner", "k8s-neonvm");
    pr.put("pg_version", 17);
    pr.put("proxy_host", "eu-central-1.aws.neon.tech");
    pr.put("branch_logical_size_limit", 0);
    pr.put("branch_logical_size_limit_bytes", branchSizeLimitBytes);
    pr.put("store_passwords", true);
    pr.put("active_time_seconds", 100);
    pr.put("compute_time_seconds", 100);
    pr.put("written_data_bytes", 100);
    pr.put("data_transfer_bytes", 100);
    pr.put("data_storage_bytes_hour", 100);
    pr.put("cpu_used_sec", 10);
    pr.put("creation_source", "console");
    pr.put("history_retention_seconds", historySeconds);
    pr.put("created_at", "2025-01-02T10:00:00Z");
    pr.put("updated_at", "2026-02-01T10:00:00Z");
    pr.put("consumption_period_start", "2026-02-01T00:00:00Z");
    pr.put("consumption_period_end", "2026-03-01T00:00:00Z");
    pr.put("owner_id", "1232111");
    ObjectNode owner = pr.putObject("owner");
    owner.put("email", "ops@example.com");
    owner.put("name", "Ops");
    owner.put("branches_limit", branchesLimit);
    owner.put("subscription_type", "launch");
    pr.putObject("settings").put("enable_logical_replication", false);
    return pr;
  }

  private ResponseDefinition listBranches(Request req) {
    String search = query(req, "search");
    int limit = query(req, "limit") == null ? 10000 : Integer.parseInt(query(req, "limit"));
    if (pageCap > 0) {
      limit = Math.min(limit, pageCap);
    }
    int from = query(req, "cursor") == null ? 0 : Integer.parseInt(query(req, "cursor"));
    List<ObjectNode> matching = branches.values().stream()
        .filter(b -> search == null || b.path("name").asText().contains(search) || b.path("id").asText().contains(search)).toList();
    ArrayNode page = M.createArrayNode();
    ObjectNode ann = M.createObjectNode();
    for (int i = from; i < Math.min(matching.size(), from + limit); i++) {
      page.add(matching.get(i));
      String id = matching.get(i).path("id").asText();
      if (annotations.containsKey(id)) {
        ann.set(id, annotation(id));
      }
    }
    ObjectNode r = M.createObjectNode();
    r.set("branches", page);
    r.set("annotations", ann);
    ObjectNode pag = r.putObject("pagination");
    if (from + limit < matching.size()) {
      pag.put("next", Integer.toString(from + limit));
    }
    pag.put("sort_by", "updated_at");
    pag.put("sort_order", "desc");
    return ok(200, r);
  }

  /**
   * Newest first, {@code limit} (capped by {@link #pageCap}) per page. Like Neon's keyset cursor,
   * {@code pagination.cursor} is present on every page, the last (empty) one too.
   */
  private ResponseDefinition listOperations(Request req) {
    int limit = query(req, "limit") == null ? 10 : Integer.parseInt(query(req, "limit"));
    if (pageCap > 0) {
      limit = Math.min(limit, pageCap);
    }
    int from = query(req, "cursor") == null ? 0 : Integer.parseInt(query(req, "cursor"));
    List<ObjectNode> newestFirst = new ArrayList<>(operations.values());
    java.util.Collections.reverse(newestFirst);
    ArrayNode page = M.createArrayNode();
    for (int i = from; i < Math.min(newestFirst.size(), from + limit); i++) {
      page.add(newestFirst.get(i));
    }
    ObjectNode r = M.createObjectNode();
    r.set("operations", page);
    r.putObject("pagination").put("cursor", Integer.toString(page.isEmpty() ? Math.max(from, 1) : from + page.size()));
    return ok(200, r);
  }

  private ResponseDefinition createBranch(Request req) {
    JsonNode body = body(req);
    creates.add(body);
    JsonNode spec = body.path("branch");
    String name = spec.path("name").asText("br-" + seq.get());
    if (byName(name) != null) {
      return error(409, "", "branch with name \"" + name + "\" already exists");
    }
    if (branches.size() >= branchesLimit) {
      return error(422, "BRANCHES_LIMIT_EXCEEDED", "number of branches exceeds the limit of " + branchesLimit);
    }
    String parentId = spec.path("parent_id").asText(defaultId());
    ObjectNode parent = branches.get(parentId);
    if (parent == null) {
      return error(404, "", "parent branch not found");
    }
    String id = "br-" + String.format("%s-%06d", "fake-branch", seq.incrementAndGet());
    Instant created = now.plusSeconds(seq.get());
    ObjectNode b = branch(id, name, parentId, created);
    b.put("creation_source", "console");
    if (spec.hasNonNull("parent_timestamp")) {
      b.put("parent_timestamp", spec.get("parent_timestamp").asText());
    }
    if (spec.hasNonNull("expires_at")) {
      b.put("expires_at", spec.get("expires_at").asText());
    }
    b.put("current_state", "init");
    b.put("pending_state", "ready");
    if (body.path("annotation_value").isObject()) {
      Map<String, String> values = new LinkedHashMap<>();
      body.path("annotation_value").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
      annotations.put(id, values);
    }
    ArrayNode ops = M.createArrayNode();
    ops.add(operation(id, null, "create_timeline"));
    ArrayNode eps = M.createArrayNode();
    if (body.path("endpoints").isArray() && body.path("endpoints").size() > 0) {
      String ep = "ep-" + id.substring(3);
      endpoints.put(id, new ArrayList<>(List.of(ep)));
      eps = endpointsOf(id);
      ops.add(operation(id, ep, "start_compute"));
    }
    onBranchData.accept(b, parent);
    ObjectNode r = M.createObjectNode();
    r.set("branch", b.deepCopy());
    // The branch is ready once its operations are polled; the copy above still says "init".
    b.put("current_state", "ready");
    b.remove("pending_state");
    r.set("endpoints", eps);
    r.set("operations", ops);
    r.set("roles", roles(id));
    r.set("databases", databases(id));
    if (connectionUrisOnCreate && eps.size() > 0) {
      String uri = uris.uri(id, "neondb", "neondb_owner");
      ObjectNode details = r.putArray("connection_uris").addObject();
      details.put("connection_uri", uri);
      ObjectNode params = details.putObject("connection_parameters");
      params.put("database", "neondb");
      params.put("password", rolePassword);
      params.put("role", "neondb_owner");
      params.put("host", "ep-" + id.substring(3) + ".eu-central-1.aws.neon.tech");
      params.put("pooler_host", "ep-" + id.substring(3) + "-pooler.eu-central-1.aws.neon.tech");
    }
    return ok(201, r);
  }

  private ResponseDefinition deleteBranch(String id) {
    ObjectNode b = branches.get(id);
    if (b == null) {
      return new ResponseDefinition(204, "");
    }
    if (b.path("default").asBoolean()) {
      return error(422, "", "cannot delete the default branch");
    }
    if (branches.values().stream().anyMatch(x -> id.equals(x.path("parent_id").asText(null)))) {
      return error(422, "", "branch has children");
    }
    branches.remove(id);
    endpoints.remove(id);
    onDelete.accept(b);
    ObjectNode r = M.createObjectNode();
    r.set("branch", b);
    r.set("operations", M.createArrayNode().add(operation(id, null, "delete_timeline")));
    return ok(200, r);
  }

  private ResponseDefinition updateBranch(ObjectNode b, JsonNode body) {
    JsonNode spec = body.path("branch");
    if (spec.has("name")) {
      b.put("name", spec.get("name").asText());
    }
    if (spec.has("protected")) {
      b.put("protected", spec.get("protected").asBoolean());
    }
    if (spec.has("expires_at")) {
      if (spec.get("expires_at").isNull()) {
        b.remove("expires_at");
      } else {
        b.put("expires_at", spec.get("expires_at").asText());
      }
    }
    b.put("updated_at", ts(now));
    ObjectNode r = M.createObjectNode();
    r.set("branch", b);
    r.set("operations", M.createArrayNode());
    return ok(200, r);
  }

  private ResponseDefinition setDefault(ObjectNode b) {
    branches.values().forEach(x -> x.put("default", false));
    b.put("default", true);
    ObjectNode r = M.createObjectNode();
    r.set("branch", b);
    r.set("operations", M.createArrayNode().add(operation(b.path("id").asText(), null, "apply_config")));
    return ok(200, r);
  }

  private ResponseDefinition restore(ObjectNode target, JsonNode body) {
    String targetId = target.path("id").asText();
    String sourceId = body.path("source_branch_id").asText();
    ObjectNode source = branches.get(sourceId);
    if (source == null) {
      return error(404, "", "source branch not found");
    }
    String preserve = body.path("preserve_under_name").asText(null);
    if (sourceId.equals(targetId) && (preserve == null || !body.has("source_timestamp") && !body.has("source_lsn"))) {
      return error(400, "", "restoring to own history needs a timestamp or LSN and preserve_under_name");
    }
    ArrayNode ops = M.createArrayNode();
    if (preserve != null) {
      String id = "br-" + String.format("%s-%06d", "preserved", seq.incrementAndGet());
      ObjectNode kept = branch(id, preserve, target.path("parent_id").asText(null), Instant.parse(target.path("created_at").asText()));
      onPreserve.accept(target, kept);
      target.put("parent_id", id);
    }
    target.put("last_reset_at", ts(now));
    if (body.has("source_timestamp")) {
      target.put("parent_timestamp", body.get("source_timestamp").asText());
    }
    onBranchData.accept(target, source);
    ops.add(operation(targetId, null, "create_timeline"));
    ObjectNode r = M.createObjectNode();
    r.set("branch", target);
    r.set("operations", ops);
    return ok(200, r);
  }

  private ObjectNode operation(String branchId, String endpointId, String action) {
    ObjectNode op = M.createObjectNode();
    String id = UUID.randomUUID().toString();
    op.put("id", id);
    op.put("project_id", projectId);
    op.put("branch_id", branchId);
    if (endpointId != null) {
      op.put("endpoint_id", endpointId);
    }
    op.put("action", action);
    op.put("status", operationPolls > 0 ? "running" : "finished");
    op.put("failures_count", 0);
    op.put("created_at", ts(now));
    op.put("updated_at", ts(now));
    op.put("total_duration_ms", 120);
    operations.put(id, op);
    polls.put(id, new AtomicInteger(operationPolls - 1));
    return op.deepCopy();
  }

  /** A read-only compute on a branch, as {@code neonctl branches add-compute} starts one. */
  private ResponseDefinition createEndpoint(JsonNode body) {
    String branchId = body.path("endpoint").path("branch_id").asText();
    if (!branches.containsKey(branchId)) {
      return error(404, "", "branch not found");
    }
    if (!"read_only".equals(body.path("endpoint").path("type").asText())) {
      return error(400, "", "this fake starts read_only computes only");
    }
    String ep = "ep-ro-" + String.format("%06d", seq.incrementAndGet());
    endpoints.computeIfAbsent(branchId, k -> new ArrayList<>()).add(ep);
    readOnly.add(ep);
    readOnlyStarted.add(ep);
    ObjectNode r = M.createObjectNode();
    r.set("endpoint", endpoint(ep, branchId));
    r.set("operations", M.createArrayNode().add(operation(branchId, ep, "start_compute")));
    return ok(201, r);
  }

  private ResponseDefinition deleteEndpoint(String ep) {
    for (Map.Entry<String, List<String>> e : endpoints.entrySet()) {
      if (e.getValue().remove(ep)) {
        ObjectNode r = M.createObjectNode();
        r.set("endpoint", endpoint(ep, e.getKey()));
        r.set("operations", M.createArrayNode().add(operation(e.getKey(), ep, "suspend_compute")));
        readOnly.remove(ep);
        return ok(200, r);
      }
    }
    return new ResponseDefinition(204, "");
  }

  /** The read-only computes running now. */
  synchronized java.util.Set<String> readOnlyRunning() {
    return java.util.Set.copyOf(readOnly);
  }

  private ArrayNode endpointsOf(String branchId) {
    ArrayNode a = M.createArrayNode();
    for (String ep : endpoints.getOrDefault(branchId, List.of())) {
      a.add(endpoint(ep, branchId));
    }
    return a;
  }

  ObjectNode endpoint(String ep, String branchId) {
    ObjectNode e = M.createObjectNode();
    e.put("host", ep + ".eu-central-1.aws.neon.tech");
    e.put("id", ep);
    e.put("project_id", projectId);
    e.put("branch_id", branchId);
    e.put("autoscaling_limit_min_cu", 0.25);
    e.put("autoscaling_limit_max_cu", 1);
    e.put("region_id", "aws-eu-central-1");
    e.put("type", readOnly.contains(ep) ? "read_only" : "read_write");
    e.put("current_state", "idle");
    e.putObject("settings");
    e.put("pooler_enabled", false);
    e.put("pooler_mode", "transaction");
    e.put("disabled", false);
    e.put("passwordless_access", true);
    e.put("creation_source", "console");
    e.put("created_at", "2026-02-01T10:00:00Z");
    e.put("updated_at", "2026-02-01T10:00:00Z");
    e.put("proxy_host", "eu-central-1.aws.neon.tech");
    e.put("suspend_timeout_seconds", 0);
    e.put("provisioner", "k8s-neonvm");
    return e;
  }

  private ArrayNode databases(String branchId) {
    ObjectNode d = M.createObjectNode();
    d.put("id", 834686);
    d.put("branch_id", branchId);
    d.put("name", "neondb");
    d.put("owner_name", "neondb_owner");
    d.put("created_at", "2026-02-01T10:00:00Z");
    d.put("updated_at", "2026-02-01T10:00:00Z");
    return M.createArrayNode().add(d);
  }

  private ArrayNode roles(String branchId) {
    ObjectNode r = M.createObjectNode();
    r.put("branch_id", branchId);
    r.put("name", "neondb_owner");
    r.put("protected", false);
    r.put("created_at", "2026-02-01T10:00:00Z");
    r.put("updated_at", "2026-02-01T10:00:00Z");
    return M.createArrayNode().add(r);
  }

  private ObjectNode annotation(String branchId) {
    ObjectNode a = M.createObjectNode();
    a.putObject("object").put("type", "console/branch").put("id", branchId);
    ObjectNode v = a.putObject("value");
    annotations.getOrDefault(branchId, Map.of()).forEach(v::put);
    a.put("created_at", "2026-02-01T10:00:00Z");
    a.put("updated_at", "2026-02-01T10:00:00Z");
    return a;
  }

  private String defaultId() {
    return branches.values().stream().filter(b -> b.path("default").asBoolean()).map(b -> b.path("id").asText()).findFirst().orElseThrow();
  }

  private static JsonNode body(Request req) {
    try {
      String s = req.getBodyAsString();
      return s == null || s.isBlank() ? M.createObjectNode() : M.readTree(s);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String query(Request req, String name) {
    QueryParameter q = req.queryParameter(name);
    return q == null || !q.isPresent() ? null : q.firstValue();
  }

  static String ts(Instant i) {
    return i.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static ResponseDefinition ok(int status, JsonNode body) {
    return json(status, body.toString());
  }

  static ResponseDefinition error(int status, String code, String message) {
    ObjectNode e = M.createObjectNode();
    e.put("request_id", UUID.randomUUID().toString());
    e.put("code", code);
    e.put("message", message);
    return json(status, e.toString());
  }

  private static ResponseDefinition json(int status, String body) {
    return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder()
        .withStatus(status)
        .withHeaders(new HttpHeaders(new HttpHeader("Content-Type", "application/json")))
        .withBody(body)
        .build();
  }
}
