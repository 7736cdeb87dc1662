package dev.lifeboat.neon;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.lifeboat.Location;
import dev.lifeboat.Snapshot;
import dev.lifeboat.neon.api.BranchSpec;
import dev.lifeboat.neon.api.NeonBranch;
import dev.lifeboat.neon.api.NeonOperation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every paged list follows its cursor: Neon, or a proxy in front of it, may answer with fewer
 * items than the {@code limit} asked for, so only an absent cursor, an empty page or a cursor
 * seen before ends a listing.
 */
class NeonPaginationTest extends NeonApiTest {
  private static final String P = "/api/v2/projects/" + PROJECT;

  private static void addBackups(int n) {
    for (int i = 1; i <= n; i++) {
      fake.branch("br-backup-" + String.format("%06d", i), "backup-2026020" + i + "T000000Z", "br-main-000001",
          fake.now.minus(Duration.ofDays(10 - i)));
    }
  }

  private static List<LoggedRequest> branchPages() {
    return server.findAll(getRequestedFor(urlPathEqualTo(P + "/branches")));
  }

  @Test
  void shortPagesAreFollowedToTheLastCursor() {
    fake.pageCap = 1;
    addBackups(3);
    List<NeonBranch> all = client().branches().list(PROJECT);
    assertThat(all).extracting(NeonBranch::name)
        .containsExactly("main", "backup-20260201T000000Z", "backup-20260202T000000Z", "backup-20260203T000000Z");
    List<LoggedRequest> pages = branchPages();
    assertThat(pages).hasSize(4);
    assertThat(pages.get(0).queryParameter("limit").firstValue()).isEqualTo("100");
    assertThat(pages).extracting(r -> r.queryParameter("cursor").isPresent() ? r.queryParameter("cursor").firstValue() : "-")
        .containsExactly("-", "1", "2", "3");
  }

  @Test
  void listOfANeonTargetShowsBackupsBeyondAShortFirstPage() {
    // What `lifeboat list --target neon://P` shows: the default branch fills the first short page.
    fake.pageCap = 1;
    addBackups(2);
    NeonNativeSnapshots target = (NeonNativeSnapshots) new NeonProvider().nativeSnapshots(Location.parse("neon://" + PROJECT), context(settings()))
        .orElseThrow();
    assertThat(target.list()).extracting(Snapshot::id).containsExactly("backup-20260201T000000Z", "backup-20260202T000000Z");
  }

  @Test
  void aBranchFoundByNameOnALaterPageIsFound() {
    fake.pageCap = 1;
    // The search for "feature-a" matches both; the exact name is on the second page.
    fake.branch("br-feature-000002", "feature-a-2", "br-main-000001", fake.now);
    fake.branch("br-feature-000001", "feature-a", "br-main-000001", fake.now);
    assertThat(client().branches().find(PROJECT, "feature-a")).map(NeonBranch::id).contains("br-feature-000001");
  }

  @Test
  void aCursorThatComesBackEndsTheListingWithoutDuplicates() {
    fake.branch("br-second-000001", "second", "br-main-000001", fake.now);
    ObjectNode main = fake.get("br-main-000001");
    ObjectNode second = fake.get("br-second-000001");
    server.stubFor(get(urlPathEqualTo(P + "/branches")).atPriority(1).withQueryParam("cursor", absent())
        .willReturn(NeonClientTest.json(page(main, "c1"))));
    // The server loops: the next page hands back the same cursor, and then the first branch again.
    server.stubFor(get(urlPathEqualTo(P + "/branches")).atPriority(1).withQueryParam("cursor", equalTo("c1"))
        .willReturn(NeonClientTest.json(page(second, "c1"))));
    List<NeonBranch> all = client().branches().list(PROJECT);
    assertThat(all).extracting(NeonBranch::id).containsExactly("br-main-000001", "br-second-000001");
    assertThat(branchPages()).hasSize(2);
  }

  @Test
  void cursorsThatCycleAreCaughtAndEveryBranchIsListedOnce() {
    ObjectNode main = fake.get("br-main-000001");
    server.stubFor(get(urlPathEqualTo(P + "/branches")).atPriority(1).withQueryParam("cursor", absent())
        .willReturn(NeonClientTest.json(page(main, "a"))));
    server.stubFor(get(urlPathEqualTo(P + "/branches")).atPriority(1).withQueryParam("cursor", equalTo("a"))
        .willReturn(NeonClientTest.json(page(main, "b"))));
    server.stubFor(get(urlPathEqualTo(P + "/branches")).atPriority(1).withQueryParam("cursor", equalTo("b"))
        .willReturn(NeonClientTest.json(page(main, "a"))));
    assertThat(client().branches().list(PROJECT)).extracting(NeonBranch::id).containsExactly("br-main-000001");
    assertThat(branchPages()).hasSize(3);
  }

  @Test
  void anEmptyBranchPageWithANextCursorIsNotTheEnd() {
    // The spec: pass pagination.next back "until it is absent"; a page may be empty before the end.
    fake.branch("br-second-000001", "second", "br-main-000001", fake.now);
    ObjectNode main = fake.get("br-main-000001");
    ObjectNode second = fake.get("br-second-000001");
    server.stubFor(get(urlPathEqualTo(P + "/branches")).atPriority(1).withQueryParam("cursor", absent())
        .willReturn(NeonClientTest.json(page(main, "c1"))));
    server.stubFor(get(urlPathEqualTo(P + "/branches")).atPriority(1).withQueryParam("cursor", equalTo("c1"))
        .willReturn(NeonClientTest.json(page(null, "c2"))));
    server.stubFor(get(urlPathEqualTo(P + "/branches")).atPriority(1).withQueryParam("cursor", equalTo("c2"))
        .willReturn(NeonClientTest.json(lastPage(second))));
    assertThat(client().branches().list(PROJECT)).extracting(NeonBranch::id).containsExactly("br-main-000001", "br-second-000001");
    assertThat(branchPages()).hasSize(3);
  }

  @Test
  void emptyBranchPagesWithFreshCursorsForEverStopAfterABound() {
    ObjectNode main = fake.get("br-main-000001");
    server.stubFor(get(urlPathEqualTo(P + "/branches")).atPriority(1).withQueryParam("cursor", absent())
        .willReturn(NeonClientTest.json(page(main, "e0"))));
    for (int i = 0; i < 3 * NeonTransport.MAX_EMPTY_PAGES; i++) {
      server.stubFor(get(urlPathEqualTo(P + "/branches")).atPriority(1).withQueryParam("cursor", equalTo("e" + i))
          .willReturn(NeonClientTest.json(page(null, "e" + (i + 1)))));
    }
    assertThat(client().branches().list(PROJECT)).extracting(NeonBranch::id).containsExactly("br-main-000001");
    assertThat(branchPages()).hasSize(1 + NeonTransport.MAX_EMPTY_PAGES);
  }

  @Test
  void annotationsOfEveryPageAreKept() {
    fake.pageCap = 1;
    NeonClient c = client();
    c.branches().create(PROJECT, new BranchSpec("backup-a", "br-main-000001", null, null, null, false, Map.of("lifeboat.id", "id-a")));
    c.branches().create(PROJECT, new BranchSpec("backup-b", "br-main-000001", null, null, null, false, Map.of("lifeboat.id", "id-b")));
    NeonBranches.Listing listing = c.branches().listAnnotated(PROJECT, "backup-");
    assertThat(listing.branches()).hasSize(2);
    assertThat(listing.annotations().values()).extracting(m -> m.get("lifeboat.id")).containsExactlyInAnyOrder("id-a", "id-b");
  }

  @Test
  void operationsFollowTheirCursorUntilEnoughOrAnEmptyPage() {
    fake.pageCap = 1;
    NeonClient c = client();
    // Each create with a compute starts two operations: four in all.
    c.branches().create(PROJECT, new BranchSpec("one", "br-main-000001", null, null, null, true, Map.of()));
    c.branches().create(PROJECT, new BranchSpec("two", "br-main-000001", null, null, null, true, Map.of()));
    server.resetRequests();
    List<NeonOperation> three = c.operations().recent(PROJECT, 3);
    assertThat(three).hasSize(3);
    assertThat(three).extracting(NeonOperation::id).doesNotHaveDuplicates();
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo(P + "/operations")))).hasSize(3);

    server.resetRequests();
    // More than there are: every page is read, and the empty page after the last one (which still
    // carries a cursor, as Neon's keyset cursors do) ends the walk.
    assertThat(c.operations().recent(PROJECT, 50)).hasSize(4);
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo(P + "/operations")))).hasSize(5);
  }

  /** A branch list page holding {@code branch} (none when null) and the cursor {@code next}. */
  private static String lastPage(ObjectNode branch) {
    return "{\"branches\":[" + branch + "],\"annotations\":{},\"pagination\":{\"sort_by\":\"updated_at\",\"sort_order\":\"desc\"}}";
  }

  private static String page(ObjectNode branch, String next) {
    return "{\"branches\":[" + (branch == null ? "" : branch.toString()) + "],\"annotations\":{},"
        + "\"pagination\":{\"next\":\"" + next + "\",\"sort_by\":\"updated_at\",\"sort_order\":\"desc\"}}";
  }
}
