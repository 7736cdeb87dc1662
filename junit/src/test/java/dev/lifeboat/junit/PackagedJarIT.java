package dev.lifeboat.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What ships is the module jar: runs sample test classes in a separate JVM whose class path holds
 * the packaged {@code lifeboat-junit} jar (not the compiled classes) and its runtime dependencies,
 * against the fixture's server and snapshot, and checks how they ended.
 */
class PackagedJarIT {
  private static Path jar;

  @BeforeAll
  static void prepare() {
    jar = Path.of(System.getProperty("lifeboat.junit.jar"));
    assertThat(jar).isRegularFile();
    Fixture.snapshot();
    MongoFixture.snapshot();
  }

  private static String classPath() {
    return classPath(entry -> true);
  }

  /** The packaged jar and the test class path without the compiled classes, keeping the entries {@code keep} accepts. */
  private static String classPath(java.util.function.Predicate<String> keep) {
    Path classes = Path.of(System.getProperty("lifeboat.junit.classes")).toAbsolutePath().normalize();
    List<String> entries = new ArrayList<>();
    entries.add(jar.toString());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry).toAbsolutePath().normalize();
      if (!p.equals(classes) && !p.equals(jar.toAbsolutePath().normalize()) && keep.test(entry)) {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static List<String> launch(int expectedExit, String... classes) throws Exception {
    return launch(classPath(), expectedExit, classes);
  }

  private static List<String> launch(String classPath, int expectedExit, String... classes) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classPath,
        "-D" + Fixture.TARGET_PROPERTY + "=" + Fixture.target(),
        "-D" + Fixture.SERVER_PROPERTY + "=" + Fixture.uri("postgres"),
        "-D" + LifeboatExtension.SERVER_PROPERTY + "=" + Fixture.uri("postgres"),
        "-D" + Fixture.ENCRYPTED_TARGET_PROPERTY + "=" + System.getProperty(Fixture.ENCRYPTED_TARGET_PROPERTY),
        "-D" + Fixture.PRIVATE_KEY_PROPERTY + "=" + System.getProperty(Fixture.PRIVATE_KEY_PROPERTY),
        "-D" + MongoFixture.TARGET_PROPERTY + "=" + System.getProperty(MongoFixture.TARGET_PROPERTY),
        "-D" + MongoFixture.SERVER_PROPERTY + "=" + System.getProperty(MongoFixture.SERVER_PROPERTY),
        SampleLauncher.class.getName()));
    command.addAll(Arrays.asList(classes));
    Path log = Files.createTempFile("lifeboat-junit-jar", ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the sample run ended").isTrue();
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    Files.delete(log);
    assertThat(p.exitValue()).as(String.join("\n", lines)).isEqualTo(expectedExit);
    return lines;
  }

  @Test
  void samplesPassWithTheExtensionLoadedFromThePackagedJar() throws Exception {
    List<String> out = launch(0, "dev.lifeboat.junit.samples.MethodScopeSample", "dev.lifeboat.junit.samples.ClassScopeSample",
        "dev.lifeboat.junit.samples.DefaultServerSample", "dev.lifeboat.junit.samples.EncryptedSample",
        "dev.lifeboat.junit.samples.MongoMethodScopeSample");

    assertThat(out).contains("extension from: " + jar.toUri().toURL(), "succeeded: 8, failed: 0");
    assertThat(Fixture.copies()).isEmpty();
    assertThat(MongoFixture.lifeboatDatabases()).isEmpty();
  }

  @Test
  void postgresCopiesNeedNoMongoDriverOnTheClassPath() throws Exception {
    String withoutMongo = classPath(entry -> !entry.contains("mongodb-driver") && !entry.contains("/bson")
        && !entry.contains("provider-mongo") && !entry.contains("mongo-java-server"));
    assertThat(withoutMongo).doesNotContain("mongodb-driver");

    List<String> out = launch(withoutMongo, 0, "dev.lifeboat.junit.samples.MethodScopeSample");

    assertThat(out).contains("succeeded: 2, failed: 0");
    assertThat(Fixture.copies()).isEmpty();
  }

  @Test
  void aMissingSnapshotFailsTheSampleWithOneLine() throws Exception {
    List<String> out = launch(1, "dev.lifeboat.junit.samples.WrongInputSample");

    List<String> failures = out.stream().filter(l -> l.startsWith("failure: missingSnapshot")).collect(Collectors.toList());
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0)).contains("@Restored(target = file:").contains("20200101T000000.000Z-00000000");
    assertThat(out).contains("succeeded: 0, failed: 7");
  }
}
