package dev.lifeboat.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgToolsTest {
  @TempDir Path dir;

  @Test
  void aToolReachedThroughADispatcherIsNotTheToolItself() throws IOException {
    Path dispatcher = Files.writeString(dir.resolve("pg_wrapper"), "#!/bin/sh\n");
    Path linked = Files.createSymbolicLink(dir.resolve("pg_restore"), dispatcher);
    Path real = Files.createDirectories(dir.resolve("15/bin")).resolve("pg_restore");
    Files.writeString(real, "#!/bin/sh\n");
    Path linkToReal = Files.createSymbolicLink(dir.resolve("pg_dump"), Files.writeString(dir.resolve("15/bin/pg_dump"), ""));

    assertThat(PgTools.isDirect(linked)).isFalse();
    assertThat(PgTools.isDirect(real)).isTrue();
    assertThat(PgTools.isDirect(linkToReal)).as("a link to the tool under its own name is the tool").isTrue();
    assertThat(PgTools.isDirect(dir.resolve("missing"))).isFalse();
  }
}
