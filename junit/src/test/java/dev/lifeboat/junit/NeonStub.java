package dev.lifeboat.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A small Neon project behind WireMock, enough for throwaway branches of a backup branch: branches
 * (list, get, create, delete), their read-write endpoint and database, connection URIs and
 * operations, answering with bodies shaped like the v2 spec's schemas. Operations finish at once.
 * Each branch's data lives where {@link Backing} says (a database on a real PostgreSQL).
 * {@link #specProblems} checks every exchange against the OpenAPI document in the shared folder.
 */
final class NeonStub implements ResponseDefinitionTransformerV2 {
  /** Where branches keep their data. */
  interface Backing {
    /** A new branch got a copy of its parent's data. */
    void created(String branchId, String parentId);

    /** A branch was deleted. */
    void deleted(String branchId);

    /** The connection URI of a branch's database. */
    String uri(String branchId);
  }

  static final String NAME = "neon-stub";
  static final String BASE = "/api/v2";
  private static final ObjectMapper M = new ObjectMapper();
  private static OpenApiInteractionValidator validator;

  private final String projectId;
  private final Backing backing;
  private final List<JsonNode> creates = new ArrayList<>();
  private final Map<String, ObjectNode> branches = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> annotations = new LinkedHashMap<>();
  private final Map<String, ObjectNode> operations = new LinkedHashMap<>();
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private int seq;

  NeonStub(String projectId, Backing backing) {
    this.projectId = projectId;
    this.backing = backing;
    ObjectNode main = branch("br-main-000001", "main", null, now.minus(30, ChronoUnit.DAYS));
    main.put("default", true);
    main.put("primary", true);
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public boolean applyGlobally() {
    return false;
  }

  synchronized ObjectNode byName(String name) {
    return branches.values().stream().filter(b -> b.path("name").asText().equals(name)).findFirst().orElse(null);
  }

  /** Adds a branch (a backup branch made earlier), as Neon lists it. */
  synchronized ObjectNode add(String id, String name, String parentId) {
    return branch(id, name, parentId, now.minus(1, ChronoUnit.DAYS));
  }

  /** The names of every branch. */
  synchronized List<String> names() {
    return branches.values().stream().map(b -> b.path("name").asText()).toList();
  }

  /** The bodies of every branch create request. */
  synchronized List<JsonNode> creates() {
    return List.copyOf(creates);
  }

  synchronized Map<String, String> annotationsOf(String branchId) {
    return annotations.getOrDefault(branchId, Map.of());
  }

  @Override
  public synchronized ResponseDefinition transform(ServeEvent event) {
    com.github.tomakehurst.wiremock.http.Request req = event.getRequest();
    String url = req.getUrl();
    String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
    String project = BASE + "/projects/" + projectId;
    if (path.equals(project) && req.getMethod().getName().equals("GET")) {
      return json(200, M.createObjectNode().set("project", project()));
    }
    if (!path.startsWith(project + "/")) {
      return error(404, "project not found");
    }
    String[] p = path.substring(project.length() + 1).split("/");
    String method = req.getMethod().getName();
    if (p[0].equals("branches") && p.length == 1) {
      return method.equals("GET") ? list(req) : method.equals("POST") ? create(body(req)) : error(405, "method not allowed");
    }
    if (p[0].equals("branches") && p.length == 2 && method.equals("DELETE")) {
      return delete(p[1]);
    }
    if (p[0].equals("branches") && p.length == 3 && method.equals("GET") && branches.containsKey(p[1])) {
      if (p[2].equals("endpoints")) {
        return json(200, M.createObjectNode().set("endpoints", M.createArrayNode().add(endpoint(p[1]))));
      }
      if (p[2].equals("databases")) {
        return json(200, M.createObjectNode().set("databases", M.createArrayNode().add(database(p[1]))));
      }
    }
    if (p[0].equals("connection_uri") && p.length == 1 && method.equals("GET")) {
      String branchId = query(req, "branch_id");
      if (branchId == null || !branches.containsKey(branchId)) {
        return error(404, "branch not found");
      }
      return json(200, M.createObjectNode().put("uri", backing.uri(branchId)));
    }
    if (p[0].equals("branches") && p.length == 2 && method.equals("GET")) {
      ObjectNode b = branches.get(p[1]);
      if (b == null) {
        return error(404, "branch not found");
      }
      ObjectNode r = M.createObjectNode();
      r.set("branch", b);
      r.set("annotation", annotation(p[1]));
      return json(200, r);
    }
    if (p[0].equals("operations") && p.length == 2 && method.equals("GET") && operations.containsKey(p[1])) {
      return json(200, M.createObjectNode().set("operation", operations.get(p[1])));
    }
    return error(404, "not served by this stub: " + method + " " + path);
  }

  private ResponseDefinition list(com.github.tomakehurst.wiremock.http.Request req) {
    String search = query(req, "search");
    ArrayNode page = M.createArrayNode();
    ObjectNode ann = M.createObjectNode();
    for (ObjectNode b : branches.values()) {
      String id = b.path("id").asText();
      if (search == null || b.path("name").asText().contains(search) || id.contains(search)) {
        page.add(b);
        if (annotations.containsKey(id)) {
          ann.set(id, annotation(id));
        }
      }
    }
    ObjectNode r = M.createObjectNode();
    r.set("branches", page);
    r.set("annotations", ann);
    r.putObject("pagination").put("sort_by", "updated_at").put("sort_order", "desc");
    return json(200, r);
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
    pr.put("branch_logical_size_limit_bytes", 10800000000L);
    pr.put("store_passwords", true);
    pr.put("active_time_seconds", 100);
    pr.put("compute_time_seconds", 100);
    pr.put("written_data_bytes", 100);
    pr.put("data_transfer_bytes", 100);
    pr.put("data_storage_bytes_hour", 100);
    pr.put("cpu_used_sec", 10);
    pr.put("creation_source", "console");
    pr.put("history_retention_seconds", 7 * 86400);
    pr.put("created_at", ts(now.minus(60, ChronoUnit.DAYS)));
    pr.put("updated_at", ts(now));
    pr.put("consumption_period_start", ts(now.minus(1, ChronoUnit.DAYS)));
    pr.put("consumption_period_end", ts(now.plus(29, ChronoUnit.DAYS)));
    pr.put("owner_id", "1232111");
    ObjectNode owner = pr.putObject("owner");
    owner.put("email", "ops@example.com");
    owner.put("name", "Ops");
    owner.put("branches_limit", 100);
    owner.put("subscription_type", "launch");
    pr.putObject("settings").put("enable_logical_replication", false);
    return pr;
  }

  private ResponseDefinition delete(String id) {
    ObjectNode b = branches.get(id);
    if (b == null) {
      return error(404, "branch not found");
    }
    if (b.path("default").asBoolean()) {
      return error(422, "cannot delete the default branch");
    }
    branches.remove(id);
    annotations.remove(id);
    backing.deleted(id);
    ObjectNode r = M.createObjectNode();
    r.set("branch", b);
    r.set("operations", M.createArrayNode().add(operation(id, "delete_timeline")));
    return json(200, r);
  }

  private ObjectNode operation(String branchId, String action) {
    ObjectNode op = M.createObjectNode();
    op.put("id", UUID.randomUUID().toString());
    op.put("project_id", projectId);
    op.put("branch_id", branchId);
    op.put("action", action);
    op.put("status", "finished");
    op.put("failures_count", 0);
    op.put("created_at", ts(now));
    op.put("updated_at", ts(now));
    op.put("total_duration_ms", 120);
    operations.put(op.path("id").asText(), op);
    return op;
  }

  private ObjectNode endpoint(String branchId) {
    String ep = "ep-" + branchId.substring(3);
    ObjectNode e = M.createObjectNode();
    e.put("host", ep + ".eu-central-1.aws.neon.tech");
    e.put("id", ep);
    e.put("project_id", projectId);
    e.put("branch_id", branchId);
    e.put("autoscaling_limit_min_cu", 0.25);
    e.put("autoscaling_limit_max_cu", 1);
    e.put("region_id", "aws-eu-central-1");
    e.put("type", "read_write");
    e.put("current_state", "idle");
    e.putObject("settings");
    e.put("pooler_enabled", false);
    e.put("pooler_mode", "transaction");
    e.put("disabled", false);
    e.put("passwordless_access", true);
    e.put("creation_source", "console");
    e.put("created_at", ts(now));
    e.put("updated_at", ts(now));
    e.put("proxy_host", "eu-central-1.aws.neon.tech");
    e.put("suspend_timeout_seconds", 0);
    e.put("provisioner", "k8s-neonvm");
    return e;
  }

  private ObjectNode database(String branchId) {
    return M.createObjectNode().put("id", 834686).put("branch_id", branchId).put("name", "neondb")
        .put("owner_name", "neondb_owner").put("created_at", ts(now)).put("updated_at", ts(now));
  }

  private ResponseDefinition create(JsonNode body) {
    creates.add(body);
    JsonNode spec = body.path("branch");
    String name = spec.path("name").asText();
    if (byName(name) != null) {
      return error(409, "branch with name \"" + name + "\" already exists");
    }
    String parentId = spec.path("parent_id").asText("br-main-000001");
    if (!branches.containsKey(parentId)) {
      return error(404, "parent branch not found");
    }
    String id = String.format("br-stub-branch-%06d", ++seq);
    backing.created(id, parentId);
    ObjectNode b = branch(id, name, parentId, now.plusSeconds(seq));
    if (spec.hasNonNull("expires_at")) {
      b.put("expires_at", spec.path("expires_at").asText());
    }
    Map<String, String> values = new LinkedHashMap<>();
    body.path("annotation_value").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
    if (!values.isEmpty()) {
      annotations.put(id, values);
    }
    ObjectNode op = M.createObjectNode();
    op.put("id", UUID.randomUUID().toString());
    op.put("project_id", projectId);
    op.put("branch_id", id);
    op.put("action", "create_timeline");
    op.put("status", "finished");
    op.put("failures_count", 0);
    op.put("created_at", ts(now));
    op.put("updated_at", ts(now));
    op.put("total_duration_ms", 120);
    operations.put(op.path("id").asText(), op);
    ObjectNode r = M.createObjectNode();
    r.set("branch", b);
    r.set("endpoints", M.createArrayNode().add(endpoint(id)));
    r.set("operations", M.createArrayNode().add(op));
    ObjectNode role = M.createObjectNode().put("branch_id", id).put("name", "neondb_owner").put("protected", false)
        .put("created_at", ts(now)).put("updated_at", ts(now));
    r.set("roles", M.createArrayNode().add(role));
    ObjectNode db = M.createObjectNode().put("id", 834686).put("branch_id", id).put("name", "neondb")
        .put("owner_name", "neondb_owner").put("created_at", ts(now)).put("updated_at", ts(now));
    r.set("databases", M.createArrayNode().add(db));
    return json(201, r);
  }

  private ObjectNode branch(String id, String name, String parentId, Instant createdAt) {
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

  private ObjectNode annotation(String branchId) {
    ObjectNode a = M.createObjectNode();
    a.putObject("object").put("type", "console/branch").put("id", branchId);
    ObjectNode v = a.putObject("value");
    annotations.getOrDefault(branchId, Map.of()).forEach(v::put);
    a.put("created_at", ts(now));
    a.put("updated_at", ts(now));
    return a;
  }

  private static String ts(Instant i) {
    return i.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static JsonNode body(com.github.tomakehurst.wiremock.http.Request req) {
    try {
      String s = req.getBodyAsString();
      return s == null || s.isBlank() ? M.createObjectNode() : M.readTree(s);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String query(com.github.tomakehurst.wiremock.http.Request req, String name) {
    QueryParameter q = req.queryParameter(name);
    return q == null || !q.isPresent() ? null : q.firstValue();
  }

  private static ResponseDefinition error(int status, String message) {
    ObjectNode e = M.createObjectNode();
    e.put("request_id", UUID.randomUUID().toString());
    e.put("code", "");
    e.put("message", message);
    return json(status, e);
  }

  private static ResponseDefinition json(int status, JsonNode body) {
    return new ResponseDefinitionBuilder().withStatus(status)
        .withHeaders(new HttpHeaders(new HttpHeader("Content-Type", "application/json")))
        .withBody(body.toString()).build();
  }

  /** Every request and answer {@code wiremock} saw that breaks Neon's OpenAPI document. */
  static List<String> specProblems(WireMockServer wiremock) {
    OpenApiInteractionValidator v = validator();
    List<String> problems = new ArrayList<>();
    for (ServeEvent e : wiremock.getAllServeEvents()) {
      LoggedRequest r = e.getRequest();
      Request request = toValidatorRequest(r);
      SimpleResponse.Builder resp = SimpleResponse.Builder.status(e.getResponse().getStatus());
      for (HttpHeader h : e.getResponse().getHeaders().all()) {
        resp.withHeader(h.key(), h.values());
      }
      String body = e.getResponse().getBodyAsString();
      if (body != null && !body.isEmpty()) {
        resp.withBody(body);
      }
      for (ValidationReport.Message m : v.validate(request, resp.build()).getMessages()) {
        if (m.getLevel() == ValidationReport.Level.ERROR) {
          problems.add(r.getMethod() + " " + r.getUrl() + " -> " + e.getResponse().getStatus() + ": [" + m.getKey() + "] "
              + m.getMessage());
        }
      }
    }
    return problems;
  }

  private static synchronized OpenApiInteractionValidator validator() {
    if (validator == null) {
      String shared = System.getProperty("lifeboat.shared.dir");
      assertThat(shared).as("system property lifeboat.shared.dir").isNotBlank();
      Path spec = Path.of(shared, "specs", "neon-api-v2.json");
      assertThat(Files.isRegularFile(spec)).as("Neon OpenAPI document at %s", spec).isTrue();
      // Neon's responses are allOf compositions: resolving them checks the merged schema.
      validator = OpenApiInteractionValidator.createForSpecificationUrl(spec.toUri().toString())
          .withResolveRefs(true).withResolveCombinators(true).build();
    }
    return validator;
  }

  private static Request toValidatorRequest(LoggedRequest r) {
    String url = r.getUrl();
    String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
    SimpleRequest.Builder b = new SimpleRequest.Builder(r.getMethod().getName(), path);
    r.getQueryParams().forEach((k, v) -> b.withQueryParam(k, v.values()));
    for (HttpHeader h : r.getHeaders().all()) {
      b.withHeader(h.key(), h.values());
    }
    String body = r.getBodyAsString();
    if (body != null && !body.isEmpty()) {
      b.withBody(body);
    }
    return b.build();
  }
}
