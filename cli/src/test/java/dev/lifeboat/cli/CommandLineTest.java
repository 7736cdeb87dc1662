package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.Json;
import dev.lifeboat.cli.fake.FakeBranching;
import dev.lifeboat.cli.fake.FakeServer;
import dev.lifeboat.Branch;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command and exit code, in-process, against the built-in {@code file:} target and the
 * test-only {@code fake://} provider.
 */
class CommandLineTest {
  private static final String SECRET = "s3cr3t-Pa55";

  @TempDir Path dir;
  String target;

  @BeforeEach
  void setUp() {
    target = "file:" + dir.resolve("store");
    FakeServer.put("shop", 25);
    FakeServer.drop("copy");
  }

  private String backup(String... extra) {
    List<String> args = new ArrayList<>(List.of("backup", "--source", "fake://app:" + SECRET + "@db/shop", "--target", target));
    args.addAll(List.of(extra));
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.toString()).isZero();
    return r.lastOutLine();
  }

  @Test
  void everyCommandHasHelpAndVersion() {
    List<CommandLine> all = new ArrayList<>();
    collect(LifeboatCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), all);
    assertThat(all).extracting(CommandLine::getCommandName)
        .contains("lifeboat", "backup", "list", "restore", "verify", "branch", "create", "delete", "demo");
    for (CommandLine c : all) {
      List<String> path = new ArrayList<>(List.of(c.getCommandSpec().qualifiedName(" ").split(" ")));
      path.remove(0);
      path.add("--help");
      Cli.Result help = Cli.run(path.toArray(String[]::new));
      assertThat(help.exit()).as(path.toString()).isZero();
      assertThat(help.out()).as(path.toString()).startsWith("Usage: " + c.getCommandSpec().qualifiedName(" "));
      path.set(path.size() - 1, "--version");
      Cli.Result version = Cli.run(path.toArray(String[]::new));
      assertThat(version.exit()).isZero();
      assertThat(version.out()).contains("lifeboat ").contains("Schemes: ").contains("fake").contains("file");
    }
  }

  private static void collect(CommandLine c, List<CommandLine> into) {
    into.add(c);
    c.getSubcommands().values().forEach(s -> collect(s, into));
  }

  @Test
  void badOptionIsUsageErrorInTwoLines() {
    Cli.Result r = Cli.run("backup", "--source", "fake://db/shop", "--target", target, "--no-such-option");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(2);
    assertThat(r.errLines().get(0)).startsWith("lifeboat: ").contains("--no-such-option");
    assertThat(r.errLines().get(1)).contains("lifeboat backup --help");
    assertThat(r.out()).isEmpty();

    assertThat(Cli.run("restore", "--target", target).exit()).as("missing required options").isEqualTo(2);
    assertThat(Cli.run("backup", "--source", "fake://db/shop", "--target", target, "--jobs", "many").exit()).isEqualTo(2);
    assertThat(Cli.run("backup", "--source", "fake://db/shop", "--target", target, "--compression", "lz4").exit()).isEqualTo(2);
    assertThat(Cli.run("backup", "--source", "fake://db/shop", "--target", target, "--label", "nokey").exit()).isEqualTo(2);
    assertThat(Cli.run("nosuchcommand").exit()).isEqualTo(2);
    Cli.Result bare = Cli.run();
    assertThat(bare.exit()).as("no command").isEqualTo(2);
    assertThat(bare.err()).startsWith("Usage: lifeboat");
    assertThat(Cli.run("branch").exit()).as("branch without a sub-command").isEqualTo(2);
  }

  @Test
  void restoreNeedsExactlyOneOfSnapshotAndAt() {
    Cli.Result neither = Cli.run("restore", "--target", target, "--destination", "fake://db/copy");
    assertThat(neither.exit()).as(neither.toString()).isEqualTo(2);
    assertThat(neither.err()).contains("--snapshot").contains("--at").contains("neither");
    Cli.Result both = Cli.run("restore", "--target", target, "--snapshot", "latest", "--at", "2026-11-21T10:00:00Z",
        "--destination", "fake://db/copy");
    assertThat(both.exit()).as(both.toString()).isEqualTo(2);
    assertThat(both.err()).contains("both");
    Cli.Result badInstant = Cli.run("restore", "--target", target, "--at", "yesterday", "--destination", "fake://db/copy");
    assertThat(badInstant.exit()).as(badInstant.toString()).isEqualTo(2);
  }

  @Test
  void optionErrorsFoundByTheLibraryAreUsageErrorsToo() {
    Cli.Result both = Cli.run("backup", "--source", "fake://db/shop", "--target", target, "--schema-only", "--data-only");
    assertThat(both.exit()).as(both.toString()).isEqualTo(2);
    assertThat(both.err()).contains("schema-only and data-only exclude each other");
    Cli.Result jobs = Cli.run("backup", "--source", "fake://db/shop", "--target", target, "--jobs", "0");
    assertThat(jobs.exit()).isEqualTo(2);
    assertThat(listIds()).isEmpty();
  }

  @Test
  void unknownSchemeIsUsageErrorNamingTheKnownSchemes() {
    Cli.Result r = Cli.run("backup", "--source", "oracle://db/x", "--target", target);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("lifeboat: backup cannot start: ").contains("'oracle:'").contains("fake").contains("file");
    assertThat(r.errLines()).hasSize(1);
    assertThat(Cli.run("list", "--target", "s4://bucket").exit()).isEqualTo(2);
  }

  @Test
  void badInstantIsUsageErrorShowingTheRightForm() {
    for (String bad : List.of("2026-11-21 10:00", "yesterday", "2026-11-21T10:00:00+02:00", "2026-13-01T00:00:00Z")) {
      Cli.Result r = Cli.run("backup", "--source", "fake://db/shop", "--target", target, "--at", bad);
      assertThat(r.exit()).as(bad).isEqualTo(2);
      assertThat(r.err()).as(bad).contains("2026-11-21T10:00:00Z");
    }
    Cli.Result good = Cli.run("backup", "--source", "fake://db/shop", "--target", target, "--at", "2026-11-21T10:00:00Z");
    assertThat(good.exit()).as("a past instant needs a branching target").isEqualTo(2);
    assertThat(good.err()).contains("Leave out --at");
  }

  @Test
  void backupPrintsTheIdLastAndListJsonContainsIt() throws IOException {
    String first = backup("--label", "reason=nightly", "--label", "team=ops", "--compression", "gzip");
    String second = backup();
    assertThat(first).matches("\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f]{8}");
    assertThat(second).isNotEqualTo(first);

    Cli.Result json = Cli.run("list", "--target", target, "--json");
    assertThat(json.exit()).isZero();
    JsonNode array = Json.mapper().readTree(json.out());
    assertThat(array.isArray()).isTrue();
    assertThat(array).hasSize(2);
    JsonNode m = array.get(0).get("manifest");
    assertThat(m.get("id").asText()).isEqualTo(first);
    assertThat(m.get("labels").get("reason").asText()).isEqualTo("nightly");
    assertThat(m.get("compression").asText()).isEqualTo("GZIP");
    assertThat(m.get("inventory").get("items").get(0).get("count").asLong()).isEqualTo(25);
    assertThat(array.get(1).get("manifest").get("id").asText()).isEqualTo(second);

    Cli.Result table = Cli.run("list", "--target", target);
    assertThat(table.exit()).isZero();
    assertThat(table.outLines().get(0)).startsWith("ID").contains("CREATED (UTC)", "FORMAT", "SIZE", "ROWS", "LABELS");
    assertThat(table.outLines().get(1)).startsWith(first).contains("fake-dump+gzip").contains("reason=nightly,team=ops")
        .containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z").contains(" 25 ");
    assertThat(table.outLines().get(2)).startsWith(second);
    assertThat(table.lastOutLine()).isEqualTo("2 snapshots in " + target);
  }

  @Test
  void settingsReachTheProviders() throws IOException {
    Cli.Result r = Cli.run("--setting", "fake.mode=careful", "backup", "--source", "fake://db/shop", "--target", target,
        "--setting", "fake.other=1");
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode props = Json.mapper().readTree(Cli.run("list", "--target", target, "--json").out()).get(0).get("manifest").get("properties");
    assertThat(props.get("setting.fake.mode").asText()).isEqualTo("careful");
    assertThat(props.get("setting.fake.other").asText()).isEqualTo("1");
  }

  @Test
  void missingSnapshotIsUsageError() throws IOException {
    backup();
    Cli.Result r = Cli.run("restore", "--target", target, "--snapshot", "20200101T000000.000Z-00000000", "--destination", "fake://db/copy");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("No snapshot '20200101T000000.000Z-00000000'").contains("lifeboat list --target");
    Files.createDirectories(dir.resolve("empty"));
    Cli.Result empty = Cli.run("verify", "--target", "file:" + dir.resolve("empty"), "--snapshot", "latest");
    assertThat(empty.exit()).isEqualTo(2);
    assertThat(empty.err()).contains("holds no snapshots");
  }

  @Test
  void anEmptySnapshotIdIsAUsageErrorNotLatest() {
    String id = backup();
    // ID=$(lifeboat backup ...) of a backup that failed, then --snapshot "$ID".
    for (String blank : List.of("", " ")) {
      Cli.Result restore = Cli.run("restore", "--target", target, "--snapshot", blank, "--destination", "fake://db/copy");
      assertThat(restore.exit()).as(restore.toString()).isEqualTo(2);
      assertThat(restore.err()).startsWith("lifeboat: restore cannot start: ").contains("'latest'");
      Cli.Result verify = Cli.run("verify", "--target", target, "--snapshot", blank);
      assertThat(verify.exit()).as(verify.toString()).isEqualTo(2);
      assertThat(verify.out()).isEmpty();
    }
    assertThat(FakeServer.rows("copy")).as("nothing was restored").isNull();
    Cli.Result latest = Cli.run("verify", "--target", target, "--snapshot", "LATEST");
    assertThat(latest.exit()).as(latest.toString()).isZero();
    assertThat(latest.out()).contains(id);
  }

  @Test
  void aDamagedSnapshotIsListedAsDamagedAndRefusedByVerifyRestoreAndLatest() throws IOException {
    String older = backup();
    String newest = backup("--label", "run=2");
    Path manifest = dir.resolve("store").resolve(newest).resolve("manifest.json");
    String original = Files.readString(manifest);
    Files.writeString(manifest, original.replace("\"count\" : 25", "\"count\" : 2500"));

    Cli.Result table = Cli.run("list", "--target", target);
    assertThat(table.exit()).as(table.toString()).isZero();
    assertThat(table.outLines()).anySatisfy(l -> assertThat(l).startsWith(newest).contains("DAMAGED"));
    assertThat(table.out()).contains("DAMAGED " + newest + ": its manifest.json was changed after it was written");
    assertThat(table.lastOutLine()).startsWith("2 snapshots in " + target + ", 1 damaged");
    JsonNode json = Json.mapper().readTree(Cli.run("list", "--target", target, "--json").out());
    assertThat(json).hasSize(2);
    assertThat(json.get(0).has("damaged")).isFalse();
    assertThat(json.get(1).get("manifest").get("id").asText()).isEqualTo(newest);
    assertThat(json.get(1).get("damaged").asText()).contains("changed after it was written");

    for (Cli.Result refused : List.of(
        Cli.run("verify", "--target", target, "--snapshot", "latest"),
        Cli.run("restore", "--target", target, "--snapshot", "latest", "--destination", "fake://db/copy"),
        Cli.run("verify", "--target", target, "--snapshot", newest),
        Cli.run("restore", "--target", target, "--snapshot", newest, "--destination", "fake://db/copy"))) {
      assertThat(refused.exit()).as(refused.toString()).isEqualTo(3);
      assertThat(refused.err()).contains(newest).contains("damaged").contains("changed after it was written");
      assertThat(refused.out()).as("the older snapshot is not used instead").isEmpty();
    }
    assertThat(FakeServer.rows("copy")).isNull();

    Files.writeString(manifest, "{\"id\": \"" + newest);
    assertThat(Cli.run("list", "--target", target).out()).contains("DAMAGED " + newest + ": its manifest.json is not valid JSON");
    Files.writeString(manifest, original);
    try (Stream<Path> files = Files.list(manifest.getParent())) {
      for (Path f : (Iterable<Path>) files.filter(f -> !f.equals(manifest))::iterator) {
        Files.delete(f);
      }
    }
    assertThat(Cli.run("list", "--target", target).out()).contains("DAMAGED " + newest + ": its archive file is missing");
    assertThat(Cli.run("verify", "--target", target, "--snapshot", "latest").exit()).isEqualTo(3);

    Cli.Result olderById = Cli.run("restore", "--target", target, "--snapshot", older, "--destination", "fake://db/copy");
    assertThat(olderById.exit()).as(olderById.toString()).isZero();
  }

  @Test
  void targetsThatAreNotFoldersOfSnapshotsAreUsageErrorsFoundBeforeTheDump() throws IOException {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    // The broken database fails during its dump (exit 1): exit 2 shows the target was checked first.
    Cli.Result intoFile = Cli.run("backup", "--source", "fake://db/broken", "--target", "file:" + file);
    assertThat(intoFile.exit()).as(intoFile.toString()).isEqualTo(2);
    assertThat(intoFile.errLines()).singleElement().satisfies(l ->
        assertThat(l).startsWith("lifeboat: backup cannot start: ").contains(file + " is a file, not a folder"));
    Cli.Result listFile = Cli.run("list", "--target", "file:" + file);
    assertThat(listFile.exit()).isEqualTo(2);
    assertThat(listFile.err()).contains("is a file, not a folder");

    String id = backup();
    String snapshotFolder = "file:" + dir.resolve("store").resolve(id);
    for (Cli.Result r : List.of(Cli.run("backup", "--source", "fake://db/broken", "--target", snapshotFolder),
        Cli.run("list", "--target", snapshotFolder))) {
      assertThat(r.exit()).as(r.toString()).isEqualTo(2);
      assertThat(r.err()).contains("is the folder of snapshot " + id).contains("Use the folder that holds it: " + dir.resolve("store"));
    }

    Path missing = dir.resolve("no-such-folder");
    Cli.Result listMissing = Cli.run("list", "--target", "file:" + missing);
    assertThat(listMissing.exit()).as(listMissing.toString()).isEqualTo(2);
    assertThat(listMissing.err()).contains(missing + " does not exist");
    assertThat(listMissing.out()).doesNotContain("No snapshots");
    Cli.Result created = Cli.run("backup", "--source", "fake://db/shop", "--target", "file:" + missing);
    assertThat(created.exit()).as("a backup creates its folder: " + created).isZero();
    assertThat(Cli.run("list", "--target", "file:" + missing).out()).contains(created.lastOutLine()).contains("1 snapshot");
  }

  @Test
  void flippedByteFailsVerifyAndRestoreWithThreeAndLeavesTheDestinationAlone() throws IOException {
    String id = backup();
    Cli.Result ok = Cli.run("verify", "--target", target, "--snapshot", id);
    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertThat(ok.out()).startsWith("VERIFIED").contains("PASS  size and sha256").contains("PASS  archive readable as fake-dump");

    Path archive;
    try (Stream<Path> files = Files.list(dir.resolve("store").resolve(id))) {
      archive = files.filter(p -> p.getFileName().toString().startsWith("archive")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(archive);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(archive, bytes);

    Cli.Result verify = Cli.run("verify", "--target", target, "--snapshot", "latest");
    assertThat(verify.exit()).as(verify.toString()).isEqualTo(3);
    assertThat(verify.out()).startsWith("FAILED").contains("FAIL  size and sha256");

    Cli.Result json = Cli.run("verify", "--target", target, "--snapshot", id, "--json");
    assertThat(json.exit()).isEqualTo(3);
    assertThat(Json.mapper().readTree(json.out()).get("passed").asBoolean()).isFalse();

    Cli.Result restore = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", "fake://db/copy");
    assertThat(restore.exit()).as(restore.toString()).isEqualTo(3);
    assertThat(restore.err()).contains("lifeboat: restore integrity check failed: ");
    assertThat(FakeServer.rows("copy")).as("the corrupt archive never reached the destination").isNull();
  }

  @Test
  void restoreRefusesNonEmptyAndSourceDestinationsUntilAsked() {
    String id = backup();
    FakeServer.put("copy", 7);
    Cli.Result refused = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", "fake://db/copy");
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.errLines()).hasSize(1);
    assertThat(refused.err()).startsWith("lifeboat: restore refused: ").contains("--replace");
    assertThat(FakeServer.rows("copy")).isEqualTo(7);

    Cli.Result replaced = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", "fake://db/copy", "--replace");
    assertThat(replaced.exit()).as(replaced.toString()).isZero();
    assertThat(replaced.out()).startsWith("RESTORED  snapshot " + id + " into fake://db/copy");
    assertThat(FakeServer.rows("copy")).isEqualTo(25);

    Cli.Result onSource = Cli.run("restore", "--target", target, "--snapshot", "latest", "--destination", "fake://db/shop", "--replace");
    assertThat(onSource.exit()).isEqualTo(2);
    assertThat(onSource.err()).startsWith("lifeboat: restore refused: ").contains("--confirm shop");
    Cli.Result wrongName = Cli.run("restore", "--target", target, "--snapshot", "latest", "--destination", "fake://db/shop",
        "--replace", "--confirm", "shop2");
    assertThat(wrongName.exit()).isEqualTo(2);
    FakeServer.put("shop", 3);
    Cli.Result confirmed = Cli.run("restore", "--target", target, "--snapshot", "latest", "--destination", "fake://db/shop",
        "--replace", "--confirm", "shop");
    assertThat(confirmed.exit()).as(confirmed.toString()).isZero();
    assertThat(FakeServer.rows("shop")).isEqualTo(25);
  }

  @Test
  void restoreWithVerifyPrintsTheChecksAndExitsThreeWhenOneFails() {
    String id = backup();
    Cli.Result ok = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", "fake://db/copy", "--verify",
        "--no-orphans", "--expect-sql", "true");
    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("RESTORED").contains("VERIFIED").contains("PASS  count public.items  25 rows")
        .contains("PASS  no orphaned foreign keys");

    Cli.Result bad = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", "fake://db/copy", "--replace",
        "--verify", "--expect-sql", "false");
    assertThat(bad.exit()).as(bad.toString()).isEqualTo(3);
    assertThat(bad.out()).contains("FAILED").contains("FAIL  false");
  }

  @Test
  void verifyAgainstADestination() throws IOException {
    String id = backup();
    assertThat(Cli.run("restore", "--target", target, "--snapshot", id, "--destination", "fake://db/copy").exit()).isZero();
    Cli.Result ok = Cli.run("verify", "--target", target, "--snapshot", id, "--destination", "fake://db/copy",
        "--fresh", "public.items.created_at=2h", "--json");
    assertThat(ok.exit()).as(ok.toString()).isZero();
    JsonNode v = Json.mapper().readTree(ok.out());
    assertThat(v.get("passed").asBoolean()).isTrue();
    assertThat(v.get("checks").get(1).get("name").asText()).isEqualTo("fresh public.items.created_at");
    assertThat(v.get("checks").get(1).get("detail").asText()).isEqualTo("within PT2H");

    FakeServer.put("copy", 24);
    Cli.Result drifted = Cli.run("verify", "--target", target, "--snapshot", id, "--destination", "fake://db/copy");
    assertThat(drifted.exit()).isEqualTo(3);
    assertThat(drifted.out()).contains("FAIL  count public.items  expected 25, found 24");

    assertThat(Cli.run("verify", "--target", target, "--snapshot", id, "--destination", "fake://db/copy", "--fresh", "items=2h").exit())
        .isEqualTo(2);
    assertThat(Cli.run("verify", "--target", target, "--snapshot", id, "--destination", "fake://db/copy", "--fresh", "t.c=soon").exit())
        .isEqualTo(2);
    Cli.Result noDest = Cli.run("verify", "--target", target, "--snapshot", id, "--no-orphans");
    assertThat(noDest.exit()).isEqualTo(2);
    assertThat(noDest.err()).contains("add --destination");
  }

  @Test
  void failedOperationIsExitOneWithoutStackTraceUnlessVerbose() {
    Cli.Result r = Cli.run("backup", "--source", "fake://app:" + SECRET + "@db/broken", "--target", target);
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.errLines().get(0)).startsWith("lifeboat: backup failed: ");
    assertThat(r.errLines()).hasSizeLessThanOrEqualTo(2);
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain(SECRET);
    assertThat(r.out()).isEmpty();
    assertThat(listIds()).as("nothing listed after a failed backup").isEmpty();

    Cli.Result verbose = Cli.run("backup", "--verbose", "--source", "fake://app:" + SECRET + "@db/broken", "--target", target);
    assertThat(verbose.exit()).isEqualTo(1);
    assertThat(verbose.err()).contains("\tat ").contains("LifeboatException").doesNotContain(SECRET);

    Cli.Result verboseFirst = Cli.run("--verbose", "backup", "--source", "fake://db/broken", "--target", target);
    assertThat(verboseFirst.err()).as("--verbose before the command works too").contains("\tat ");
  }

  @Test
  void passwordInTheSourceUriIsNeverPrinted() {
    String id = backup("--label", "by=test");
    List<Cli.Result> runs = List.of(
        Cli.run("backup", "--source", "fake://app:" + SECRET + "@db/shop", "--target", target),
        Cli.run("backup", "--source", "fake://app:" + SECRET + "@db/missing", "--target", target),
        Cli.run("backup", "--source", "fake://app:" + SECRET + "@db/shop", "--target", target, "--bogus"),
        Cli.run("backup", "--source", "fake://app:" + SECRET + "@db/shop?password=" + SECRET, "--target", target, "--at", "now"),
        Cli.run("list", "--target", target),
        Cli.run("list", "--target", target, "--json"),
        Cli.run("restore", "--target", target, "--snapshot", id, "--destination", "fake://app:" + SECRET + "@db/shop"),
        Cli.run("restore", "--target", target, "--snapshot", id, "--destination", "fake://app:" + SECRET + "@db/copy", "--verify"),
        Cli.run("verify", "--target", target, "--snapshot", id, "--destination", "fake://app:" + SECRET + "@db/copy", "--json"));
    for (Cli.Result r : runs) {
      assertThat(r.all()).doesNotContain(SECRET);
    }
    assertThat(runs.get(6).err()).as("the refusal names the destination, redacted").contains("fake://app@db/shop");
    assertThat(runs.get(1).exit()).isEqualTo(1);
    assertThat(runs.get(1).err()).contains("fake://app@db/missing");
  }

  /** A password typed with spaces in it (drivers take it) is a password all the same. */
  @Test
  void passwordWithSpacesIsNeverPrinted() {
    String spaced = "my " + SECRET + " pw";
    List<Cli.Result> runs = List.of(
        Cli.run("backup", "--source", "postgresql://app:" + spaced + "@localhost:5432", "--target", target),
        Cli.run("backup", "--source", "postgresql://app:" + spaced + "@localhost:99999/shop", "--target", target),
        Cli.run("--verbose", "backup", "--source", "postgresql://app:" + spaced + "@localhost:5432", "--target", target));
    for (Cli.Result r : runs) {
      assertThat(r.exit()).as(r.toString()).isIn(1, 2);
      assertThat(r.all()).as(r.toString()).doesNotContain(SECRET).doesNotContain("my ");
    }
    assertThat(runs.get(0).errLines().get(0)).contains("'postgresql://app@localhost:5432' names no database");
    assertThat(runs.get(2).err()).contains("Backing up postgresql://app@localhost:5432 into ");
  }

  @Test
  void branchCommands() throws IOException {
    String on = "fake://proj-" + System.nanoTime();
    String project = on.substring("fake://".length());
    Instant before = Instant.now();
    Cli.Result created = Cli.run("branch", "create", "--on", on, "--name", "drill-1", "--expires-in", "2h",
        "--at", "2026-11-21T10:00:00Z");
    assertThat(created.exit()).as(created.toString()).isZero();
    assertThat(created.out()).contains("Created branch drill-1").contains("parent br-main");
    assertThat(created.out()).contains("Connect: fake://branchuser@fakehost/drill-1").doesNotContain("branch-secret-pw");
    Branch b = FakeBranching.branches(project).get("drill-1");
    assertThat(b.attributes()).containsEntry("at", "2026-11-21T10:00:00Z");
    assertThat(Duration.between(before, b.expiresAt())).isBetween(Duration.ofHours(2), Duration.ofHours(2).plusMinutes(1));

    Cli.Result list = Cli.run("branch", "list", "--on", on);
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains("main").contains("drill-1").contains("default").contains("2 branches on " + on);
    JsonNode json = Json.mapper().readTree(Cli.run("branch", "list", "--on", on, "--json").out());
    assertThat(json.findValuesAsText("name")).containsExactlyInAnyOrder("main", "drill-1");

    assertThat(Cli.run("branch", "create", "--on", on, "--name", "x", "--expires-in", "soon").exit()).isEqualTo(2);
    assertThat(Cli.run("branch", "create", "--on", on, "--name", "x", "--at", "2026-11-21").exit()).isEqualTo(2);

    Cli.Result deleteDefault = Cli.run("branch", "delete", "--on", on, "--name", "main");
    assertThat(deleteDefault.exit()).isEqualTo(2);
    assertThat(deleteDefault.err()).startsWith("lifeboat: branch delete refused: ");
    Cli.Result deleted = Cli.run("branch", "delete", "--on", on, "--name", "drill-1");
    assertThat(deleted.exit()).isZero();
    assertThat(FakeBranching.branches(project)).doesNotContainKey("drill-1");
    assertThat(Cli.run("branch", "delete", "--on", on, "--name", "drill-1").exit()).as("gone").isEqualTo(2);
    assertThat(Cli.run("branch", "list", "--on", target).exit()).as("file: cannot branch").isEqualTo(2);
  }

  @Test
  void demoRejectsBadRowsBeforeStartingAnything() {
    for (String rows : List.of("0", "-5", "1000001", "300000000000", "many")) {
      Cli.Result r = Cli.run("demo", "--rows", rows);
      assertThat(r.exit()).as(r.toString()).isEqualTo(2);
      assertThat(r.errLines().get(0)).as(r.toString()).contains("'--rows'").contains("use 1 to 1000000");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void jobsOutsideOneToSixtyFourAreUsageErrorsNamingTheRange() {
    String id = backup();
    for (String jobs : List.of("0", "65", "100000", "99999999999", "-1")) {
      Cli.Result b = Cli.run("backup", "--source", "fake://db/shop", "--target", target, "--jobs", jobs);
      assertThat(b.exit()).as(b.toString()).isEqualTo(2);
      assertThat(b.errLines().get(0)).as(b.toString()).contains("'--jobs'").contains(jobs).contains("use 1 to 64");
      Cli.Result r = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", "fake://db/copy", "--jobs", jobs);
      assertThat(r.exit()).as(r.toString()).isEqualTo(2);
      assertThat(r.errLines().get(0)).as(r.toString()).contains("use 1 to 64");
    }
    assertThat(FakeServer.rows("copy")).as("nothing restored").isNull();
    assertThat(listIds()).containsExactly(id);
    Cli.Result most = Cli.run("backup", "--source", "fake://db/shop", "--target", target, "--jobs", "64");
    assertThat(most.exit()).as(most.toString()).isZero();
  }

  @Test
  void durationsTooLongForAnInstantAreUsageErrors() {
    String on = "fake://proj-" + System.nanoTime();
    for (String d : List.of("99999999999999999999d", "P99999999999999D", "36501d")) {
      Cli.Result r = Cli.run("branch", "create", "--on", on, "--name", "x", "--expires-in", d);
      assertThat(r.exit()).as(r.toString()).isEqualTo(2);
      assertThat(r.errLines().get(0)).as(r.toString()).contains("36500d");
    }
  }

  @Test
  void unknownSettingIsUsageErrorInOneLineListingTheProvidersKeys() {
    Cli.Result r = Cli.run("--setting", "fake.mood=calm", "list", "--target", target);
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).as(r.toString()).hasSize(1);
    assertThat(r.err()).startsWith("lifeboat: list cannot start: Unknown setting 'fake.mood'")
        .contains("fake.mode, fake.other");
    Cli.Result after = Cli.run("backup", "--source", "fake://db/shop", "--target", target, "--setting", "fake.mood=calm");
    assertThat(after.exit()).as(after.toString()).isEqualTo(2);
    assertThat(listIds()).isEmpty();
  }

  @Test
  void unexpectedExceptionsAndErrorsAreOneLineEndingWithTheHint() {
    Cli.Result crash = Cli.run("backup", "--source", "fake://app:" + SECRET + "@db/crash", "--target", target);
    assertThat(crash.exit()).as(crash.toString()).isEqualTo(1);
    assertThat(crash.errLines()).as(crash.toString()).containsExactly("lifeboat: backup failed: IllegalStateException: "
        + "The driver gave up on fake://app@db/crash. It said more on a second line. " + ErrorReporter.VERBOSE_HINT);

    Cli.Result fatal = Cli.run("backup", "--source", "fake://db/fatal", "--target", target);
    assertThat(fatal.exit()).as(fatal.toString()).isEqualTo(1);
    assertThat(fatal.errLines()).as(fatal.toString()).containsExactly(
        "lifeboat: backup failed: NoClassDefFoundError: org/example/MissingFromTheJar. " + ErrorReporter.VERBOSE_HINT);

    Cli.Result verbose = Cli.run("--verbose", "backup", "--source", "fake://db/fatal", "--target", target);
    assertThat(verbose.exit()).isEqualTo(1);
    assertThat(verbose.err()).contains("\tat ").doesNotContain(ErrorReporter.VERBOSE_HINT);
    assertThat(listIds()).isEmpty();
  }

  /** Typical failures: no sentence ended twice ("failed..") and no doubled word ("option option"). */
  @Test
  void errorMessagesHaveNoDoubledPunctuationOrWords() {
    String id = backup();
    List<Cli.Result> runs = List.of(
        Cli.run("backup", "--source", "fake://db/shop", "--target", target, "--label", "nokey"),
        Cli.run("--setting", "nokey", "list", "--target", target),
        Cli.run("backup", "--source", "fake://db/crash", "--target", target),
        Cli.run("backup", "--source", "fake://db/missing", "--target", target),
        Cli.run("backup", "--source", "fake://db/broken", "--target", target),
        Cli.run("restore", "--target", target, "--snapshot", id, "--destination", "fake://db/shop", "--replace"),
        Cli.run("restore", "--target", target, "--snapshot", "20200101T000000.000Z-00000000", "--destination", "fake://db/x"),
        Cli.run("verify", "--target", target, "--snapshot", id, "--no-orphans"),
        Cli.run("verify", "--target", target, "--snapshot", id, "--destination", "fake://db/copy", "--fresh", "t.c=soon"),
        Cli.run("branch", "delete", "--on", "fake://proj-x", "--name", "main"));
    for (Cli.Result r : runs) {
      assertThat(r.exit()).as(r.toString()).isIn(1, 2, 3);
      assertThat(r.err()).as(r.toString()).startsWith("lifeboat: ").doesNotContain("..")
          .doesNotContainIgnoringCase("option option");
    }
  }

  /** Mistakes on the command line are usage errors in two lines, found before anything is stored or restored. */
  @Test
  void commandLineMistakesAreUsageErrorsBeforeAnyWork() {
    String id = backup();
    List<String[]> mistakes = List.of(
        new String[] {"backup", "--source", "fake://db/shop", "--target", target, "--label", "k=v", "--label", "k=w"},
        new String[] {"backup", "--source", "fake://db/shop", "--target", target, "--label", "nokey"},
        new String[] {"restore", "--target", target, "--snapshot", id, "--destination", "fake://db/copy", "--expect-sql", " "},
        new String[] {"verify", "--target", target, "--snapshot", id, "--destination", "fake://db/shop", "--expect-sql", ""},
        new String[] {"keys"},
        new String[] {"help", "lst"},
        new String[] {"--setting", "lifeboat.zstdLevel=3", "backup", "--source", "fake://db/shop", "--target", target,
            "--setting", "lifeboat.zstdLevel=9"},
        new String[] {"backup", "--source", "fake://db/shop", "--target", target, "--setting", "=9"},
        new String[] {"restore", "--source", "fake://db/shop", "--target", target, "--snapshot", id});
    List<String> firstLines = new ArrayList<>();
    for (String[] args : mistakes) {
      Cli.Result r = Cli.run(args);
      assertThat(r.exit()).as(r.toString()).isEqualTo(2);
      assertThat(r.errLines()).as(r.toString()).hasSize(2);
      firstLines.add(r.errLines().get(0));
    }
    assertThat(firstLines).containsExactly(
        "lifeboat: --label k is given twice (k=v and k=w); give each key once.",
        "lifeboat: --label wants KEY=VALUE, e.g. reason=nightly, not 'nokey'.",
        "lifeboat: --expect-sql is empty; give a query that returns true, e.g. \"SELECT count(*) > 0 FROM orders\".",
        "lifeboat: --expect-sql is empty; give a query that returns true, e.g. \"SELECT count(*) > 0 FROM orders\".",
        "lifeboat: Name a keys command: generate.",
        "lifeboat: 'lst' is not a command; did you mean 'list'? The commands: backup, list, restore, verify, drill, branch, prune, health, keys, demo.",
        "lifeboat: --setting lifeboat.zstdLevel is given twice (lifeboat.zstdLevel=3 and lifeboat.zstdLevel=9); give each key once.",
        "lifeboat: --setting wants KEY=VALUE, e.g. pgdump.bin=/usr/lib/postgresql/16/bin, not '=9'.",
        "lifeboat: Unknown option: '--source'; lifeboat restore does not take it.");
    assertThat(listIds()).containsExactly(id);
  }

  /** A folder option given a file says so, and the demo says it before starting a server. */
  @Test
  void folderOptionsGivenAFileSaySo() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Cli.Result keys = Cli.run("keys", "generate", "--out", file.toString());
    assertThat(keys.exit()).as(keys.toString()).isEqualTo(2);
    assertThat(keys.errLines()).containsExactly("lifeboat: keys generate cannot start: " + file
        + " is a file, not a folder. Give --out a folder to write the key files into (created when missing).");
    Cli.Result demo = Cli.run("demo", "--dir", file.toString(), "--rows", "1");
    assertThat(demo.exit()).as(demo.toString()).isEqualTo(2);
    assertThat(demo.out()).as("nothing started").isEmpty();
    assertThat(demo.errLines()).containsExactly("lifeboat: demo cannot start: --dir " + file
        + " is a file, not a folder. Give a folder for the demo's snapshots (created when missing).");
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  /** restore --at on a folder of snapshots says the folder has no points in time, not that an id it never saw is missing. */
  @Test
  void restoreAtAPointInTimeOfAFolderSaysItHasNone() {
    backup();
    Cli.Result r = Cli.run("restore", "--target", target, "--at", "2026-01-01T00:00:00Z", "--destination", "fake://db/copy");
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).as(r.toString()).hasSize(1);
    assertThat(r.err()).startsWith("lifeboat: restore cannot start: Target " + target + " has no point in time 2026-01-01T00:00:00Z:")
        .contains("--snapshot ID or latest").doesNotContain("pitr@");
  }

  /** A name with two dots in it is shown as given, while a sentence ended twice still loses its extra dot. */
  @Test
  void namesWithTwoDotsAreShownAsGiven() {
    backup();
    Cli.Result missing = Cli.run("list", "--target", "file:" + dir.resolve("shop..old"));
    assertThat(missing.exit()).as(missing.toString()).isEqualTo(2);
    assertThat(missing.errLines().get(0)).contains(dir.resolve("shop..old").toString());
    Cli.Result id = Cli.run("restore", "--target", target, "--snapshot", "../../etc", "--destination", "fake://db/copy");
    assertThat(id.exit()).as(id.toString()).isEqualTo(2);
    assertThat(id.errLines().get(0)).contains("'../../etc'");
    assertThat(ErrorReporter.oneLine("The backup failed.. Try again.")).isEqualTo("The backup failed. Try again.");
    assertThat(ErrorReporter.oneLine("It stopped. .")).isEqualTo("It stopped.");
    assertThat(ErrorReporter.oneLine("Waiting...")).isEqualTo("Waiting...");
  }

  @Test
  void oneOfAThingIsSingular() {
    FakeServer.put("single", 1);
    Cli.Result backup = Cli.run("backup", "--source", "fake://db/single", "--target", target);
    assertThat(backup.exit()).as(backup.toString()).isZero();
    assertThat(backup.err()).contains("1 object, 1 row");
    String id = backup.lastOutLine();
    assertThat(Cli.run("list", "--target", target).lastOutLine()).isEqualTo("1 snapshot in " + target);
    Cli.Result restore = Cli.run("restore", "--target", target, "--snapshot", id, "--destination", "fake://db/copy", "--verify");
    assertThat(restore.exit()).as(restore.toString()).isZero();
    assertThat(restore.out()).contains("(1 object, ").contains("(1 check, 0 failed)").contains("PASS  count public.items  1 row")
        .doesNotContain("1 rows").doesNotContain("1 checks").doesNotContain("1 objects");
  }

  @Test
  void providerDetailsGetTheSingularAfterALoneOne() {
    assertThat(Summaries.singularAfterOne("1 indexes")).isEqualTo("1 index");
    assertThat(Summaries.singularAfterOne("1 rows of a.b reference missing rows of c.d")).isEqualTo("1 row of a.b reference missing rows of c.d");
    assertThat(Summaries.singularAfterOne("11 indexes, 21 rows, 0.1 rows, 2 tables")).isEqualTo("11 indexes, 21 rows, 0.1 rows, 2 tables");
    assertThat(Summaries.count(0, "snapshot", "snapshots")).isEqualTo("0 snapshots");
  }

  private List<String> listIds() {
    try {
      JsonNode array = Json.mapper().readTree(Cli.run("list", "--target", target, "--json").out());
      List<String> ids = new ArrayList<>();
      array.forEach(n -> ids.add(n.get("manifest").get("id").asText()));
      return ids;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
