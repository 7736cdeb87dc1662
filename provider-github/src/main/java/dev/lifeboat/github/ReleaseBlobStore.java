package dev.lifeboat.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Json;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.spi.Blob;
import dev.lifeboat.spi.BlobOutput;
import dev.lifeboat.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GitHub repository's releases as a {@link BlobStore}: key {@code FOLDER/NAME} is the asset
 * {@code NAME} of the release tagged {@code lifeboat-FOLDER}. Core keeps each snapshot in one
 * release ({@code ID/writer.json}, {@code ID/archive.…}, {@code ID/manifest.json}), drill records
 * in the draft release {@code lifeboat-drills}.
 *
 * <ul>
 *   <li>A release is created as a <b>draft</b> when its first asset is uploaded. While a snapshot's
 *       release is a draft, only its {@code writer.json} is listed under its own key; its other
 *       assets are listed under hidden names ({@code ID/.NAME}), so the snapshot is never listed
 *       and core's sweep removes it once its writer is gone. Uploading {@code manifest.json} is the
 *       commit: the writer record is removed and the release <b>published</b> (not marked latest).
 *   <li>An asset is at most {@code github.partSize} bytes (below GitHub's 2 GiB limit). A longer
 *       blob is uploaded as {@code NAME.part-001}, {@code NAME.part-002}, …, the last one named
 *       {@code NAME.part-NNN-of-NNN}; it is listed and read as {@code NAME} only once every part
 *       is there. Each part is spooled to a private scratch file first (GitHub needs its length).
 *   <li>Assets in state {@code starter} (an upload GitHub did not finish) are listed under hidden
 *       names, so a sweep deletes them. When a release loses its last asset, or a published
 *       snapshot its manifest, the whole release goes, and with it its git tag.
 *   <li>An upload answered with 422 {@code already_exists}, a 5xx or nothing is resolved against
 *       the asset GitHub lists: same size and SHA-256 = it landed; {@code starter} = deleted and
 *       uploaded again; other content = an error (backups are write-once).
 *   <li>Downloads check each asset's size and GitHub's SHA-256 ({@link AssetCheckingStream}).
 * </ul>
 */
public final class ReleaseBlobStore implements BlobStore {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseBlobStore.class);
  /** Every release this store makes is tagged with this prefix; others are never touched. */
  public static final String TAG_PREFIX = "lifeboat-";
  static final String MANIFEST = "manifest.json";
  static final String WRITER = "writer.json";
  private static final String STARTER = ".starter-";
  private static final String EMPTY_RELEASE = ".release";
  private static final Pattern PART = Pattern.compile("(.+)\\.part-(\\d{3,})(?:-of-(\\d{3,}))?");
  private static final Pattern FOLDER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");

  private final Location location;
  private final GitHubLocation repo;
  private final GitHubSettings settings;
  private final GitHubHttp http;
  private final Map<String, Long> releaseIds = new ConcurrentHashMap<>();
  private volatile JsonNode repository;
  /** The last listing, for reads right after it; dropped by every change this store makes. */
  private volatile Listing listing;

  /** Releases as listed at {@code atNanos}, by folder. */
  private record Listing(long atNanos, Map<String, Release> byFolder) {}

  /**
   * How long a listing serves reads of published snapshot releases: core reads each listed
   * snapshot's manifest right after listing, and a published snapshot's release only changes by
   * being deleted; reusing it saves two requests a snapshot (GitHub Actions' token has 1000 an hour).
   */
  private static final long LISTING_REUSE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

  ReleaseBlobStore(Location location, GitHubLocation repo, GitHubSettings settings, GitHubHttp http) {
    this.location = location;
    this.repo = repo;
    this.settings = settings;
    this.http = http;
  }

  @Override
  public Location location() {
    return location;
  }

  /**
   * Reads the repository: one that does not exist (or that the token cannot see) is
   * {@code NOT_FOUND}; for writing, an archived one, or one the token may not write, is
   * {@code CONFIGURATION}.
   */
  @Override
  public void checkUsable(boolean forWriting) {
    JsonNode r = repository();
    if (!forWriting) {
      return;
    }
    if (r.path("archived").asBoolean(false)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "Repository " + repo.fullName() + " is archived (read-only): no release can be created in it. Unarchive it or choose another repository.");
    }
    JsonNode push = r.path("permissions").path("push");
    if (push.isBoolean() && !push.asBoolean()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "The token may read " + repo.fullName() + " but not write it: it needs Contents read and write (fine-grained token), the repo scope "
              + "(classic token) or 'permissions: contents: write' (GitHub Actions).");
    }
  }

  /**
   * A public repository (or one whose visibility GitHub does not report as private or internal)
   * refuses unencrypted snapshots: anyone may download its releases.
   */
  @Override
  public Optional<String> refusesUnencrypted() {
    JsonNode r = repository();
    String visibility = r.path("visibility").asText("");
    boolean isPublic = visibility.isEmpty() ? !r.path("private").asBoolean(false) : visibility.equals("public");
    if (!isPublic) {
      return Optional.empty();
    }
    return Optional.of(repo.fullName() + " is a public repository, so anyone could download the database dump from its releases. "
        + "Use a private repository.");
  }

  private JsonNode repository() {
    JsonNode r = repository;
    if (r == null) {
      try {
        r = http.call("GET", http.api("repos", repo.owner(), repo.repo()), null, true);
      } catch (GitHubApiException e) {
        if (e.status() == 404) {
          throw new LifeboatException(ErrorCode.NOT_FOUND, "Repository " + repo.fullName() + " does not exist or the token cannot see it. "
              + "Check " + repo + " and that GITHUB_TOKEN (or GH_TOKEN) has access to the repository.");
        }
        throw e;
      }
      repository = r;
    }
    return r;
  }

  @Override
  public BlobOutput put(String key) {
    String[] k = split(key);
    return new ReleaseOutput(this, k[0], k[1], settings.partSize(), settings.scratchDir());
  }

  @Override
  public InputStream get(String key) {
    String[] k = split(key);
    Release release = findForRead(k[0]).orElseThrow(() -> notFound(key));
    List<ReleaseAsset> assets = readable(release, k[0], k[1]);
    if (assets.isEmpty()) {
      throw notFound(key);
    }
    String where = "release " + release.tag() + " in " + repo.fullName();
    Iterator<ReleaseAsset> it = assets.iterator();
    return new SequenceInputStream(new java.util.Enumeration<InputStream>() {
      @Override
      public boolean hasMoreElements() {
        return it.hasNext();
      }

      @Override
      public InputStream nextElement() {
        ReleaseAsset a = it.next();
        HttpUrl url = assetUrl(a);
        InputStream bytes = new ResumingDownload(offset -> http.download(url, offset), a.name() + " of " + where, a.size(), settings.maxAttempts());
        return new AssetCheckingStream(bytes, a, where);
      }
    });
  }

  @Override
  public List<Blob> list(String prefix) {
    int slash = prefix.indexOf('/');
    List<Blob> out = new ArrayList<>();
    if (slash >= 0) {
      String folder = prefix.substring(0, slash);
      findForRead(folder).ifPresent(r -> blobsOf(folder, r).stream().filter(b -> b.key().startsWith(prefix)).forEach(out::add));
      return out;
    }
    for (Release r : releases()) {
      String folder = r.tag().substring(TAG_PREFIX.length());
      if (!folder.startsWith(prefix)) {
        continue;
      }
      // A snapshot's release holds a handful of assets, all in the release object; other
      // releases (drill records) may hold more than it shows, so theirs are listed page by page.
      Release full = SnapshotIds.isValid(folder) ? r : r.withAssets(assets(r));
      out.addAll(blobsOf(folder, full));
    }
    return out;
  }

  @Override
  public void delete(String key) {
    String[] k = split(key);
    Optional<Release> found = find(k[0]);
    if (found.isEmpty()) {
      return;
    }
    Release release = found.get();
    if (!release.draft() && k[1].equals(MANIFEST) && SnapshotIds.isValid(k[0])) {
      // The snapshot stops being one at once, whole, as core's protocol wants of a manifest delete.
      deleteRelease(release, k[0]);
      return;
    }
    List<ReleaseAsset> targets = named(release, k[1]);
    for (ReleaseAsset a : targets) {
      deleteAsset(a);
    }
    boolean emptied = release.assets().size() <= targets.size();
    if (emptied) {
      deleteRelease(release, k[0]);
    }
  }

  @Override
  public String toString() {
    return "ReleaseBlobStore[" + repo + "]";
  }

  // ---------------------------------------------------------------- the view of releases as blobs

  /** The blobs release {@code r} shows under {@code FOLDER/…}. */
  static List<Blob> blobsOf(String folder, Release r) {
    List<Blob> out = new ArrayList<>();
    if (r.assets().isEmpty()) {
      // Created, then its writer died before the first upload: listed so that a sweep removes it.
      out.add(new Blob(folder + "/" + EMPTY_RELEASE, 0, r.createdAt()));
      return out;
    }
    boolean draftSnapshot = r.draft() && SnapshotIds.isValid(folder);
    Map<String, List<ReleaseAsset>> parts = new TreeMap<>();
    for (ReleaseAsset a : r.assets()) {
      if (!a.uploaded()) {
        out.add(new Blob(folder + "/" + STARTER + a.id(), a.size(), a.updatedAt()));
      } else if (draftSnapshot && !a.name().equals(WRITER)) {
        out.add(new Blob(folder + "/." + a.name(), a.size(), a.updatedAt()));
      } else {
        Matcher m = PART.matcher(a.name());
        if (m.matches()) {
          parts.computeIfAbsent(m.group(1), x -> new ArrayList<>()).add(a);
        } else {
          out.add(new Blob(folder + "/" + a.name(), a.size(), a.updatedAt()));
        }
      }
    }
    parts.forEach((base, list) -> {
      Optional<List<ReleaseAsset>> complete = completeParts(list);
      if (complete.isPresent()) {
        long size = complete.get().stream().mapToLong(ReleaseAsset::size).sum();
        Instant at = complete.get().stream().map(ReleaseAsset::updatedAt).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        out.add(new Blob(folder + "/" + base, size, at));
      } else {
        list.forEach(a -> out.add(new Blob(folder + "/." + a.name(), a.size(), a.updatedAt())));
      }
    });
    return out;
  }

  /** The parts of one blob in order, when the last ({@code -of-K}) and every one before it are there. */
  static Optional<List<ReleaseAsset>> completeParts(List<ReleaseAsset> parts) {
    Map<Integer, ReleaseAsset> byIndex = new TreeMap<>();
    int total = -1;
    for (ReleaseAsset a : parts) {
      Matcher m = PART.matcher(a.name());
      if (!m.matches() || !a.uploaded()) {
        return Optional.empty();
      }
      int index = Integer.parseInt(m.group(2));
      if (m.group(3) != null) {
        int of = Integer.parseInt(m.group(3));
        if (of != index || total >= 0) {
          return Optional.empty();
        }
        total = of;
      }
      if (byIndex.put(index, a) != null) {
        return Optional.empty();
      }
    }
    if (total < 1 || byIndex.size() != total || !byIndex.keySet().equals(new java.util.TreeSet<>(java.util.stream.IntStream.rangeClosed(1, total).boxed().toList()))) {
      return Optional.empty();
    }
    return Optional.of(List.copyOf(byIndex.values()));
  }

  /** The assets a key's name stands for in {@code r}: the asset, its parts, or the asset behind a hidden name. */
  static List<ReleaseAsset> named(Release r, String name) {
    if (name.startsWith(STARTER)) {
      String id = name.substring(STARTER.length());
      return r.assets().stream().filter(a -> String.valueOf(a.id()).equals(id)).toList();
    }
    if (name.equals(EMPTY_RELEASE)) {
      return List.of();
    }
    String n = name.startsWith(".") ? name.substring(1) : name;
    List<ReleaseAsset> exact = r.assets().stream().filter(a -> a.name().equals(n)).toList();
    if (!exact.isEmpty()) {
      return exact;
    }
    return r.assets().stream().filter(a -> {
      Matcher m = PART.matcher(a.name());
      return m.matches() && m.group(1).equals(n);
    }).toList();
  }

  /** The assets to download for {@code name}, in order; empty when it is not readable under that key. */
  private static List<ReleaseAsset> readable(Release r, String folder, String name) {
    if (name.startsWith(".") || (r.draft() && SnapshotIds.isValid(folder) && !name.equals(WRITER))) {
      return List.of();
    }
    List<ReleaseAsset> exact = r.assets().stream().filter(a -> a.name().equals(name) && a.uploaded()).toList();
    if (exact.size() == 1) {
      return exact;
    }
    List<ReleaseAsset> parts = named(r, name).stream().filter(a -> !a.name().equals(name)).toList();
    return parts.isEmpty() ? List.of() : completeParts(parts).orElse(List.of());
  }

  // ---------------------------------------------------------------- releases and assets on GitHub

  /** Every release of the repository tagged {@code lifeboat-…}, page by page. */
  List<Release> releases() {
    HttpUrl url = http.api("repos", repo.owner(), repo.repo(), "releases").newBuilder().addQueryParameter("per_page", "100").build();
    long at = System.nanoTime();
    List<Release> out = new ArrayList<>();
    for (JsonNode node : http.pages(url)) {
      Release r = Release.of(node);
      if (r.tag().startsWith(TAG_PREFIX) && r.tag().length() > TAG_PREFIX.length()) {
        out.add(r);
        releaseIds.putIfAbsent(r.tag().substring(TAG_PREFIX.length()), r.id());
      }
    }
    out.sort(Comparator.comparing(Release::tag).thenComparing(Release::id));
    Map<String, Release> byFolder = new java.util.HashMap<>();
    out.forEach(r -> byFolder.putIfAbsent(r.tag().substring(TAG_PREFIX.length()), r));
    listing = new Listing(at, Map.copyOf(byFolder));
    return out;
  }

  /**
   * The release of {@code folder} for a read: a published snapshot release from a listing made
   * moments ago (before any change by this store), else {@link #find}.
   */
  private Optional<Release> findForRead(String folder) {
    Listing l = listing;
    if (l != null && SnapshotIds.isValid(folder) && System.nanoTime() - l.atNanos() < LISTING_REUSE_NANOS) {
      Release r = l.byFolder().get(folder);
      if (r != null && !r.draft()) {
        return Optional.of(r);
      }
    }
    return find(folder);
  }

  /** The release of {@code folder} with every asset, or empty. */
  Optional<Release> find(String folder) {
    Long id = releaseIds.get(folder);
    if (id != null) {
      try {
        Release r = Release.of(http.call("GET", http.api("repos", repo.owner(), repo.repo(), "releases", String.valueOf(id)), null, true));
        if (r.tag().equals(TAG_PREFIX + folder)) {
          return Optional.of(r.withAssets(assets(r)));
        }
      } catch (GitHubApiException e) {
        if (e.status() != 404) {
          throw e;
        }
      }
      releaseIds.remove(folder, id);
    }
    for (Release r : releases()) {
      if (r.tag().equals(TAG_PREFIX + folder)) {
        releaseIds.put(folder, r.id());
        return Optional.of(r.withAssets(assets(r)));
      }
    }
    return Optional.empty();
  }

  /** Every asset of {@code r}, page by page. */
  List<ReleaseAsset> assets(Release r) {
    HttpUrl url = http.api("repos", repo.owner(), repo.repo(), "releases", String.valueOf(r.id()), "assets").newBuilder()
        .addQueryParameter("per_page", "100").build();
    return http.pages(url).stream().map(ReleaseAsset::of).toList();
  }

  /** The release of {@code folder}, created as a draft when there is none. */
  Release ensureRelease(String folder) {
    listing = null;
    Optional<Release> existing = find(folder);
    if (existing.isPresent()) {
      return existing.get();
    }
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("tag_name", TAG_PREFIX + folder);
    body.put("name", SnapshotIds.isValid(folder) ? "Lifeboat snapshot " + folder : "Lifeboat " + folder);
    body.put("body", SnapshotIds.isValid(folder)
        ? "Database snapshot " + folder + " kept by Lifeboat: the archive and its sealed manifest.json. Restore it with "
            + "`lifeboat restore --target " + repo + " --snapshot " + folder + " --into …`. Do not edit its assets."
        : "Kept by Lifeboat beside the snapshots. Do not edit its assets.");
    body.put("draft", true);
    body.put("make_latest", "false");
    HttpUrl url = http.api("repos", repo.owner(), repo.repo(), "releases");
    try {
      Release created = Release.of(http.call("POST", url, body, false));
      releaseIds.put(folder, created.id());
      return created;
    } catch (LifeboatException e) {
      // A lost answer may hide a release that was created; a 422 may mean one appeared meanwhile.
      Optional<Release> after = find(folder);
      if (after.isPresent()) {
        return after.get();
      }
      if (e instanceof GitHubApiException g && g.alreadyExists()) {
        throw new LifeboatException(ErrorCode.TARGET_FAILED, "Tag " + TAG_PREFIX + folder + " exists in " + repo.fullName()
            + " without a release (tag names used by immutable releases can never be used again). " + g.getMessage(), g);
      }
      throw e;
    }
  }

  /** Uploads {@code file} as asset {@code name} of {@code r}, resolving the answers that leave its fate open. */
  ReleaseAsset upload(Release r, String name, Path file, long size, String sha256, AtomicReference<Call> inFlight, java.util.function.BooleanSupplier aborted) {
    HttpUrl base = HttpUrl.parse(r.uploadUrl());
    if (base == null) {
      throw new LifeboatException(ErrorCode.REMOTE_API, "GitHub gave release " + r.tag() + " no usable upload URL.");
    }
    HttpUrl url = base.newBuilder().addQueryParameter("name", name).build();
    listing = null;
    LifeboatException last = null;
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      boolean alreadyExists;
      try {
        ReleaseAsset asset = ReleaseAsset.of(http.upload(url, file, inFlight));
        return checkUploaded(r, asset, name, size, sha256);
      } catch (GitHubApiException e) {
        if (!e.alreadyExists()) {
          throw e;
        }
        alreadyExists = true;
        last = e;
      } catch (TransientFailure t) {
        if (aborted.getAsBoolean()) {
          throw new LifeboatException(ErrorCode.ABORTED, "The upload of " + name + " was aborted.");
        }
        alreadyExists = false;
        last = http.gaveUp("POST " + url.encodedPath(), t);
        pause(attempt);
      }
      Optional<ReleaseAsset> landed = resolve(r, name, size, sha256, alreadyExists, last);
      if (landed.isPresent()) {
        return landed.get();
      }
    }
    throw new LifeboatException(ErrorCode.TARGET_FAILED, "Could not upload " + name + " to release " + r.tag() + " of " + repo.fullName()
        + " after " + settings.maxAttempts() + " attempts: " + (last == null ? "" : last.getMessage()), last);
  }

  /**
   * What became of an upload that GitHub answered with 422 {@code already_exists}, a 5xx or
   * nothing: the asset landed (same size and SHA-256), or it was a {@code starter} left behind
   * and is deleted so the upload can be tried again (empty), or it holds other content (error).
   */
  private Optional<ReleaseAsset> resolve(Release r, String name, long size, String sha256, boolean alreadyExists, LifeboatException answer) {
    List<ReleaseAsset> same = assets(r).stream().filter(a -> a.name().equals(name)).toList();
    if (same.isEmpty()) {
      if (alreadyExists) {
        throw new LifeboatException(ErrorCode.TARGET_FAILED, "GitHub says asset " + name + " already exists in release " + r.tag() + " of "
            + repo.fullName() + " but does not list it (a known GitHub fault). Delete the draft release " + r.tag()
            + " in the web interface and run the backup again.");
      }
      return Optional.empty();
    }
    for (ReleaseAsset a : same) {
      if (!a.uploaded()) {
        LOG.info("Deleting the unfinished asset {} (state {}) of release {} before uploading it again", a.name(), a.state(), r.tag());
        try {
          deleteAsset(a);
        } catch (LifeboatException e) {
          // The upload's own failure comes first: it is what went wrong.
          throw new LifeboatException(ErrorCode.TARGET_FAILED, "The upload of " + name + " to release " + r.tag() + " of " + repo.fullName()
              + " failed (" + answer.getMessage() + "), and the unfinished asset it left could not be deleted (" + e.getMessage() + ").", answer);
        }
        continue;
      }
      if (sameContent(r, a, size, sha256)) {
        LOG.info("Asset {} of release {} had landed although GitHub's answer did not say so", name, r.tag());
        return Optional.of(a);
      }
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "Release " + r.tag() + " of " + repo.fullName() + " already holds an asset " + name
          + " with other content (" + a.size() + " bytes" + (a.sha256().isEmpty() ? "" : ", sha256 " + a.sha256()) + "; this upload has "
          + size + " bytes, sha256 " + sha256 + "). Backups are write-once, so nothing was replaced; delete the release if it is left over.");
    }
    return Optional.empty();
  }

  /** Whether asset {@code a} holds exactly these bytes: GitHub's digest, or where it gives none, the downloaded bytes. */
  private boolean sameContent(Release r, ReleaseAsset a, long size, String sha256) {
    if (a.size() != size) {
      return false;
    }
    if (!a.sha256().isEmpty()) {
      return a.sha256().equals(sha256);
    }
    try (InputStream in = http.download(assetUrl(a))) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) >= 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest()).equals(sha256);
    } catch (IOException | NoSuchAlgorithmException e) {
      return false;
    }
  }

  private ReleaseAsset checkUploaded(Release r, ReleaseAsset asset, String name, long size, String sha256) {
    String problem = null;
    if (!asset.name().equals(name)) {
      problem = "GitHub stored it as " + asset.name();
    } else if (asset.size() != size) {
      problem = "GitHub stored " + asset.size() + " of its " + size + " bytes";
    } else if (!asset.sha256().isEmpty() && !asset.sha256().equals(sha256)) {
      problem = "GitHub computed sha256 " + asset.sha256() + ", the bytes sent have " + sha256;
    }
    if (problem != null) {
      deleteAsset(asset);
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "The upload of " + name + " to release " + r.tag() + " of " + repo.fullName()
          + " came out wrong: " + problem + ".");
    }
    return asset;
  }

  /** Deletes the assets of {@code r} that stand for {@code name} (before it is written again). */
  void deleteNamed(Release r, String name) {
    for (ReleaseAsset a : named(r, name)) {
      deleteAsset(a);
    }
  }

  /**
   * After {@code name} was uploaded to the draft release of snapshot {@code folder}: when it is
   * the manifest, the commit. The writer record goes first (a published release may be immutable),
   * then the release is published, without becoming the repository's latest release.
   */
  void afterUpload(Release r, String folder, String name) {
    listing = null;
    if (!name.equals(MANIFEST) || !SnapshotIds.isValid(folder) || !r.draft()) {
      return;
    }
    for (ReleaseAsset a : assets(r)) {
      if (a.name().equals(WRITER)) {
        deleteAsset(a);
      }
    }
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("draft", false);
    body.put("make_latest", "false");
    try {
      http.call("PATCH", http.api("repos", repo.owner(), repo.repo(), "releases", String.valueOf(r.id())), body, true);
    } catch (GitHubApiException e) {
      String hint = e.status() == 422 ? " (An empty repository cannot hold tags: push one commit to it first.)" : "";
      throw new LifeboatException(e.code(), "Could not publish release " + r.tag() + " of " + repo.fullName() + ": " + e.getMessage() + hint, e);
    }
  }

  /**
   * Whether {@code e} is GitHub refusing the writer record that core puts into a published,
   * immutable snapshot release before deleting it: harmless here, since deleting that snapshot's
   * manifest deletes its whole release in one call.
   */
  static boolean immutableRefusal(Release r, String folder, String name, GitHubApiException e) {
    return name.equals(WRITER) && !r.draft() && SnapshotIds.isValid(folder) && e.status() == 422
        && e.serverMessage().toLowerCase(java.util.Locale.ROOT).contains("immutable");
  }

  private void deleteAsset(ReleaseAsset a) {
    listing = null;
    try {
      http.call("DELETE", http.api("repos", repo.owner(), repo.repo(), "releases", "assets", String.valueOf(a.id())), null, true);
    } catch (GitHubApiException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
  }

  /** Deletes the release and, when it was published, its git tag (GitHub keeps the tag otherwise). */
  private void deleteRelease(Release r, String folder) {
    listing = null;
    try {
      http.call("DELETE", http.api("repos", repo.owner(), repo.repo(), "releases", String.valueOf(r.id())), null, true);
    } catch (GitHubApiException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
    releaseIds.remove(folder, r.id());
    if (!r.draft()) {
      try {
        http.call("DELETE", http.api("repos", repo.owner(), repo.repo(), "git", "refs", "tags", r.tag()), null, true);
      } catch (GitHubApiException e) {
        // 404 / 422 "Reference does not exist": gone already. Other refusals leave only a tag behind.
        if (e.status() != 404 && e.status() != 422) {
          LOG.warn("Release {} of {} is deleted, but its tag stays: {}", r.tag(), repo.fullName(), e.getMessage());
        }
      }
    }
  }

  private HttpUrl assetUrl(ReleaseAsset a) {
    HttpUrl given = a.apiUrl().isEmpty() ? null : HttpUrl.parse(a.apiUrl());
    // GitHub's own URL for the asset; the token goes with it only when it is on the API's host.
    return given != null ? given : http.api("repos", repo.owner(), repo.repo(), "releases", "assets", String.valueOf(a.id()));
  }

  private void pause(int attempt) {
    try {
      Thread.sleep(Math.min(30_000, settings.initialBackoff().toMillis() << Math.min(10, attempt - 1)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatException(ErrorCode.ABORTED, "Interrupted while uploading to GitHub.", e);
    }
  }

  private LifeboatException notFound(String key) {
    return new LifeboatException(ErrorCode.NOT_FOUND, "No " + key + " in the releases of " + repo.fullName() + ".");
  }

  /** {@code FOLDER/NAME} as its two parts; anything else is not a key of this store. */
  private static String[] split(String key) {
    int slash = key.indexOf('/');
    if (slash <= 0 || slash != key.lastIndexOf('/') || slash == key.length() - 1 || !FOLDER.matcher(key.substring(0, slash)).matches()) {
      throw new IllegalArgumentException("Not a key of a GitHub Releases store: '" + key + "'");
    }
    return new String[] {key.substring(0, slash), key.substring(slash + 1)};
  }
}
