package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar on its own, without servers: every provider is in it and found, option and
 * setting errors are usage errors naming what is allowed, and failures read well. (CommandLineTest
 * covers the same rules in depth in-process; these prove them for the jar.)
 */
class PackagedJarIT {
  @TempDir Path work;

  @Test
  void versionListsEverySchemeTheReadmeNames() throws Exception {
    PackagedJar.Run version = PackagedJar.run(work, "--version");
    assertThat(version.exit()).as(version.toString()).isZero();
    assertThat(version.err()).as(version.toString()).isEmpty();
    String schemes = version.outLines().stream().filter(l -> l.startsWith("Schemes: ")).findFirst().orElse("");
    assertThat(List.of(schemes.substring(schemes.indexOf(' ') + 1).split(", ")))
        .as("a provider missing from the jar, or its META-INF/services entry lost in the merge")
        .contains("file", "postgresql", "postgres", "mongodb", "mongodb+srv", "neon", "s3", "github-release", "supabase");
  }

  @Test
  void unknownSettingIsAUsageErrorInOneLineListingThatProvidersKeys() throws Exception {
    PackagedJar.Run mongo = PackagedJar.run(work, "--setting", "mongo.serverSelectionTimeout=5000",
        "list", "--target", work.resolve("store").toString());
    assertThat(mongo.exit()).as(mongo.toString()).isEqualTo(2);
    assertThat(mongo.errLines()).as(mongo.toString()).hasSize(1);
    assertThat(mongo.err()).startsWith("lifeboat: list cannot start: Unknown setting 'mongo.serverSelectionTimeout'")
        .contains("mongo.serverSelectionTimeoutMs", "mongo.parallelCollections").doesNotContain("neon.apiKey");
    assertThat(mongo.out()).isEmpty();
  }

  @Test
  void outOfRangeNumbersAreUsageErrorsNamingTheRange() throws Exception {
    PackagedJar.Run jobs = PackagedJar.run(work, "backup", "--source", "postgresql://app@127.0.0.1:1/shop",
        "--target", work.resolve("store").toString(), "--jobs", "100000");
    assertThat(jobs.exit()).as(jobs.toString()).isEqualTo(2);
    assertThat(jobs.errLines().get(0)).as(jobs.toString()).contains("'--jobs'").contains("use 1 to 64");

    PackagedJar.Run rows = PackagedJar.run(work, "demo", "--rows", "1000001", "--dir", work.resolve("demo").toString());
    assertThat(rows.exit()).as(rows.toString()).isEqualTo(2);
    assertThat(rows.errLines().get(0)).as(rows.toString()).contains("'--rows'").contains("use 1 to 1000000");
    assertThat(rows.out()).as("nothing started").isEmpty();
  }

  /**
   * Messages written by the real providers and picocli, through the jar: no sentence ended twice
   * (the PostgreSQL driver's message ends with a period that the provider's hint used to follow
   * with another) and no doubled word ("option option"); a failure while working is one line.
   */
  @Test
  void errorMessagesHaveNoDoubledPunctuationOrWords() throws Exception {
    String target = work.resolve("store").toString();
    String closedPg = "postgresql://app@127.0.0.1:" + PackagedJar.closedPort() + "/shop";
    PackagedJar.Run unreachable = PackagedJar.run(work, "backup", "--source", closedPg, "--target", target);
    PackagedJar.Run badLabel = PackagedJar.run(work, "backup", "--source", closedPg, "--target", target, "--label", "nokey");
    for (PackagedJar.Run r : List.of(unreachable, badLabel)) {
      assertThat(r.err()).as(r.toString()).startsWith("lifeboat: ").doesNotContain("..").doesNotContainIgnoringCase("option option");
    }
    assertThat(unreachable.exit()).as(unreachable.toString()).isEqualTo(1);
    assertThat(unreachable.errLines()).as(unreachable.toString()).hasSize(1);
    assertThat(unreachable.err()).contains("127.0.0.1");
    assertThat(badLabel.exit()).as(badLabel.toString()).isEqualTo(2);
    assertThat(badLabel.errLines()).as(badLabel.toString()).hasSize(2);
  }
}
