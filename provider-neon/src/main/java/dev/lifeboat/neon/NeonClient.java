package dev.lifeboat.neon;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.neon.api.BranchSpec;
import dev.lifeboat.neon.api.CreatedBranch;
import dev.lifeboat.neon.api.NeonBranch;
import dev.lifeboat.neon.api.NeonDatabase;
import dev.lifeboat.neon.api.NeonEndpoint;
import dev.lifeboat.neon.api.NeonOperation;
import dev.lifeboat.neon.api.NeonProject;
import dev.lifeboat.neon.api.NeonRole;
import dev.lifeboat.neon.api.NeonSnapshot;
import dev.lifeboat.spi.ProviderContext;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the Neon API v2 on OkHttp and Jackson.
 *
 * <p>Every request carries the bearer key (added by an interceptor, never logged) and a fresh
 * {@code X-Request-ID}. Answers 423, 429 (after its {@code Retry-After}, else at least one second)
 * and 503 are retried with full-jitter backoff, bounded in attempts and total time
 * ({@link NeonSettings}); connection failures and other 5xx answers are retried only for calls
 * that are safe to resend (GET, DELETE, and a create of a named branch, which a 409 on its retry
 * turns into a reuse of that branch). Every other error status is one {@link NeonApiException}
 * whose message says what to check. Paged lists follow their cursor to the end. Every call that
 * starts operations waits for them to finish.
 *
 * <p>Nothing a server sends reaches a message or log line unfiltered ({@code ServerText}): the key,
 * echoed {@code Authorization} headers and connection passwords are masked.
 *
 * <p>Thread-safe.
 */
public final class NeonClient {
  private static final Logger LOG = LoggerFactory.getLogger(NeonClient.class);
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String SHARED_HTTP_KEY = "okhttp.client";
  private static final int PAGE = 100;
  private static final Duration MAX_POLL = Duration.ofSeconds(5);
  /** The least wait after a 429 that names none. */
  static final Duration RATE_LIMIT_PAUSE = Duration.ofSeconds(1);

  private final NeonSettings settings;
  private final OkHttpClient http;
  private final HttpUrl base;
  private final ObjectMapper mapper;

  /**
   * A client on {@code shared}'s connection pool and threads, with the key interceptor added.
   */
  public NeonClient(NeonSettings settings, OkHttpClient shared) {
    this.settings = Objects.requireNonNull(settings, "settings");
    HttpUrl parsed = HttpUrl.parse(settings.apiUrl());
    if (parsed == null) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "The Neon API URL '" + Location.redact(settings.apiUrl()) + "' is not an http(s) URL. Fix neon.apiUrl or NEON_API_URL.");
    }
    this.base = parsed;
    this.http = shared.newBuilder().addInterceptor(new KeyInterceptor(settings.apiKey())).build();
    this.mapper = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .build();
  }

  /** A client configured from the context, on the instance's shared {@link OkHttpClient}. */
  public static NeonClient create(ProviderContext context) {
    return new NeonClient(NeonSettings.from(context), sharedHttp(context));
  }

  /** The OkHttp client every provider of one Lifeboat instance shares. */
  static OkHttpClient sharedHttp(ProviderContext context) {
    return context.shared(SHARED_HTTP_KEY, OkHttpClient.class, () -> new OkHttpClient.Builder()
        .connectTimeout(10, TimeUnit.SECONDS)
        .readTimeout(60, TimeUnit.SECONDS)
        .writeTimeout(60, TimeUnit.SECONDS)
        .retryOnConnectionFailure(false)
        .build());
  }

  /** The settings this client uses. */
  public NeonSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- projects

  /** The project, with its history window. */
  public NeonProject project(String projectId) {
    return read(get(List.of("projects", projectId), Map.of()).path("project"), NeonProject.class);
  }

  // ---------------------------------------------------------------- branches

  /** Every branch of the project (all pages). */
  public List<NeonBranch> branches(String projectId) {
    return branches(projectId, null);
  }

  /** Every branch whose name or id contains {@code search} (all pages). */
  public List<NeonBranch> branches(String projectId, String search) {
    return listBranches(projectId, search).branches();
  }

  /**
   * Branches with their annotations, all pages.
   *
   * @param branches the branches
   * @param annotations each branch id's annotation values
   */
  public record BranchListing(List<NeonBranch> branches, Map<String, Map<String, String>> annotations) {}

  /**
   * Every branch whose name or id contains {@code search} (all pages), with annotations. Follows
   * {@code pagination.next} until Neon sends none, a page is empty or a cursor comes back: Neon
   * (or a proxy in front of it) may answer with fewer branches than the {@code limit} asked for, so
   * a short page does not mean the last one.
   */
  public BranchListing listBranches(String projectId, String search) {
    Map<String, NeonBranch> byId = new LinkedHashMap<>();
    Map<String, Map<String, String>> annotations = new LinkedHashMap<>();
    Map<String, String> query = new LinkedHashMap<>();
    if (search != null && !search.isEmpty()) {
      query.put("search", search);
    }
    query.put("limit", Integer.toString(PAGE));
    walk(List.of("projects", projectId, "branches"), query, "branches", "next", page -> {
      // A misbehaving cursor can hand the same branch twice; list each once.
      readList(page.path("branches"), NeonBranch.class).forEach(b -> byId.putIfAbsent(b.id(), b));
      page.path("annotations").fields().forEachRemaining(e -> {
        Map<String, String> values = new LinkedHashMap<>();
        e.getValue().path("value").fields().forEachRemaining(v -> values.put(v.getKey(), v.getValue().asText()));
        annotations.put(e.getKey(), values);
      });
      return true;
    });
    return new BranchListing(List.copyOf(byId.values()), annotations);
  }

  /**
   * Reads a cursor-paged list: calls {@code onPage} with each page until it returns false, a page
   * holds no {@code itemsField} items, the page's {@code pagination.<cursorField>} is absent or
   * empty, or a cursor repeats (a server that loops must not keep Lifeboat asking for ever).
   */
  private void walk(List<String> segments, Map<String, String> query, String itemsField, String cursorField,
      Predicate<JsonNode> onPage) {
    Set<String> cursors = new HashSet<>();
    String cursor = null;
    while (true) {
      Map<String, String> q = new LinkedHashMap<>(query);
      if (cursor != null) {
        q.put("cursor", cursor);
      }
      JsonNode page = get(segments, q);
      if (!onPage.test(page) || page.path(itemsField).size() == 0) {
        return;
      }
      String next = page.path("pagination").path(cursorField).asText("");
      if (next.isEmpty()) {
        return;
      }
      if (!cursors.add(next)) {
        LOG.warn("Neon API GET /{} handed back cursor '{}' a second time; stopping the listing there", String.join("/", segments),
            ServerText.oneLine(next, 80));
        return;
      }
      cursor = next;
    }
  }

  /** The branch with this id, or empty when Neon does not know it. */
  public Optional<NeonBranch> branch(String projectId, String branchId) {
    try {
      return Optional.of(read(get(List.of("projects", projectId, "branches", branchId), Map.of()).path("branch"), NeonBranch.class));
    } catch (NeonApiException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The branch with this exact name, or with this id. */
  public Optional<NeonBranch> findBranch(String projectId, String nameOrId) {
    if (nameOrId.startsWith("br-") && nameOrId.matches("[a-z0-9-]{1,60}")) {
      Optional<NeonBranch> byId = branch(projectId, nameOrId);
      if (byId.isPresent()) {
        return byId;
      }
    }
    return branches(projectId, nameOrId).stream().filter(b -> b.name().equals(nameOrId)).findFirst();
  }

  /**
   * Creates a branch and waits until its operations finished and it is ready. When a retried
   * request meets 409 because its first attempt already created the branch, that branch is
   * returned ({@link CreatedBranch#reused()}).
   */
  public CreatedBranch createBranch(String projectId, BranchSpec spec) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode branch = body.putObject("branch");
    branch.put("name", spec.name());
    if (spec.parentId() != null) {
      branch.put("parent_id", spec.parentId());
    }
    if (spec.parentTimestamp() != null) {
      branch.put("parent_timestamp", timestamp(spec.parentTimestamp()));
    }
    if (spec.parentLsn() != null) {
      branch.put("parent_lsn", spec.parentLsn());
    }
    if (spec.expiresAt() != null) {
      branch.put("expires_at", timestamp(spec.expiresAt()));
    }
    if (spec.readWriteEndpoint()) {
      body.putArray("endpoints").addObject().put("type", "read_write");
    }
    if (!spec.annotations().isEmpty()) {
      ObjectNode annotations = body.putObject("annotation_value");
      spec.annotations().forEach(annotations::put);
    }
    JsonNode answer;
    try {
      answer = send(new Call("POST", List.of("projects", projectId, "branches"), Map.of(), body, true));
    } catch (NeonApiException e) {
      // Only a lost answer (or a 5xx other than 503) can mean our own earlier attempt created it;
      // after 423/429/503 Neon applied nothing, so the branch is another client's.
      if (e.status() == 409 && e.earlierAttemptUnanswered()) {
        Optional<NeonBranch> mine = findBranch(projectId, spec.name())
            .filter(b -> spec.parentId() == null || spec.parentId().equals(b.parentId()));
        if (mine.isPresent()) {
          LOG.info("Branch {} already exists after a retried create; using it", spec.name());
          NeonBranch ready = awaitBranchReady(projectId, mine.get().id());
          return new CreatedBranch(ready, endpoints(projectId, ready.id()), true);
        }
      }
      throw e;
    }
    NeonBranch created = read(answer.path("branch"), NeonBranch.class);
    awaitOperations(projectId, readList(answer.path("operations"), NeonOperation.class));
    NeonBranch ready = awaitBranchReady(projectId, created.id());
    return new CreatedBranch(ready, readList(answer.path("endpoints"), NeonEndpoint.class), false);
  }

  /** Renames a branch. */
  public NeonBranch renameBranch(String projectId, String branchId, String newName) {
    ObjectNode fields = JsonNodeFactory.instance.objectNode().put("name", newName);
    return updateBranch(projectId, branchId, fields);
  }

  /** Protects or unprotects a branch. */
  public NeonBranch setProtected(String projectId, String branchId, boolean value) {
    return updateBranch(projectId, branchId, JsonNodeFactory.instance.objectNode().put("protected", value));
  }

  /** Sets when Neon deletes the branch by itself; {@code null} clears it. */
  public NeonBranch setExpiry(String projectId, String branchId, Instant expiresAt) {
    ObjectNode fields = JsonNodeFactory.instance.objectNode();
    fields.set("expires_at", expiresAt == null ? NullNode.instance : fields.textNode(timestamp(expiresAt)));
    return updateBranch(projectId, branchId, fields);
  }

  private NeonBranch updateBranch(String projectId, String branchId, ObjectNode fields) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("branch", fields);
    JsonNode answer = send(new Call("PATCH", List.of("projects", projectId, "branches", branchId), Map.of(), body, false));
    awaitOperations(projectId, readList(answer.path("operations"), NeonOperation.class));
    return read(answer.path("branch"), NeonBranch.class);
  }

  /** Makes the branch the project's default branch. */
  public NeonBranch setDefault(String projectId, String branchId) {
    JsonNode answer = send(new Call("POST", List.of("projects", projectId, "branches", branchId, "set_as_default"), Map.of(), null, false));
    awaitOperations(projectId, readList(answer.path("operations"), NeonOperation.class));
    return read(answer.path("branch"), NeonBranch.class);
  }

  /**
   * Deletes a branch and waits for it to go.
   *
   * @return false when Neon says it did not exist (204)
   */
  public boolean deleteBranch(String projectId, String branchId) {
    JsonNode answer = send(new Call("DELETE", List.of("projects", projectId, "branches", branchId), Map.of(), null, true));
    if (answer.isMissingNode()) {
      return false;
    }
    awaitOperations(projectId, readList(answer.path("operations"), NeonOperation.class));
    return true;
  }

  /**
   * Restores a branch in place from {@code sourceBranchId} (itself for its own history) at a
   * timestamp or LSN (both {@code null}: the source's head), keeping the previous state as a new
   * branch named {@code preserveUnderName}. Waits for the operations; returns the branch.
   */
  public NeonBranch restoreBranch(String projectId, String branchId, String sourceBranchId, Instant sourceTimestamp,
      String sourceLsn, String preserveUnderName) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("source_branch_id", sourceBranchId);
    if (sourceTimestamp != null) {
      body.put("source_timestamp", timestamp(sourceTimestamp));
    }
    if (sourceLsn != null) {
      body.put("source_lsn", sourceLsn);
    }
    if (preserveUnderName != null) {
      body.put("preserve_under_name", preserveUnderName);
    }
    JsonNode answer = send(new Call("POST", List.of("projects", projectId, "branches", branchId, "restore"), Map.of(), body, false));
    awaitOperations(projectId, readList(answer.path("operations"), NeonOperation.class));
    return awaitBranchReady(projectId, branchId);
  }

  // ---------------------------------------------------------------- endpoints, databases, roles

  /** The endpoints of one branch. */
  public List<NeonEndpoint> endpoints(String projectId, String branchId) {
    return readList(get(List.of("projects", projectId, "branches", branchId, "endpoints"), Map.of()).path("endpoints"), NeonEndpoint.class);
  }

  /** Every endpoint of the project. */
  public List<NeonEndpoint> endpoints(String projectId) {
    return readList(get(List.of("projects", projectId, "endpoints"), Map.of()).path("endpoints"), NeonEndpoint.class);
  }

  /** The databases of a branch. */
  public List<NeonDatabase> databases(String projectId, String branchId) {
    return readList(get(List.of("projects", projectId, "branches", branchId, "databases"), Map.of()).path("databases"), NeonDatabase.class);
  }

  /** The roles of a branch (without passwords). */
  public List<NeonRole> roles(String projectId, String branchId) {
    return readList(get(List.of("projects", projectId, "branches", branchId, "roles"), Map.of()).path("roles"), NeonRole.class);
  }

  /**
   * The direct (not pooled) connection URI of a branch's read-write endpoint. It holds the role's
   * password: use it to connect, never log it.
   */
  public Location connectionUri(String projectId, String branchId, String database, String role) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("branch_id", branchId);
    query.put("database_name", database);
    query.put("role_name", role);
    query.put("pooled", "false");
    String uri = get(List.of("projects", projectId, "connection_uri"), query).path("uri").asText("");
    if (uri.isEmpty()) {
      throw new LifeboatException(ErrorCode.REMOTE_API,
          "Neon returned no connection URI for branch " + branchId + " of project " + projectId + ". Check that the branch has a read-write compute.");
    }
    return Location.parse(unpooled(uri));
  }

  /**
   * A direct connection URI built from the branch's read-write endpoint host and the role's
   * revealed password, for projects where {@link #connectionUri} is not available.
   */
  Location connectionUriFromParts(String projectId, String branchId, String database, String role) {
    NeonEndpoint endpoint = endpoints(projectId, branchId).stream().filter(NeonEndpoint::readWrite).findFirst()
        .orElseThrow(() -> new LifeboatException(ErrorCode.CONFIGURATION,
            "Branch " + branchId + " of Neon project " + projectId + " has no read-write compute to connect to. Add one in the Neon console."));
    String password = get(List.of("projects", projectId, "branches", branchId, "roles", role, "reveal_password"), Map.of())
        .path("password").asText("");
    return Location.parse("postgresql://" + encode(role) + ":" + encode(password) + "@" + unpooledHost(endpoint.host())
        + "/" + encode(database) + "?sslmode=require");
  }

  // ---------------------------------------------------------------- operations

  /** One operation. */
  public NeonOperation operation(String projectId, String operationId) {
    return read(get(List.of("projects", projectId, "operations", operationId), Map.of()).path("operation"), NeonOperation.class);
  }

  /**
   * The project's most recent operations, at most {@code limit} of them (1 to 10000), following
   * {@code pagination.cursor} across pages as {@link #listBranches} does.
   */
  public List<NeonOperation> operations(String projectId, int limit) {
    int wanted = Math.max(1, Math.min(limit, 10_000));
    List<NeonOperation> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("limit", Integer.toString(Math.min(wanted, 1000)));
    walk(List.of("projects", projectId, "operations"), query, "operations", "cursor", page -> {
      for (NeonOperation op : readList(page.path("operations"), NeonOperation.class)) {
        if (out.size() < wanted && seen.add(op.id())) {
          out.add(op);
        }
      }
      return out.size() < wanted;
    });
    return out;
  }

  /**
   * Waits until every operation finished or was skipped. A failed, errored or cancelled one is a
   * {@code REMOTE_API} error with its error text; running past {@code neon.operationTimeout} is a
   * {@code TIMEOUT}.
   */
  public void awaitOperations(String projectId, List<NeonOperation> operations) {
    Map<String, NeonOperation> pending = new LinkedHashMap<>();
    for (NeonOperation op : operations) {
      checkNotFailed(op);
      if (!op.succeeded()) {
        pending.put(op.id(), op);
      }
    }
    long deadline = System.nanoTime() + settings.operationTimeout().toNanos();
    Duration wait = settings.operationPollInterval();
    Duration cap = wait.compareTo(MAX_POLL) > 0 ? wait : MAX_POLL;
    while (!pending.isEmpty()) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        NeonOperation op = pending.values().iterator().next();
        throw new LifeboatException(ErrorCode.TIMEOUT,
            "Neon operation " + op.action() + " (" + op.id() + ") on project " + projectId
                + (op.branchId() == null ? "" : " branch " + op.branchId()) + " is still " + op.status() + " after "
                + human(settings.operationTimeout()) + ". Check it in the Neon console, or raise neon.operationTimeout.");
      }
      sleep(Math.min(wait.toNanos(), remaining));
      for (String id : new ArrayList<>(pending.keySet())) {
        NeonOperation now = operation(projectId, id);
        checkNotFailed(now);
        if (now.succeeded()) {
          pending.remove(id);
        } else {
          pending.put(id, now);
        }
      }
      wait = Duration.ofMillis(Math.min(cap.toMillis(), wait.toMillis() * 3 / 2 + 1));
    }
  }

  private static void checkNotFailed(NeonOperation op) {
    if (op.failed()) {
      throw new LifeboatException(ErrorCode.REMOTE_API,
          "Neon operation " + op.action() + " (" + op.id() + ")" + (op.branchId() == null ? "" : " on branch " + op.branchId())
              + " " + op.status() + ": " + (op.error() == null || op.error().isBlank() ? "no error text" : ServerText.oneLine(op.error(), ServerText.MAX_MESSAGE))
              + ". Nothing more was changed; look at the operation in the Neon console and try again.");
    }
  }

  /** Polls the branch until Neon reports it ready, within the operation timeout. */
  private NeonBranch awaitBranchReady(String projectId, String branchId) {
    long deadline = System.nanoTime() + settings.operationTimeout().toNanos();
    Duration wait = settings.operationPollInterval();
    while (true) {
      NeonBranch b = branch(projectId, branchId).orElseThrow(() -> new LifeboatException(ErrorCode.REMOTE_API,
          "Neon branch " + branchId + " of project " + projectId + " disappeared while Lifeboat waited for it."));
      if (b.ready()) {
        return b;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw new LifeboatException(ErrorCode.TIMEOUT,
            "Neon branch " + b.name() + " (" + branchId + ") is still '" + b.currentState() + "' after "
                + human(settings.operationTimeout()) + ". Check it in the Neon console, or raise neon.operationTimeout.");
      }
      sleep(Math.min(wait.toNanos(), remaining));
      wait = Duration.ofMillis(Math.min(MAX_POLL.toMillis(), wait.toMillis() * 3 / 2 + 1));
    }
  }

  // ---------------------------------------------------------------- snapshots (beta)

  /** Takes a Neon snapshot of a (root) branch, at {@code timestamp} or now, and waits for it. */
  public NeonSnapshot createSnapshot(String projectId, String branchId, String name, Instant timestamp, Instant expiresAt) {
    Map<String, String> query = new LinkedHashMap<>();
    if (name != null) {
      query.put("name", name);
    }
    if (timestamp != null) {
      query.put("timestamp", timestamp(timestamp));
    }
    if (expiresAt != null) {
      query.put("expires_at", timestamp(expiresAt));
    }
    JsonNode answer = send(new Call("POST", List.of("projects", projectId, "branches", branchId, "snapshot"), query, null, false));
    awaitOperations(projectId, readList(answer.path("operations"), NeonOperation.class));
    return read(answer.path("snapshot"), NeonSnapshot.class);
  }

  /** The project's snapshots. */
  public List<NeonSnapshot> snapshots(String projectId) {
    return readList(get(List.of("projects", projectId, "snapshots"), Map.of()).path("snapshots"), NeonSnapshot.class);
  }

  /** Deletes a snapshot and waits for it to go. */
  public void deleteSnapshot(String projectId, String snapshotId) {
    JsonNode answer = send(new Call("DELETE", List.of("projects", projectId, "snapshots", snapshotId), Map.of(), null, true));
    awaitOperations(projectId, readList(answer.path("operations"), NeonOperation.class));
  }

  /**
   * Restores a snapshot into a new branch named {@code name} (multi-step: not finalized, so the
   * current branch stays as it is). Waits for the operations; returns the new branch.
   */
  public NeonBranch restoreSnapshot(String projectId, String snapshotId, String name, String targetBranchId) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (name != null) {
      body.put("name", name);
    }
    if (targetBranchId != null) {
      body.put("target_branch_id", targetBranchId);
    }
    body.put("finalize_restore", false);
    JsonNode answer = send(new Call("POST", List.of("projects", projectId, "snapshots", snapshotId, "restore"), Map.of(), body, false));
    NeonBranch branch = read(answer.path("branch"), NeonBranch.class);
    awaitOperations(projectId, readList(answer.path("operations"), NeonOperation.class));
    return awaitBranchReady(projectId, branch.id());
  }

  // ---------------------------------------------------------------- transport

  /**
   * One request to send. {@code retryOnFailure}: safe to resend when Neon may have applied it (a
   * lost answer, a 5xx other than 503): GET, DELETE, and a create of a named branch.
   */
  private record Call(String method, List<String> segments, Map<String, String> query, JsonNode body, boolean retryOnFailure) {
    String path() {
      return "/" + String.join("/", segments);
    }

    boolean read() {
      return method.equals("GET");
    }
  }

  /**
   * An answer worth another try: 423, 429 or 503 (Neon applied nothing), or, for calls that are
   * safe to resend, a lost answer or another 5xx (Neon may have applied it). Its texts are already
   * made safe to show ({@link ServerText}).
   */
  private static final class Transient extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final Duration retryAfter;
    final String neonCode;
    final String neonMessage;
    final String requestId;

    Transient(int status, Duration retryAfter, String neonCode, String neonMessage, String requestId) {
      super(null, null, false, false);
      this.status = status;
      this.retryAfter = retryAfter;
      this.neonCode = neonCode;
      this.neonMessage = neonMessage;
      this.requestId = requestId;
    }

    Transient(IOException cause, String requestId) {
      super(ServerText.oneLine(cause.toString(), ServerText.MAX_MESSAGE), cause, false, false);
      this.status = 0;
      this.retryAfter = null;
      this.neonCode = "";
      this.neonMessage = ServerText.oneLine(String.valueOf(cause.getMessage()), ServerText.MAX_MESSAGE);
      this.requestId = requestId;
    }

    boolean connectionFailure() {
      return status == 0;
    }

    /** No answer, or a 5xx that does not promise that nothing was done (503 does). */
    boolean mayHaveApplied() {
      return status == 0 || (status >= 500 && status != 503);
    }
  }

  private JsonNode get(List<String> segments, Map<String, String> query) {
    return send(new Call("GET", segments, query, null, true));
  }

  /** Sends with retries; returns the parsed body, or a missing node for an empty answer. */
  private JsonNode send(Call call) {
    AtomicInteger attempts = new AtomicInteger();
    long deadline = System.nanoTime() + settings.maxRetryTime().toNanos();
    IntervalBiFunction<JsonNode> interval = (attempt, outcome) -> {
      Transient t = outcome.isLeft() && outcome.getLeft() instanceof Transient tr ? tr : null;
      if (t != null && t.retryAfter != null) {
        return t.retryAfter.toMillis();
      }
      long wait = backoff(attempt, t != null && t.status == 429);
      long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      return Math.max(0, Math.min(wait, remaining));
    };
    RetryConfig config = RetryConfig.<JsonNode>custom()
        .maxAttempts(settings.maxAttempts())
        .intervalBiFunction(interval)
        .retryOnException(e -> e instanceof Transient t
            && (!t.mayHaveApplied() || call.retryOnFailure())
            && fitsBefore(t.retryAfter, deadline))
        .build();
    Retry retry = Retry.of("neon", config);
    retry.getEventPublisher().onRetry(e -> LOG.info("Neon API {} {}: {}; retry {} in {} ms", call.method(), call.path(),
        describe(e.getLastThrowable()), e.getNumberOfRetryAttempts(), e.getWaitInterval().toMillis()));
    try {
      AtomicBoolean mayHaveApplied = new AtomicBoolean();
      return retry.executeCallable(() -> {
        try {
          return once(call, attempts.incrementAndGet(), mayHaveApplied.get());
        } catch (Transient t) {
          if (t.mayHaveApplied()) {
            mayHaveApplied.set(true);
          }
          throw t;
        }
      });
    } catch (Transient t) {
      throw giveUp(call, t, attempts.get());
    } catch (LifeboatException e) {
      throw e;
    } catch (Exception e) {
      throw new LifeboatException(ErrorCode.REMOTE_API,
          "Neon API " + call.method() + " " + call.path() + " failed: " + ServerText.oneLine(e.toString(), ServerText.MAX_MESSAGE), e);
    }
  }

  /**
   * Full-jitter exponential backoff. After a 429 without {@code Retry-After} the wait is at least
   * {@link #RATE_LIMIT_PAUSE}, doubling with each attempt: Neon counts requests per second and per
   * minute, so a quicker retry would only be refused again and use up the budget.
   */
  private long backoff(int attempt, boolean rateLimited) {
    int doublings = Math.min(20, Math.max(0, attempt - 1));
    long cap = Math.min(settings.maxBackoff().toMillis(), settings.initialBackoff().toMillis() << doublings);
    long wait = ThreadLocalRandom.current().nextLong(cap + 1);
    if (rateLimited) {
      long floor = Math.min(Math.max(settings.maxBackoff().toMillis(), RATE_LIMIT_PAUSE.toMillis()),
          RATE_LIMIT_PAUSE.toMillis() << Math.min(doublings, 10));
      wait = Math.max(wait, floor);
    }
    return wait;
  }

  private static boolean fitsBefore(Duration wait, long deadline) {
    long remaining = deadline - System.nanoTime();
    return remaining > 0 && (wait == null || wait.toNanos() <= remaining);
  }

  private JsonNode once(Call call, int attempt, boolean earlierMayHaveApplied) {
    String requestId = UUID.randomUUID().toString();
    HttpUrl.Builder url = base.newBuilder();
    call.segments().forEach(url::addPathSegment);
    call.query().forEach(url::addQueryParameter);
    RequestBody body = null;
    if (call.body() != null) {
      body = RequestBody.create(write(call.body()), JSON);
    } else if (!call.method().equals("GET") && !call.method().equals("DELETE")) {
      body = RequestBody.create(new byte[0], null);
    }
    Request request = new Request.Builder().url(url.build()).method(call.method(), body)
        .header("X-Request-ID", requestId).build();
    try (Response response = http.newCall(request).execute()) {
      int status = response.code();
      ResponseBody rb = response.body();
      String text = rb == null ? "" : rb.string();
      LOG.debug("Neon API {} {} -> {} (request id {}, attempt {})", call.method(), call.path(), status, requestId, attempt);
      if (status >= 200 && status < 300) {
        if (text.isBlank()) {
          return mapper.missingNode();
        }
        JsonNode answer = parse(text, call);
        // Passwords and connection URIs in the answer: masked in whatever is printed from now on.
        ServerText.registerSecrets(answer);
        return answer;
      }
      // Everything taken from an error answer is made safe here, before anything can print it.
      JsonNode error = parseQuietly(text);
      String code = ServerText.oneLine(error.path("code").asText(""), 100);
      String message = ServerText.oneLine(error.path("message").isTextual() ? error.path("message").asText() : ServerText.withoutMarkup(text),
          ServerText.MAX_MESSAGE);
      if (message.isEmpty()) {
        message = "no error text";
      }
      String echoed = ServerText.oneLine(error.path("request_id").asText(requestId), 100);
      if (status == 423 || status == 429 || status == 503 || (status >= 500 && call.retryOnFailure())) {
        throw new Transient(status, retryAfter(response), code, message, echoed);
      }
      throw apiError(call, status, code, message, echoed, attempt, earlierMayHaveApplied);
    } catch (IOException e) {
      throw new Transient(e, requestId);
    }
  }

  /** One line that says what Neon answered and what to do about it; {@code message} is already safe. */
  private NeonApiException apiError(Call call, int status, String code, String message, String requestId, int attempts,
      boolean earlierMayHaveApplied) {
    String what = "Neon API " + call.method() + " " + call.path() + " answered " + status
        + (code.isEmpty() ? "" : " " + code) + ": " + message + " (request id " + requestId + ")";
    ErrorCode errorCode;
    String hint;
    String project = call.segments().size() > 1 && call.segments().get(0).equals("projects") ? call.segments().get(1) : null;
    if (code.endsWith("BRANCHES_LIMIT_EXCEEDED")) {
      errorCode = ErrorCode.QUOTA_EXCEEDED;
      hint = "The project has as many branches as its plan allows; delete old branches (lifeboat prune) or raise the plan.";
    } else if (status == 401) {
      errorCode = ErrorCode.AUTHENTICATION;
      hint = "Neon refused the API key: set NEON_API_KEY (or neon.apiKey) to a current key from the Neon console "
          + "(Account or Organization settings, API keys); a revoked or mistyped key gets this answer.";
    } else if (status == 403) {
      errorCode = ErrorCode.AUTHENTICATION;
      hint = "The API key is valid but may not do this" + (project == null ? "" : " on project " + project)
          + ": use a key of an account or organization that can (a project-scoped key only reaches its own project).";
    } else if (status == 404) {
      errorCode = ErrorCode.NOT_FOUND;
      hint = notFoundHint(call.segments());
    } else if (status == 409) {
      errorCode = ErrorCode.CONFIGURATION;
      hint = "It conflicts with the project as it is now (e.g. a branch of that name already exists); Neon changed nothing. "
          + "Choose another name, or delete what is in the way first.";
    } else if (status == 412) {
      errorCode = ErrorCode.CONFIGURATION;
      hint = "The project does not store role passwords; pass the connection string's password another way.";
    } else if (status >= 500) {
      errorCode = ErrorCode.REMOTE_API;
      hint = call.read() ? "Neon could not answer; try again later." : "Neon may have applied the change; check the project before trying again.";
    } else {
      errorCode = ErrorCode.REMOTE_API;
      hint = "Neon refused the request and changed nothing; check the names, instants and options given and try again.";
    }
    return new NeonApiException(errorCode, what + ". " + hint, status, code, requestId, attempts, earlierMayHaveApplied);
  }

  /** What to check when Neon says a path does not exist, by what the path names. */
  static String notFoundHint(List<String> segments) {
    if (segments.size() < 2 || !segments.get(0).equals("projects")) {
      return "Check neon.apiUrl / NEON_API_URL: it must be the API base, e.g. " + NeonSettings.DEFAULT_API_URL + ".";
    }
    String p = segments.get(1);
    String project = "Check the project id in neon://" + p + " and that the API key belongs to the account or organization that owns it";
    if (segments.size() == 2) {
      return "Neon project " + p + " does not exist or the API key cannot see it. " + project + ".";
    }
    String kind = segments.get(2);
    if (segments.size() >= 6 && kind.equals("branches") && segments.get(4).equals("roles")) {
      return "Branch " + segments.get(3) + " has no role '" + segments.get(5) + "'. Name an existing role in the location (neon://" + p
          + "/BRANCH?role=NAME), or leave it out for the database's owner.";
    }
    if (segments.size() >= 4 && kind.equals("branches")) {
      return "Neon project " + p + " has no branch " + segments.get(3) + " (or the project itself is not there). List the branches with "
          + "'lifeboat branch list --on neon://" + p + "'. " + project + ".";
    }
    if (segments.size() >= 4 && kind.equals("snapshots")) {
      return "Neon project " + p + " has no snapshot " + segments.get(3) + ". " + project + ".";
    }
    if (segments.size() >= 4 && kind.equals("operations")) {
      return "Neon no longer knows operation " + segments.get(3) + " of project " + p + "; look at the project in the Neon console.";
    }
    return "Neon project " + p + " does not exist or the API key cannot see it. " + project + ".";
  }

  private LifeboatException giveUp(Call call, Transient t, int attempts) {
    String tries = attempts + (attempts == 1 ? " attempt" : " attempts");
    if (t.connectionFailure()) {
      return new LifeboatException(ErrorCode.CONNECTION,
          "Cannot reach the Neon API at " + Location.redact(settings.apiUrl()) + " (" + call.method() + " " + call.path() + ", "
              + tries + "): " + t.neonMessage + ". Check the network and neon.apiUrl / NEON_API_URL.", t.getCause());
    }
    String hint;
    if (t.retryAfter != null && !fitsBefore(t.retryAfter, System.nanoTime())) {
      hint = "Neon asked to wait " + t.retryAfter.toSeconds() + " s, longer than neon.retry.maxTime allows; try again later or raise it.";
    } else if (t.status == 423) {
      hint = "Another operation is running on the project; try again when it has finished, or raise neon.retry.maxAttempts / neon.retry.maxTime.";
    } else if (t.status == 429) {
      hint = "Neon's rate limit was reached (about 700 requests a minute per account); wait a minute and try again, or raise neon.retry.maxTime.";
    } else if (t.mayHaveApplied() && !call.read()) {
      hint = "Neon may have applied the change; check the project before trying again.";
    } else {
      hint = "Neon is unavailable; try again later (Neon's status page tells when it is back), or raise neon.retry.maxAttempts.";
    }
    return new NeonApiException(ErrorCode.REMOTE_API,
        "Neon API " + call.method() + " " + call.path() + " still answered " + t.status + (t.neonCode.isEmpty() ? "" : " " + t.neonCode)
            + ": " + t.neonMessage + " (request id " + t.requestId + ") after " + tries + ". " + hint,
        t.status, t.neonCode, t.requestId, attempts, t.mayHaveApplied());
  }

  private static String describe(Throwable t) {
    if (t instanceof Transient tr) {
      return tr.connectionFailure() ? "connection failed (" + tr.neonMessage + ")" : "status " + tr.status;
    }
    return ServerText.oneLine(String.valueOf(t), ServerText.MAX_MESSAGE);
  }

  /** {@code Retry-After} in seconds or as an HTTP date. */
  private static Duration retryAfter(Response response) {
    String value = response.header("Retry-After");
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(Instant.now(), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (java.time.format.DateTimeParseException notDate) {
        return null;
      }
    }
  }

  // ---------------------------------------------------------------- JSON

  private JsonNode parse(String text, Call call) {
    try {
      return mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new LifeboatException(ErrorCode.REMOTE_API,
          "Neon API " + call.method() + " " + call.path() + " answered with text that is not JSON: "
              + ServerText.oneLine(e.getOriginalMessage(), ServerText.MAX_MESSAGE) + ". A proxy between Lifeboat and Neon may have answered; check neon.apiUrl / NEON_API_URL.");
    }
  }

  private JsonNode parseQuietly(String text) {
    try {
      JsonNode n = mapper.readTree(text);
      return n == null ? mapper.missingNode() : n;
    } catch (JsonProcessingException e) {
      return mapper.missingNode();
    }
  }

  private <T> T read(JsonNode node, Class<T> type) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      throw new LifeboatException(ErrorCode.REMOTE_API, "Neon's answer lacks the expected " + type.getSimpleName() + " object.");
    }
    try {
      return mapper.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new LifeboatException(ErrorCode.REMOTE_API, "Cannot read Neon's " + type.getSimpleName() + ": " + ServerText.oneLine(e.getOriginalMessage(), ServerText.MAX_MESSAGE) + ".");
    }
  }

  private <T> List<T> readList(JsonNode node, Class<T> type) {
    List<T> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(n -> out.add(read(n, type)));
    }
    return out;
  }

  private byte[] write(JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 3339 UTC with second precision, as Neon wants for {@code expires_at}. */
  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String unpooled(String uri) {
    return uri.replaceFirst("(@[^/:?]*?)-pooler\\.", "$1.");
  }

  private static String unpooledHost(String host) {
    return host.replaceFirst("-pooler\\.", ".");
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

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

  private static void sleep(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatException(ErrorCode.TIMEOUT, "Interrupted while waiting for Neon.");
    }
  }

  /** Adds the bearer key and the JSON and request-id headers; the only place the key is used. */
  private static final class KeyInterceptor implements Interceptor {
    private final String key;

    KeyInterceptor(String key) {
      this.key = key;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
      Request original = chain.request();
      Request.Builder b = original.newBuilder()
          .header("Authorization", "Bearer " + key)
          .header("Accept", "application/json");
      if (original.header("X-Request-ID") == null) {
        b.header("X-Request-ID", UUID.randomUUID().toString());
      }
      return chain.proceed(b.build());
    }

    @Override
    public String toString() {
      return "KeyInterceptor[key hidden]";
    }
  }
}
