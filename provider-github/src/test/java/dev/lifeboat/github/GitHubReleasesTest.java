package dev.lifeboat.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.ManifestKeys;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotIds;
import dev.lifeboat.spi.PendingSnapshot;
import dev.lifeboat.spi.SnapshotTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GitHub-specific behaviour of the releases store, against the fake GitHub. */
class GitHubReleasesTest {
  private static final String REPO = "acme/backups";
  @TempDir Path scratch;
  private FakeGitHub gh;

  @BeforeEach
  void start() {
    gh = new FakeGitHub(GitHubStores.TOKEN).repo(REPO, true);
  }

  @AfterEach
  void stop() {
    gh.close();
  }

  private ReleaseBlobStore store(Map<String, String> extra) {
    return GitHubStores.store(gh, REPO, scratch, extra);
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static Snapshot backup(SnapshotTarget target, byte[] data) throws IOException {
    String id = SnapshotIds.next(Instant.now());
    try (PendingSnapshot p = target.create(id, "archive.pg-custom.zst")) {
      p.output().write(data);
      return p.commit(manifest(id, data));
    }
  }

  private static Manifest manifest(String id, byte[] data) {
    return Manifest.builder().id(id).format("pg-custom").size(data.length).sha256(FakeGitHub.sha256(data))
        .createdAt(Instant.now()).consistentAt(Instant.now()).build();
  }

  private static byte[] read(SnapshotTarget t, String id) throws IOException {
    try (InputStream in = t.open(id)) {
      return in.readAllBytes();
    }
  }

  @Test
  void aSnapshotIsOnePublishedReleaseWithTheArchiveAndTheManifestAndNotTheLatest() throws IOException {
    SnapshotTarget t = SnapshotTarget.over(store(Map.of()));
    byte[] data = bytes(5000, 1);
    Snapshot s = backup(t, data);

    List<FakeGitHub.Release> releases = gh.releases(REPO);
    assertThat(releases).singleElement().satisfies(r -> {
      assertThat(r.tag).isEqualTo("lifeboat-" + s.id());
      assertThat(r.draft).isFalse();
      assertThat(FakeGitHub.names(r)).containsExactlyInAnyOrder("archive.pg-custom.zst", "manifest.json");
    });
    assertThat(gh.tags()).containsExactly("lifeboat-" + s.id());
    assertThat(gh.seen()).filteredOn(x -> x.method().equals("POST") && x.path().endsWith("/releases")).hasSize(1);
    assertThat(read(t, s.id())).isEqualTo(data);

    t.delete(s.id());
    assertThat(gh.releases(REPO)).isEmpty();
    assertThat(gh.tags()).as("retention deletes the release and its tag").isEmpty();
  }

  @Test
  void aSnapshotInAnImmutableReleaseIsWrittenWholeBeforePublishingAndDeletedWithItsRelease() throws IOException {
    gh.immutableReleases(REPO);
    SnapshotTarget t = SnapshotTarget.over(store(Map.of()));
    Snapshot s = backup(t, bytes(3000, 11));
    assertThat(FakeGitHub.names(gh.releases(REPO).get(0))).containsExactlyInAnyOrder("archive.pg-custom.zst", "manifest.json");
    t.delete(s.id());
    assertThat(gh.releases(REPO)).isEmpty();
    assertThat(gh.tags()).isEmpty();
    assertThat(t.list()).isEmpty();
  }

  @Test
  void anArchiveLongerThanAnAssetIsSplitIntoNumberedPartsReadBackAsOne() throws IOException {
    SnapshotTarget t = SnapshotTarget.over(store(Map.of("github.partSize", "4096")));
    // Two items a page: the release's assets are read across pages too.
    gh.pageSize(2);
    byte[] data = bytes(10_000, 2);
    Snapshot s = backup(t, data);
    assertThat(FakeGitHub.names(gh.releases(REPO).get(0))).containsExactlyInAnyOrder("archive.pg-custom.zst.part-001",
        "archive.pg-custom.zst.part-002", "archive.pg-custom.zst.part-003-of-003", "manifest.json");
    String recorded = "archive.pg-custom.zst.part-001,archive.pg-custom.zst.part-002,archive.pg-custom.zst.part-003-of-003";
    assertThat(s.manifest().properties()).containsEntry(ManifestKeys.ARCHIVE_PARTS, recorded);
    assertThat(t.list()).singleElement().satisfies(x -> assertThat(x.isDamaged()).as("%s", x.damage()).isFalse())
        .satisfies(x -> assertThat(x.manifest().properties()).as("the sealed manifest lists the parts")
            .containsEntry(ManifestKeys.ARCHIVE_PARTS, recorded));
    assertThat(read(t, s.id())).isEqualTo(data);
  }

  @Test
  void listingFollowsLinkHeadersThroughShortPagesAndSkipsOtherReleases() throws IOException {
    SnapshotTarget t = SnapshotTarget.over(store(Map.of()));
    for (int i = 0; i < 5; i++) {
      backup(t, bytes(100, i));
    }
    gh.pageSize(2);
    assertThat(t.list()).hasSize(5);
    // per_page=100 was asked for, 2 came back each time: the pages were followed to the end.
    assertThat(gh.seen()).filteredOn(x -> x.method().equals("GET") && x.path().equals("/repos/" + REPO + "/releases"))
        .extracting(x -> x.path()).isNotEmpty();
    long pageCalls = gh.seen().stream().filter(x -> x.method().equals("GET") && x.path().equals("/repos/" + REPO + "/releases")).count();
    assertThat(pageCalls).isGreaterThanOrEqualTo(3);
  }

  @Test
  void listingReadsEachManifestWithoutLookingItsReleaseUpAgain() throws IOException {
    SnapshotTarget t = SnapshotTarget.over(store(Map.of()));
    for (int i = 0; i < 3; i++) {
      backup(t, bytes(100, 20 + i));
    }
    int before = gh.seen().size();
    assertThat(t.list()).hasSize(3).allSatisfy(x -> assertThat(x.isDamaged()).isFalse());
    List<FakeGitHub.Seen> calls = gh.seen().subList(before, gh.seen().size());
    assertThat(calls).noneMatch(x -> x.path().matches(".*/releases/\\d+(/assets)?"));
    // Core's layout check and the listing itself, then per snapshot its manifest: the API's redirect.
    assertThat(calls).filteredOn(x -> x.host().equals("localhost"))
        .extracting(x -> x.path().matches(".*/releases/assets/\\d+") ? "asset" : x.path())
        .containsExactlyInAnyOrder("/repos/acme/backups/releases", "/repos/acme/backups/releases", "asset", "asset", "asset");

    // After a change by this store, reads look again.
    t.delete(t.list().get(0).id());
    assertThat(t.list()).hasSize(2);
  }

  @Test
  void anUploadAnswered502ThatLandedIsTakenAsDoneWithoutASecondCopy() throws IOException {
    gh.failUpload("archive.*", FakeGitHub.UploadFault.LANDED_AND_502);
    SnapshotTarget t = SnapshotTarget.over(store(Map.of()));
    byte[] data = bytes(3000, 3);
    Snapshot s = backup(t, data);
    assertThat(FakeGitHub.names(gh.releases(REPO).get(0))).containsExactlyInAnyOrder("archive.pg-custom.zst", "manifest.json");
    assertThat(read(t, s.id())).isEqualTo(data);
  }

  @Test
  void alreadyExistsWithTheSameContentIsSuccessStarterIsDeletedAndRetriedOtherContentIsAnError() throws IOException {
    ReleaseBlobStore store = store(Map.of());
    Release release = store.ensureRelease("drills");
    Path file = Files.write(scratch.resolve("a"), bytes(2000, 4));
    String sha = FakeGitHub.sha256(Files.readAllBytes(file));
    AtomicReference<okhttp3.Call> call = new AtomicReference<>();
    ReleaseAsset first = store.upload(release, "a.bin", file, 2000, sha, call, () -> false);

    // Same name, same bytes: GitHub's 422 already_exists means an earlier attempt landed.
    ReleaseAsset again = store.upload(release, "a.bin", file, 2000, sha, call, () -> false);
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(gh.seen()).filteredOn(x -> x.path().contains("/uploads/")).hasSize(2);

    // A starter left by a failed upload: deleted, then uploaded again.
    gh.failUpload("b.bin", FakeGitHub.UploadFault.STARTER_AND_502);
    ReleaseAsset b = store.upload(release, "b.bin", file, 2000, sha, call, () -> false);
    assertThat(b.state()).isEqualTo("uploaded");
    assertThat(gh.releases(REPO).get(0).assets).filteredOn(a -> a.name.equals("b.bin")).singleElement()
        .satisfies(a -> assertThat(a.state).isEqualTo("uploaded"));

    // Other content under the name: backups are write-once.
    Path other = Files.write(scratch.resolve("b"), bytes(2000, 5));
    assertThatThrownBy(() -> store.upload(release, "a.bin", other, 2000, FakeGitHub.sha256(Files.readAllBytes(other)), call, () -> false))
        .isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.TARGET_FAILED))
        .hasMessageContaining("already holds an asset a.bin with other content");
    assertThat(gh.releases(REPO).get(0).assets).filteredOn(a -> a.name.equals("a.bin")).singleElement()
        .satisfies(a -> assertThat(a.id).isEqualTo(first.id()));
  }

  @Test
  void downloadsFollowTheRedirectToTheAssetHostWithoutTheToken() throws IOException {
    SnapshotTarget t = SnapshotTarget.over(store(Map.of()));
    byte[] data = bytes(4000, 6);
    Snapshot s = backup(t, data);
    assertThat(read(t, s.id())).isEqualTo(data);

    List<FakeGitHub.Seen> assetHost = gh.seen().stream().filter(x -> x.host().equals("127.0.0.1")).toList();
    assertThat(assetHost).as("downloads went to the asset host").isNotEmpty();
    assertThat(assetHost).allSatisfy(x -> {
      assertThat(x.authorization()).isNull();
      assertThat(x.headers().toString()).doesNotContain(GitHubStores.TOKEN);
    });
    assertThat(gh.seen()).filteredOn(x -> x.path().matches(".*/releases/assets/\\d+") && x.method().equals("GET"))
        .allSatisfy(x -> assertThat(x.authorization()).isEqualTo("Bearer " + GitHubStores.TOKEN));
  }

  @Test
  void aDownloadCutMidWayResumesWhereItStopped() throws IOException {
    SnapshotTarget t = SnapshotTarget.over(store(Map.of()));
    byte[] data = bytes(60_000, 12);
    Snapshot s = backup(t, data);
    gh.cutDownload("archive.*", 20_000);
    assertThat(read(t, s.id())).isEqualTo(data);
    assertThat(gh.seen()).filteredOn(x -> x.host().equals("127.0.0.1") && x.headers().containsKey("Range"))
        .singleElement().satisfies(x -> assertThat(x.headers().get("Range")).isEqualTo("bytes=20000-"));
  }

  /**
   * GitHub redirects a download to a signed link on its asset host that expires within minutes; a
   * link that has expired by the time it is followed is asked for afresh, not reported as a token
   * without rights.
   */
  @Test
  void anExpiredSignedDownloadLinkIsAskedForAgain() throws IOException {
    SnapshotTarget t = SnapshotTarget.over(store(Map.of("github.retry.initialBackoff", "10ms")));
    byte[] data = bytes(5000, 3);
    Snapshot s = backup(t, data);
    gh.expireNextLink("archive.*");
    int before = gh.seen().size();
    assertThat(read(t, s.id())).isEqualTo(data);
    FakeGitHub.Asset archive = gh.releases(REPO).get(0).assets.stream().filter(a -> a.name.startsWith("archive")).findFirst().orElseThrow();
    assertThat(gh.seen().subList(before, gh.seen().size())).filteredOn(x -> x.host().equals("127.0.0.1"))
        .extracting(x -> x.path()).filteredOn(p -> p.equals("/blob/" + archive.id)).as("the expired link, then a fresh one").hasSize(2);
  }

  @Test
  void aDownloadThatDiffersFromGitHubsDigestIsRefused() throws IOException {
    SnapshotTarget t = SnapshotTarget.over(store(Map.of()));
    byte[] data = bytes(4000, 7);
    Snapshot s = backup(t, data);
    FakeGitHub.Asset archive = gh.releases(REPO).get(0).assets.stream().filter(a -> a.name.startsWith("archive")).findFirst().orElseThrow();
    byte[] page = "<html>error</html>".getBytes(StandardCharsets.UTF_8);
    byte[] same = new byte[data.length];
    System.arraycopy(page, 0, same, 0, page.length);
    gh.replaceBytes(archive, same, false);
    assertThatThrownBy(() -> read(t, s.id())).isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH));
  }

  @Test
  void a429WithoutRetryAfterIsWaitedOutAndRetried() {
    ReleaseBlobStore store = store(Map.of("github.retry.rateLimitPause", "300ms"));
    gh.enqueue("GET", "/repos/acme/backups/releases", 429, Map.of(), "{\"message\":\"You have exceeded a secondary rate limit.\"}");
    long start = System.nanoTime();
    assertThat(store.list("")).isEmpty();
    assertThat((System.nanoTime() - start) / 1_000_000).as("waited the pause").isGreaterThanOrEqualTo(300);
    assertThat(gh.queuedLeft()).isZero();
  }

  @Test
  void a403RateLimitWaitsUntilTheResetItNames() {
    ReleaseBlobStore store = store(Map.of());
    long reset = Instant.now().getEpochSecond() + 1;
    gh.enqueue("GET", "/repos/acme/backups/releases", 403,
        Map.of("x-ratelimit-remaining", "0", "x-ratelimit-reset", String.valueOf(reset), "x-ratelimit-limit", "5000"),
        "{\"message\":\"API rate limit exceeded for user ID 1.\"}");
    long start = System.nanoTime();
    assertThat(store.list("")).isEmpty();
    assertThat(Instant.now().getEpochSecond()).as("not before the reset").isGreaterThanOrEqualTo(reset);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(500);
  }

  @Test
  void aRateLimitResetBeyondTheRetryTimeFailsAtOnceSayingWhen() {
    ReleaseBlobStore store = store(Map.of("github.retry.maxTime", "2s"));
    gh.enqueue("GET", "/repos/acme/backups/releases", 403,
        Map.of("x-ratelimit-remaining", "0", "x-ratelimit-reset", String.valueOf(Instant.now().getEpochSecond() + 3600)),
        "{\"message\":\"API rate limit exceeded for user ID 1.\"}");
    long start = System.nanoTime();
    assertThatThrownBy(() -> store.list("")).isInstanceOf(LifeboatException.class)
        .hasMessageContaining("API rate limit exceeded").hasMessageContaining("wait until");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000);
  }

  @Test
  void anUploadThatFailsHalfWayLeavesADraftThatIsNeverListedAndTheNextBackupRemoves() throws Exception {
    SnapshotTarget t = SnapshotTarget.over(store(Map.of("github.partSize", "2048", "github.retry.maxAttempts", "2")));
    // The third part fails on every try, and the clean-up after it fails too (the network is gone).
    gh.failUpload(".*part-003", FakeGitHub.UploadFault.STARTER_AND_502).failUpload(".*part-003", FakeGitHub.UploadFault.STARTER_AND_502);
    gh.refuseDeletes(true);
    assertThatThrownBy(() -> backup(t, bytes(10_000, 8))).isInstanceOf(IOException.class).hasMessageContaining("GitHub API");
    gh.refuseDeletes(false);

    FakeGitHub.Release draft = gh.releases(REPO).get(0);
    assertThat(draft.draft).isTrue();
    assertThat(FakeGitHub.names(draft)).contains("writer.json", "archive.pg-custom.zst.part-001", "archive.pg-custom.zst.part-002");
    assertThat(t.list()).as("a draft is never a snapshot").isEmpty();

    // Its writer is gone, as a backup killed half-way leaves it.
    Process done = new ProcessBuilder("true").start();
    done.waitFor();
    FakeGitHub.Asset writer = draft.assets.stream().filter(a -> a.name.equals("writer.json")).findFirst().orElseThrow();
    com.fasterxml.jackson.databind.node.ObjectNode record =
        (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(writer.bytes);
    record.put("pid", done.pid());
    record.remove("started");
    gh.replaceBytes(writer, record.toString().getBytes(StandardCharsets.UTF_8), true);

    Snapshot next = backup(t, bytes(1000, 9));
    assertThat(gh.releases(REPO)).extracting(r -> r.tag).containsExactly("lifeboat-" + next.id());
    assertThat(t.list()).extracting(Snapshot::id).containsExactly(next.id());
  }

  @Test
  void aPublicRepositoryTakesOnlyEncryptedSnapshotsAndSaysWhyBeforeAnythingIsCreated() {
    gh.repo("acme/open", false);
    SnapshotTarget t = SnapshotTarget.over(GitHubStores.store(gh, "acme/open", scratch, Map.of()));
    assertThat(t.refusesUnencrypted()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("acme/open is a public repository");
    assertThat(gh.seen()).noneMatch(x -> !x.method().equals("GET"));
    assertThat(gh.releases("acme/open")).isEmpty();

    gh.repo("acme/closed", true);
    assertThat(SnapshotTarget.over(GitHubStores.store(gh, "acme/closed", scratch, Map.of())).refusesUnencrypted()).isEmpty();
  }

  @Test
  void aMissingRepositoryIsNotFoundAndAMissingTokenIsAConfigurationError() {
    SnapshotTarget t = SnapshotTarget.over(GitHubStores.store(gh, "acme/nothing", scratch, Map.of()));
    assertThatThrownBy(t::list).isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessageContaining("acme/nothing does not exist or the token cannot see it");

    TestContext noToken = new TestContext(Map.of(), Map.of());
    assertThatThrownBy(() -> new GitHubProvider().store(Location.parse("github-release://acme/backups"), noToken))
        .isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessageContaining("GITHUB_TOKEN");
  }

  @Test
  void aRenamedRepositoryIsFollowedOnTheSameHostForReadsAndWrites() throws IOException {
    gh.renamed("acme/old-name", "acme/backups");
    SnapshotTarget moved = SnapshotTarget.over(GitHubStores.store(gh, "acme/old-name", scratch, Map.of()));
    byte[] data = bytes(1000, 7);
    backup(moved, data);
    assertThat(moved.list()).hasSize(1);
    assertThat(read(moved, moved.list().get(0).id())).isEqualTo(data);
    assertThat(gh.releases("acme/backups")).hasSize(1);
    assertThat(gh.seen()).anySatisfy(x -> assertThat(x.method() + " " + x.path()).isEqualTo("POST /repos/acme/old-name/releases"))
        .filteredOn(x -> x.host().equals("localhost"))
        .allSatisfy(x -> assertThat(x.authorization()).isEqualTo("Bearer " + GitHubStores.TOKEN));
  }

  @Test
  void aRedirectOfAnApiCallToAnotherHostIsRefusedWithoutSendingTheToken() {
    for (int i = 0; i < 2; i++) {
      gh.enqueue("GET", "/repos/acme/backups(/releases)?", 301, Map.of("Location", "http://" + gh.assetHostAndPort() + "/repos/acme/backups"),
          "{\"message\":\"Moved Permanently\"}");
    }
    assertThatThrownBy(() -> SnapshotTarget.over(store(Map.of())).list())
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessageContaining("another host").hasMessageNotContaining(GitHubStores.TOKEN);
    assertThat(gh.seen()).allSatisfy(x -> assertThat(x.host()).isEqualTo("localhost"));
  }

  @Test
  void ghTokenServesWhenGithubTokenIsAbsent() {
    TestContext ctx = new TestContext(GitHubStores.settings(scratch, Map.of()), Map.of("GH_TOKEN", GitHubStores.TOKEN,
        "GITHUB_API_URL", gh.apiUrl() + "/"));
    SnapshotTarget t = SnapshotTarget.over(new GitHubProvider().store(Location.parse("github-release://acme/backups/"), ctx).orElseThrow());
    assertThat(t.list()).isEmpty();
    assertThat(gh.seen()).isNotEmpty().allSatisfy(x -> assertThat(x.authorization()).isEqualTo("Bearer " + GitHubStores.TOKEN));
  }

  @Test
  void blobsBesideTheSnapshotsLiveInADraftReleaseThatIsNeverPublished() throws IOException {
    ReleaseBlobStore store = store(Map.of());
    for (String name : List.of("a.json", "b.json", "c.json")) {
      try (var out = store.put("drills/" + name)) {
        out.write(name.getBytes(StandardCharsets.UTF_8));
      }
    }
    gh.pageSize(2);
    assertThat(store.list("drills/")).extracting(b -> b.key()).containsExactlyInAnyOrder("drills/a.json", "drills/b.json", "drills/c.json");
    try (InputStream in = store.get("drills/b.json")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("b.json");
    }
    assertThat(gh.releases(REPO)).singleElement().satisfies(r -> {
      assertThat(r.tag).isEqualTo("lifeboat-drills");
      assertThat(r.draft).isTrue();
    });
    assertThat(gh.tags()).isEmpty();
    // A put replaces what the key held.
    try (var out = store.put("drills/a.json")) {
      out.write("again".getBytes(StandardCharsets.UTF_8));
    }
    try (InputStream in = store.get("drills/a.json")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("again");
    }
    assertThatThrownBy(() -> store.get("drills/none.json")).isInstanceOf(LifeboatException.class)
        .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void malformedLocationsAreConfigurationErrorsThatNeverEchoCredentials() {
    TestContext ctx = new TestContext(Map.of(), Map.of("GITHUB_TOKEN", GitHubStores.TOKEN));
    for (String bad : List.of("github-release://acme", "github-release:acme/backups", "github-release://acme/backups?branch=x",
        "github-release://acme/backups/extra", "github-release://-bad/repo")) {
      assertThatThrownBy(() -> new GitHubProvider().store(Location.parse(bad), ctx)).as(bad).isInstanceOf(LifeboatException.class)
          .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.CONFIGURATION));
    }
    assertThatThrownBy(() -> new GitHubProvider().store(Location.parse("github-release://ghp_sEcReTtOkEn1234@acme/backups"), ctx))
        .isInstanceOf(LifeboatException.class).hasMessageNotContaining("ghp_sEcReTtOkEn1234").hasMessageContaining("GITHUB_TOKEN");
  }

  @Test
  void theTokenIsInNoMessageNorLogLineEvenWhenTheServerEchoesIt() throws IOException {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      SnapshotTarget t = SnapshotTarget.over(store(Map.of()));
      backup(t, bytes(100, 10));
      gh.enqueue("GET", "/repos/acme/backups/releases", 401, Map.of(),
          "{\"message\":\"Bad credentials: Authorization: Bearer " + GitHubStores.TOKEN + "\"}");
      assertThatThrownBy(t::list).isInstanceOf(LifeboatException.class)
          .satisfies(e -> assertThat(((LifeboatException) e).code()).isEqualTo(ErrorCode.AUTHENTICATION))
          .hasMessageContaining("Bad credentials").hasMessageNotContaining(GitHubStores.TOKEN).hasMessageNotContaining("T0kenThat");
      gh.enqueue("GET", "/repos/acme/backups/releases", 500, Map.of(), "<html>token " + GitHubStores.TOKEN + "</html>");
      gh.enqueue("GET", "/repos/acme/backups/releases", 429, Map.of("retry-after", "0"), "{\"message\":\"slow down " + GitHubStores.TOKEN + "\"}");
      assertThat(t.list()).hasSize(1);
    } finally {
      System.setErr(err);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain(GitHubStores.TOKEN).doesNotContain("T0kenThat");
  }
}
