package dev.lifeboat.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small stateful GitHub on two real HTTP servers (WireMock, with one transformer that keeps the
 * state): the REST API and upload endpoints on {@code localhost}, and the asset host that
 * downloads are redirected to on {@code 127.0.0.1} (another host name, as
 * {@code objects.githubusercontent.com} is). It behaves as the notes in
 * {@code ../shared/specs/operations-notes.md} §5 describe: releases (drafts, publish, delete),
 * assets (upload with {@code Content-Length}, 422 {@code already_exists}, {@code starter} left by
 * a failed upload, SHA-256 {@code digest}), pages with {@code Link} headers that are shorter than
 * {@code per_page} when asked to, 302 downloads, tags, and answers queued by tests (rate limits).
 *
 * <p>Every request is recorded with its host and whether it carried the token.
 */
public final class FakeGitHub implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REPO = Pattern.compile("/repos/([^/]+)/([^/?]+)");

  /** One request as the fake saw it. */
  public record Seen(String host, String method, String path, String authorization, Map<String, String> headers) {}

  /** An asset. */
  public static final class Asset {
    public final long id;
    public final String name;
    public volatile String state;
    public volatile byte[] bytes;
    public volatile String digest;
    public volatile Instant updatedAt;

    Asset(long id, String name, String state, byte[] bytes, Instant at) {
      this.id = id;
      this.name = name;
      this.state = state;
      this.bytes = bytes;
      this.digest = "sha256:" + sha256(bytes);
      this.updatedAt = at;
    }
  }

  /** A release. */
  public static final class Release {
    public final long id;
    public final String repo;
    public final String tag;
    public volatile boolean draft;
    public final Instant createdAt;
    public final List<Asset> assets = new CopyOnWriteArrayList<>();

    Release(long id, String repo, String tag, boolean draft, Instant createdAt) {
      this.id = id;
      this.repo = repo;
      this.tag = tag;
      this.draft = draft;
      this.createdAt = createdAt;
    }
  }

  /** What an upload does instead of succeeding. */
  public enum UploadFault {
    /** GitHub's upstream failure: an empty asset in state {@code starter} and a 502. */
    STARTER_AND_502,
    /** The asset is stored whole, but the answer is a 502 (the client cannot know it landed). */
    LANDED_AND_502,
    /** The connection is cut after the body was sent; nothing is stored. */
    RESET
  }

  private final String token;
  private final WireMockServer api;
  private final WireMockServer assetHost;
  private final AtomicLong ids = new AtomicLong(1000);
  private final Map<String, ObjectNode> repos = new ConcurrentHashMap<>();
  private final Map<Long, Release> releases = new ConcurrentHashMap<>();
  private final Set<String> tags = ConcurrentHashMap.newKeySet();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Deque<Map.Entry<Predicate<Request>, ResponseDefinition>> queued = new ArrayDeque<>();
  private final Deque<Map.Entry<Predicate<String>, UploadFault>> uploadFaults = new ArrayDeque<>();
  private final Deque<Map.Entry<Predicate<String>, Integer>> downloadCuts = new ArrayDeque<>();
  private final Deque<Predicate<String>> expiredLinks = new ArrayDeque<>();
  private volatile int pageSize = 100;
  private volatile boolean redirectDownloads = true;
  private volatile boolean refuseDeletes;
  /** Old full name to new, of repositories renamed or transferred. */
  private final Map<String, String> renamed = new ConcurrentHashMap<>();
  private final Set<String> immutable = ConcurrentHashMap.newKeySet();

  /** A fake GitHub that accepts {@code token} only. */
  public FakeGitHub(String token) {
    this.token = token;
    this.assetHost = new WireMockServer(wireMockConfig().dynamicPort().disableRequestJournal().extensions(new AssetHost()));
    this.api = new WireMockServer(wireMockConfig().dynamicPort().disableRequestJournal().extensions(new Api()));
    assetHost.start();
    api.start();
    assetHost.stubFor(any(anyUrl()).willReturn(aResponse()));
    api.stubFor(any(anyUrl()).willReturn(aResponse()));
  }

  /** The API base, as {@code GITHUB_API_URL} takes it. */
  public String apiUrl() {
    return "http://localhost:" + api.port();
  }

  /** The host name and port downloads are redirected to. */
  public String assetHostAndPort() {
    return "127.0.0.1:" + assetHost.port();
  }

  /** Adds repository {@code owner/name}. */
  public FakeGitHub repo(String fullName, boolean isPrivate) {
    ObjectNode r = JSON.createObjectNode();
    r.put("id", ids.incrementAndGet());
    r.put("full_name", fullName);
    r.put("private", isPrivate);
    r.put("visibility", isPrivate ? "private" : "public");
    r.put("archived", false);
    r.putObject("permissions").put("admin", false).put("push", true).put("pull", true);
    repos.put(fullName, r);
    return this;
  }

  /** Makes the releases of {@code fullName} immutable once published, as the repository setting does. */
  public FakeGitHub immutableReleases(String fullName) {
    immutable.add(fullName);
    return this;
  }

  /** Lists at most {@code n} items a page, whatever {@code per_page} asks for (GitHub may). */
  public FakeGitHub pageSize(int n) {
    this.pageSize = n;
    return this;
  }

  /** Whether asset downloads answer 302 to the asset host (else 200 with the bytes). */
  public FakeGitHub redirectDownloads(boolean redirect) {
    this.redirectDownloads = redirect;
    return this;
  }

  /**
   * {@code oldName} was renamed (or transferred) to {@code newName}: as GitHub does, every API call
   * on the old name is answered 301 (GET) or 307 (other methods) to the same path under the new
   * name, query kept, with {@code {"message":"Moved Permanently","url":…}}.
   */
  public FakeGitHub renamed(String oldName, String newName) {
    renamed.put(oldName, newName);
    return this;
  }

  /** While set, every DELETE answers 500 (a network or GitHub failure while cleaning up). */
  public FakeGitHub refuseDeletes(boolean refuse) {
    this.refuseDeletes = refuse;
    return this;
  }

  /** The next request that {@code matches} gets this answer instead. */
  public synchronized FakeGitHub enqueue(String method, String pathRegex, int status, Map<String, String> headers, String body) {
    Pattern p = Pattern.compile(pathRegex);
    ResponseDefinitionBuilder b = aResponse().withStatus(status).withBody(body).withHeader("Content-Type", "application/json");
    headers.forEach(b::withHeader);
    queued.addLast(Map.entry(r -> r.getMethod().getName().equals(method) && p.matcher(path(r)).matches(), b.build()));
    return this;
  }

  /** The next upload of an asset whose name matches gets {@code fault}. */
  public synchronized FakeGitHub failUpload(String nameRegex, UploadFault fault) {
    Pattern p = Pattern.compile(nameRegex);
    uploadFaults.addLast(Map.entry(n -> p.matcher(n).matches(), fault));
    return this;
  }

  /**
   * The next download of an asset whose name matches stops after {@code bytes} bytes (a dropped
   * connection, as the client sees it: fewer bytes than the asset has).
   */
  public synchronized FakeGitHub cutDownload(String nameRegex, int bytes) {
    Pattern p = Pattern.compile(nameRegex);
    downloadCuts.addLast(Map.entry(n -> p.matcher(n).matches(), bytes));
    return this;
  }

  /**
   * The next download of an asset whose name matches is redirected to a signed link that has
   * already expired, which the asset host refuses with 403 (a link handed out before a long wait).
   */
  public synchronized FakeGitHub expireNextLink(String nameRegex) {
    Pattern p = Pattern.compile(nameRegex);
    expiredLinks.addLast(n -> p.matcher(n).matches());
    return this;
  }

  private synchronized boolean linkExpires(String assetName) {
    for (var it = expiredLinks.iterator(); it.hasNext(); ) {
      if (it.next().test(assetName)) {
        it.remove();
        return true;
      }
    }
    return false;
  }

  /** Every request so far. */
  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** The releases of {@code fullName}, oldest first. */
  public List<Release> releases(String fullName) {
    return releases.values().stream().filter(r -> r.repo.equals(fullName)).sorted(Comparator.comparingLong(r -> r.id)).toList();
  }

  /** The git tags that exist. */
  public Set<String> tags() {
    return Set.copyOf(tags);
  }

  @Override
  public void close() {
    api.stop();
    assetHost.stop();
  }

  // ------------------------------------------------------------------------------------ the API

  private final class Api implements ResponseDefinitionTransformerV2 {
    @Override
    public String getName() {
      return "fake-github";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      Request r = event.getRequest();
      seen.add(new Seen("localhost", r.getMethod().getName(), path(r), r.getHeader("Authorization"), headers(r)));
      synchronized (FakeGitHub.this) {
        for (var it = queued.iterator(); it.hasNext(); ) {
          var e = it.next();
          if (e.getKey().test(r)) {
            it.remove();
            return e.getValue();
          }
        }
      }
      if (!("Bearer " + token).equals(r.getHeader("Authorization"))) {
        return error(401, "Bad credentials");
      }
      Matcher moved = REPO.matcher(path(r));
      String newName = moved.lookingAt() ? renamed.get(moved.group(1) + "/" + moved.group(2)) : null;
      if (newName != null) {
        String url = r.getAbsoluteUrl();
        int at = url.indexOf(moved.group());
        String target = url.substring(0, at) + "/repos/" + newName + url.substring(at + moved.group().length());
        return aResponse().withStatus(r.getMethod().getName().equals("GET") ? 301 : 307).withHeader("Location", target)
            .withHeader("Content-Type", "application/json")
            .withBody("{\"message\":\"Moved Permanently\",\"url\":\"" + target + "\"}").build();
      }
      try {
        return route(r);
      } catch (RuntimeException e) {
        return error(500, "fake failure: " + e);
      }
    }
  }

  private synchronized ResponseDefinition route(Request r) {
    String method = r.getMethod().getName();
    String path = path(r);
    if (method.equals("DELETE") && refuseDeletes) {
      return error(500, "Server Error");
    }
    Matcher m;
    if ((m = Pattern.compile("/uploads/repos/([^/]+/[^/]+)/releases/(\\d+)/assets").matcher(path)).matches() && method.equals("POST")) {
      return upload(m.group(1), Long.parseLong(m.group(2)), r);
    }
    Matcher repoM = REPO.matcher(path);
    if (!repoM.lookingAt()) {
      return error(404, "Not Found");
    }
    String fullName = repoM.group(1) + "/" + repoM.group(2);
    ObjectNode repo = repos.get(fullName);
    if (repo == null) {
      return error(404, "Not Found");
    }
    String rest = path.substring(repoM.end());
    if (rest.isEmpty() && method.equals("GET")) {
      return json(200, repo);
    }
    if (rest.equals("/releases") && method.equals("GET")) {
      List<JsonNode> all = releases(fullName).stream().sorted(Comparator.comparingLong((Release x) -> x.id).reversed())
          .map(this::releaseJson).map(JsonNode.class::cast).toList();
      return page(r, all);
    }
    if (rest.equals("/releases") && method.equals("POST")) {
      JsonNode body = read(r.getBody());
      String tag = body.path("tag_name").asText();
      if (tags.contains(tag) || releases(fullName).stream().anyMatch(x -> x.tag.equals(tag))) {
        return validation("Release", "already_exists", "tag_name");
      }
      Release rel = new Release(ids.incrementAndGet(), fullName, tag, body.path("draft").asBoolean(false), Instant.now());
      releases.put(rel.id, rel);
      if (!rel.draft) {
        tags.add(tag);
      }
      return json(201, releaseJson(rel));
    }
    if ((m = Pattern.compile("/releases/(\\d+)").matcher(rest)).matches()) {
      Release rel = releases.get(Long.parseLong(m.group(1)));
      if (rel == null || !rel.repo.equals(fullName)) {
        return error(404, "Not Found");
      }
      switch (method) {
        case "GET":
          return json(200, releaseJson(rel));
        case "PATCH":
          JsonNode body = read(r.getBody());
          if (body.has("draft") && !body.path("draft").asBoolean()) {
            rel.draft = false;
            tags.add(rel.tag);
          }
          return json(200, releaseJson(rel));
        case "DELETE":
          releases.remove(rel.id);
          // As GitHub does: the git tag stays.
          return aResponse().withStatus(204).build();
        default:
          return error(404, "Not Found");
      }
    }
    if ((m = Pattern.compile("/releases/(\\d+)/assets").matcher(rest)).matches() && method.equals("GET")) {
      Release rel = releases.get(Long.parseLong(m.group(1)));
      if (rel == null) {
        return error(404, "Not Found");
      }
      return page(r, rel.assets.stream().map(a -> (JsonNode) assetJson(rel, a)).toList());
    }
    if ((m = Pattern.compile("/releases/assets/(\\d+)").matcher(rest)).matches()) {
      long id = Long.parseLong(m.group(1));
      Release rel = releases(fullName).stream().filter(x -> x.assets.stream().anyMatch(a -> a.id == id)).findFirst().orElse(null);
      if (rel == null) {
        return error(404, "Not Found");
      }
      Asset asset = rel.assets.stream().filter(a -> a.id == id).findFirst().orElseThrow();
      if (method.equals("DELETE")) {
        if (!rel.draft && immutable.contains(fullName)) {
          return error(422, "Cannot delete assets of an immutable release.");
        }
        rel.assets.remove(asset);
        return aResponse().withStatus(204).build();
      }
      if (method.equals("GET") && "application/octet-stream".equals(r.getHeader("Accept"))) {
        if (redirectDownloads) {
          String signature = linkExpires(asset.name) ? "expired" : "signed";
          return aResponse().withStatus(302).withHeader("Location", "http://" + assetHostAndPort() + "/blob/" + id + "?sig=" + signature).build();
        }
        return aResponse().withStatus(200).withHeader("Content-Type", "application/octet-stream").withBody(asset.bytes).build();
      }
      if (method.equals("GET")) {
        return json(200, assetJson(rel, asset));
      }
    }
    if ((m = Pattern.compile("/git/refs/tags/(.+)").matcher(rest)).matches() && method.equals("DELETE")) {
      String tag = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
      if (!tags.remove(tag)) {
        return error(422, "Reference does not exist");
      }
      return aResponse().withStatus(204).build();
    }
    return error(404, "Not Found");
  }

  private ResponseDefinition upload(String fullName, long releaseId, Request r) {
    Release rel = releases.get(releaseId);
    if (rel == null || !rel.repo.equals(fullName)) {
      return error(404, "Not Found");
    }
    if (r.getHeader("Content-Length") == null) {
      return error(411, "Length Required");
    }
    if (r.getHeader("Content-Type") == null) {
      return error(422, "Content-Type is required");
    }
    String name = r.queryParameter("name").firstValue();
    if (!rel.draft && immutable.contains(fullName)) {
      return error(422, "Cannot upload assets to an immutable release.");
    }
    if (rel.assets.stream().anyMatch(a -> a.name.equals(name))) {
      return validation("ReleaseAsset", "already_exists", "name");
    }
    byte[] body = r.getBody();
    if (body.length != Long.parseLong(r.getHeader("Content-Length"))) {
      return error(400, "Bad Content-Length");
    }
    UploadFault fault = null;
    for (var it = uploadFaults.iterator(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().test(name)) {
        it.remove();
        fault = e.getValue();
        break;
      }
    }
    if (fault == UploadFault.RESET) {
      return aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER).build();
    }
    if (fault == UploadFault.STARTER_AND_502) {
      rel.assets.add(new Asset(ids.incrementAndGet(), name, "starter", new byte[0], Instant.now()));
      return error(502, "Bad Gateway");
    }
    Asset asset = new Asset(ids.incrementAndGet(), name, "uploaded", body, Instant.now());
    rel.assets.add(asset);
    if (fault == UploadFault.LANDED_AND_502) {
      return error(502, "Bad Gateway");
    }
    return json(201, assetJson(rel, asset));
  }

  // ------------------------------------------------------------------------------ the asset host

  private final class AssetHost implements ResponseDefinitionTransformerV2 {
    @Override
    public String getName() {
      return "fake-github-assets";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      Request r = event.getRequest();
      seen.add(new Seen("127.0.0.1", r.getMethod().getName(), path(r), r.getHeader("Authorization"), headers(r)));
      Matcher m = Pattern.compile("/blob/(\\d+)").matcher(path(r));
      if (!m.matches() || !"signed".equals(r.queryParameter("sig").firstValue())) {
        return aResponse().withStatus(403).withBody("<Error><Code>AccessDenied</Code></Error>").build();
      }
      if (r.getHeader("Authorization") != null) {
        // As a signed-URL blob store does: a second credential is refused.
        return aResponse().withStatus(400).withBody("<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>").build();
      }
      long id = Long.parseLong(m.group(1));
      for (Release rel : releases.values()) {
        for (Asset a : rel.assets) {
          if (a.id == id) {
            return assetBytes(r, a);
          }
        }
      }
      return aResponse().withStatus(404).withBody("<Error><Code>NoSuchKey</Code></Error>").build();
    }
  }

  /** The asset's bytes, from the {@code Range} asked for (206), cut short when a test asked so. */
  private synchronized ResponseDefinition assetBytes(Request r, Asset a) {
    byte[] bytes = a.bytes;
    int from = 0;
    String range = r.getHeader("Range");
    if (range != null) {
      Matcher m = Pattern.compile("bytes=(\\d+)-").matcher(range);
      if (!m.matches() || Integer.parseInt(m.group(1)) >= bytes.length) {
        return aResponse().withStatus(416).build();
      }
      from = Integer.parseInt(m.group(1));
    }
    byte[] body = java.util.Arrays.copyOfRange(bytes, from, bytes.length);
    ResponseDefinitionBuilder b = aResponse().withStatus(range == null ? 200 : 206).withHeader("Content-Type", "application/octet-stream");
    if (range != null) {
      b.withHeader("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
    }
    for (var it = downloadCuts.iterator(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().test(a.name)) {
        it.remove();
        return b.withBody(java.util.Arrays.copyOf(body, Math.min(body.length, e.getValue()))).build();
      }
    }
    return b.withBody(body).build();
  }

  // ---------------------------------------------------------------------------------- the JSON

  private ObjectNode releaseJson(Release rel) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", rel.id);
    n.put("tag_name", rel.tag);
    n.put("name", rel.tag);
    n.put("draft", rel.draft);
    n.put("prerelease", false);
    n.put("created_at", rel.createdAt.toString());
    n.put("upload_url", apiUrl() + "/uploads/repos/" + rel.repo + "/releases/" + rel.id + "/assets{?name,label}");
    ArrayNode assets = n.putArray("assets");
    rel.assets.forEach(a -> assets.add(assetJson(rel, a)));
    return n;
  }

  private ObjectNode assetJson(Release rel, Asset a) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", a.id);
    n.put("name", a.name);
    n.put("state", a.state);
    n.put("size", a.bytes.length);
    n.put("digest", a.digest);
    n.put("content_type", "application/octet-stream");
    n.put("url", apiUrl() + "/repos/" + rel.repo + "/releases/assets/" + a.id);
    n.put("created_at", a.updatedAt.toString());
    n.put("updated_at", a.updatedAt.toString());
    return n;
  }

  private ResponseDefinition page(Request r, List<JsonNode> all) {
    int perPage = Math.min(100, parseInt(r.queryParameter("per_page").isPresent() ? r.queryParameter("per_page").firstValue() : null, 30));
    int size = Math.min(perPage, pageSize);
    int page = parseInt(r.queryParameter("page").isPresent() ? r.queryParameter("page").firstValue() : null, 1);
    int from = Math.min(all.size(), (page - 1) * size);
    int to = Math.min(all.size(), from + size);
    ArrayNode items = JSON.createArrayNode();
    all.subList(from, to).forEach(items::add);
    ResponseDefinitionBuilder b = aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(items.toString());
    if (to < all.size()) {
      String base = apiUrl() + path(r) + "?per_page=" + perPage + "&page=";
      b.withHeader("Link", "<" + base + (page + 1) + ">; rel=\"next\", <" + base + ((all.size() + size - 1) / size) + ">; rel=\"last\"");
    }
    return b.build();
  }

  private static ResponseDefinition json(int status, JsonNode body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body.toString()).build();
  }

  private static ResponseDefinition error(int status, String message) {
    ObjectNode n = JSON.createObjectNode();
    n.put("message", message);
    n.put("documentation_url", "https://docs.github.com/rest");
    n.put("status", String.valueOf(status));
    return json(status, n);
  }

  private static ResponseDefinition validation(String resource, String code, String field) {
    ObjectNode n = JSON.createObjectNode();
    n.put("message", "Validation Failed");
    n.putArray("errors").addObject().put("resource", resource).put("code", code).put("field", field);
    n.put("documentation_url", "https://docs.github.com/rest");
    return json(422, n);
  }

  private static JsonNode read(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String path(Request r) {
    String url = r.getUrl();
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  private static Map<String, String> headers(Request r) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : r.getAllHeaderKeys()) {
      out.put(k, r.getHeader(k));
    }
    return out;
  }

  private static int parseInt(String s, int fallback) {
    try {
      return s == null ? fallback : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Replaces an asset's bytes; {@code recomputeDigest} as a re-upload would, else as rot on GitHub's disks. */
  public void replaceBytes(Asset a, byte[] bytes, boolean recomputeDigest) {
    a.bytes = bytes;
    if (recomputeDigest) {
      a.digest = "sha256:" + sha256(bytes);
    }
  }

  /** A snapshot of the queued items count, for tests that check they were used. */
  public synchronized int queuedLeft() {
    return queued.size();
  }

  static List<String> names(Release r) {
    List<String> out = new ArrayList<>();
    r.assets.forEach(a -> out.add(a.name));
    return out;
  }
}
