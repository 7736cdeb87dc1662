package dev.lifeboat.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.lifeboat.neon.FakeNeon;
import dev.lifeboat.neon.NeonSpecCheck;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Neon through the packaged jar (OkHttp, resilience4j and the Neon provider inside it): a native
 * backup of a branch and a list of the project's backups, against a WireMock stub of the Neon API
 * whose every exchange must conform to Neon's OpenAPI document.
 */
class NeonJarIT {
  private static final String PROJECT = "quiet-lake-123456";
  private static final String API_KEY = "napi_jar_test_5ecr3t_key";
  static WireMockServer wiremock;
  static FakeNeon neon;
  @TempDir static Path work;

  @BeforeAll
  static void start() {
    // The real clock: the jar runs on it. Operations finish at once: the jar polls at its default pace.
    neon = new FakeNeon(PROJECT, Instant.now());
    neon.operationPolls = 0;
    wiremock = new WireMockServer(options().dynamicPort().extensions(neon));
    wiremock.start();
    wiremock.stubFor(any(urlPathMatching("/api/v2/.*")).willReturn(aResponse().withTransformers(FakeNeon.NAME)));
  }

  @AfterAll
  static void stop() {
    wiremock.stop();
  }

  @Test
  void nativeBackupThenListThroughTheJar() throws Exception {
    String apiUrl = wiremock.baseUrl() + FakeNeon.BASE;
    PackagedJar.Run backup = PackagedJar.run(work, Map.of("NEON_API_KEY", API_KEY, "NEON_API_URL", apiUrl),
        "backup", "--source", "neon://" + PROJECT + "/main", "--target", "neon://" + PROJECT, "--label", "reason=jar");
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();
    assertThat(id).startsWith("backup-");
    ObjectNode branch = neon.byName(id);
    assertThat(branch).as("the backup branch in the stub").isNotNull();
    assertThat(branch.path("parent_id").asText()).isEqualTo("br-main-000001");
    assertThat(neon.annotationsOf(branch.path("id").asText())).containsEntry("lifeboat.label.reason", "jar");

    // The API URL as a setting this time, the key from the environment as always.
    PackagedJar.Run list = PackagedJar.run(work, Map.of("NEON_API_KEY", API_KEY),
        "list", "--target", "neon://" + PROJECT, "--setting", "neon.apiUrl=" + apiUrl);
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out()).contains(id).contains("neon-branch").contains("reason=jar")
        .contains("1 snapshot in neon://" + PROJECT);

    List<ServeEvent> calls = wiremock.getAllServeEvents();
    assertThat(calls).isNotEmpty();
    assertThat(calls).allSatisfy(e ->
        assertThat(e.getRequest().getHeader("Authorization")).isEqualTo("Bearer " + API_KEY));
    for (PackagedJar.Run r : List.of(backup, list)) {
      assertThat(r.out() + r.err()).as(r.toString()).doesNotContain(API_KEY);
      assertThat(r.err()).as("no OkHttp or resilience4j log lines: " + r).doesNotContain("INFO").doesNotContain("WARN");
    }
    assertThat(NeonSpecCheck.problems(wiremock)).as("exchanges that break neon-api-v2.json").isEmpty();
  }

  @Test
  void anInPlaceRestoreNamesTheBranchThatKeepsThePreviousState() throws Exception {
    Map<String, String> env = Map.of("NEON_API_KEY", API_KEY, "NEON_API_URL", wiremock.baseUrl() + FakeNeon.BASE);
    PackagedJar.Run backup = PackagedJar.run(work, env, "backup", "--source", "neon://" + PROJECT + "/main", "--target", "neon://" + PROJECT);
    assertThat(backup.exit()).as(backup.toString()).isZero();
    String id = backup.lastOutLine();

    PackagedJar.Run restore = PackagedJar.run(work, env, "restore", "--target", "neon://" + PROJECT, "--snapshot", id,
        "--destination", "neon://" + PROJECT + "/main", "--confirm", "main");

    assertThat(restore.exit()).as(restore.toString()).isZero();
    String preserved = neon.names().stream().filter(n -> n.startsWith("main-before-restore-")).findFirst().orElseThrow();
    assertThat(restore.out()).as(restore.toString()).contains("RESTORED  snapshot " + id)
        .contains("previous state kept as branch " + preserved);
    // The other tests count the project's snapshots and branches from one branch, main.
    neon.reset();
    neon.operationPolls = 0;
  }

  @Test
  void aBranchCreateStoppedWhileNeonWorksNamesTheBranchItLeftInOneLine() throws Exception {
    Map<String, String> env = Map.of("NEON_API_KEY", API_KEY, "NEON_API_URL", wiremock.baseUrl() + FakeNeon.BASE);
    int polls = neon.operationPolls;
    // Neon's operations never finish while this test runs: the command waits until the signal.
    neon.operationPolls = Integer.MAX_VALUE;
    try {
      PackagedJar.Running create = PackagedJar.spawn(work, env, "branch", "create", "--on", "neon://" + PROJECT, "--name", "held-open");
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while (neon.byName("held-open") == null) {
        assertThat(System.nanoTime()).as("the branch was asked for within 60 s").isLessThan(deadline);
        assertThat(create.process().isAlive()).as("branch create still runs").isTrue();
        Thread.sleep(50);
      }
      String branchId = neon.byName("held-open").path("id").asText();

      create.process().destroy();
      PackagedJar.Run stopped = create.await();

      assertThat(stopped.exit()).as(stopped.toString()).isEqualTo(143);
      assertThat(stopped.errLines()).as(stopped.toString()).singleElement().satisfies(line -> assertThat(line)
          .startsWith("lifeboat: branch create interrupted by a signal; branch held-open (" + branchId + ") was created")
          .contains("left in place").contains("lifeboat branch delete --on neon://" + PROJECT + " --name " + branchId)
          .doesNotContain(API_KEY));
      assertThat(stopped.out()).isEmpty();
    } finally {
      neon.reset();
      neon.operationPolls = polls;
    }
  }

  @Test
  void aBackupStoppedWhileNeonWorksNamesTheBackupBranchItLeftAndHowToDeleteIt() throws Exception {
    Map<String, String> env = Map.of("NEON_API_KEY", API_KEY, "NEON_API_URL", wiremock.baseUrl() + FakeNeon.BASE);
    int polls = neon.operationPolls;
    // Neon's operations never finish while this test runs: the backup waits until the signal.
    neon.operationPolls = Integer.MAX_VALUE;
    try {
      PackagedJar.Running backup = PackagedJar.spawn(work, env, "backup", "--source", "neon://" + PROJECT + "/main",
          "--target", "neon://" + PROJECT);
      String name = awaitBranch(backup, "backup-");
      String branchId = neon.byName(name).path("id").asText();

      backup.process().destroy();
      PackagedJar.Run stopped = backup.await();

      assertThat(stopped.exit()).as(stopped.toString()).isEqualTo(143);
      assertThat(stopped.errLines()).as(stopped.toString()).singleElement().satisfies(line -> assertThat(line)
          .startsWith("lifeboat: backup interrupted by a signal; backup branch " + name + " (" + branchId + ") was created")
          .contains("left in place").contains("lifeboat branch delete --on neon://" + PROJECT + " --name " + branchId)
          .doesNotContain("next backup").doesNotContain("nothing was stored").doesNotContain(API_KEY));
      assertThat(stopped.out()).isEmpty();
      assertThat(neon.byName(name)).as("the branch is where the line says").isNotNull();
    } finally {
      neon.reset();
      neon.operationPolls = polls;
    }
  }

  @Test
  void anInPlaceRestoreStoppedWhileNeonWorksNamesTheBranchThatKeepsThePreviousState() throws Exception {
    Map<String, String> env = Map.of("NEON_API_KEY", API_KEY, "NEON_API_URL", wiremock.baseUrl() + FakeNeon.BASE);
    int polls = neon.operationPolls;
    try {
      neon.operationPolls = 0;
      PackagedJar.Run backup = PackagedJar.run(work, env, "backup", "--source", "neon://" + PROJECT + "/main", "--target", "neon://" + PROJECT);
      assertThat(backup.exit()).as(backup.toString()).isZero();
      String id = backup.lastOutLine();
      // Neon's operations never finish while the restore runs: it waits until the signal.
      neon.operationPolls = Integer.MAX_VALUE;
      PackagedJar.Running restore = PackagedJar.spawn(work, env, "restore", "--target", "neon://" + PROJECT, "--snapshot", id,
          "--destination", "neon://" + PROJECT + "/main", "--confirm", "main");
      String preserved = awaitBranch(restore, "main-before-restore-");

      restore.process().destroy();
      PackagedJar.Run stopped = restore.await();

      assertThat(stopped.exit()).as(stopped.toString()).isEqualTo(143);
      assertThat(stopped.errLines()).as(stopped.toString()).singleElement().satisfies(line -> assertThat(line)
          .startsWith("lifeboat: restore interrupted by a signal; ")
          .contains("branch main is being restored in place by Neon").contains("kept as branch " + preserved)
          .contains("lifeboat branch list --on neon://" + PROJECT)
          .doesNotContain("--replace").doesNotContain("replace").doesNotContain(API_KEY));
      assertThat(stopped.out()).isEmpty();
    } finally {
      neon.reset();
      neon.operationPolls = polls;
    }
  }

  /** The name of the first branch whose name starts with {@code prefix}, once the stub holds one; the command still runs. */
  private static String awaitBranch(PackagedJar.Running command, String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (true) {
      java.util.Optional<String> name = neon.names().stream().filter(n -> n.startsWith(prefix)).findFirst();
      if (name.isPresent()) {
        return name.get();
      }
      assertThat(System.nanoTime()).as("a branch " + prefix + "… was asked for within 60 s").isLessThan(deadline);
      assertThat(command.process().isAlive()).as("the command still runs").isTrue();
      Thread.sleep(50);
    }
  }
}
