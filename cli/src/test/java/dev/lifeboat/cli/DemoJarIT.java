package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lifeboat demo} through the packaged jar, as the README's quick start runs it. */
class DemoJarIT {
  @TempDir Path work;

  /**
   * The demo ends with a command to try next; pasted as printed, from the same folder, it must
   * work: the jar named by a path that exists from there, the demo's store as the target.
   */
  @Test
  void theDemoRestoresAndVerifiesAndItsHintWorksAsPrinted() throws Exception {
    PackagedJar.Run demo = PackagedJar.run(work, "demo", "--rows", "50", "--dir", work.resolve("demo store").toString());
    assertThat(demo.exit()).as(demo.toString()).isZero();
    assertThat(demo.out()).contains("VERIFIED").contains("The backup restored and verified.");
    String hint = demo.out().lines().filter(l -> l.startsWith("try: ")).findFirst().orElseThrow().substring("try: ".length());
    assertThat(hint).startsWith("java -jar " + PackagedJar.jar()).contains(" list --target \"file:");

    PackagedJar.Run list = PackagedJar.start(work, Map.of(), List.of(), words(hint));
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out()).contains("demo=true").contains("1 snapshot");
  }

  /** {@code line} split as a shell would: at spaces outside double quotes. */
  private static String[] words(String line) {
    return Arrays.stream(line.split(" (?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")).map(w -> w.replace("\"", "")).toArray(String[]::new);
  }
}
