package dev.lifeboat.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
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

  private Path script(Path file, String body) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void aDispatcherIsAskedOnlyWhenNoToolIsFoundDirectly() throws IOException {
    Path asked = dir.resolve("dispatcher-was-asked");
    Path dispatcher = script(dir.resolve("share/pg_wrapper"), "touch " + asked + "; echo 'pg_dump (PostgreSQL) 16.4'");
    Path wrapped = Files.createDirectories(dir.resolve("usr/bin"));
    Files.createSymbolicLink(wrapped.resolve("pg_dump"), dispatcher);
    Path direct = dir.resolve("lib/15/bin");
    script(direct.resolve("pg_dump"), "echo 'pg_dump (PostgreSQL) 15.3'");

    PgTools chosen = PgTools.probeInBackground(new LinkedHashSet<>(List.of(wrapped, direct)), "pg_dump", Optional.empty())
        .select(0, "any server");
    assertThat(chosen.folder()).isEqualTo(direct);
    assertThat(chosen.version()).isEqualTo("15.3");
    assertThat(asked).as("the dispatcher was not run").doesNotExist();

    PgTools onlyDispatcher = PgTools.probeInBackground(new LinkedHashSet<>(List.of(wrapped)), "pg_dump", Optional.empty())
        .select(0, "any server");
    assertThat(onlyDispatcher.version()).isEqualTo("16.4");
    assertThat(asked).as("with no tool found directly, the dispatcher is asked").exists();
  }
}
