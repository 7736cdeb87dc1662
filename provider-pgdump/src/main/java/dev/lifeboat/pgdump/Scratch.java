package dev.lifeboat.pgdump;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.postgres.Words;
import dev.lifeboat.io.ScratchFolders;
import dev.lifeboat.spi.ProviderContext;
import java.io.IOException;
import java.nio.file.Path;

/** Scratch folders for formats that need files: the setting {@value #SETTING}, else the system temp folder. */
final class Scratch {
  static final String SETTING = "lifeboat.scratchDir";

  private Scratch() {}

  static Path create(ProviderContext context, String prefix) {
    Path base = context.setting(SETTING).filter(s -> !s.isBlank()).map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir")));
    try {
      return ScratchFolders.create(base, prefix);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "Cannot create a scratch folder in " + base + ": " + Words.clause(e.getMessage())
          + ". Set " + SETTING + " to a writable folder with room for the archive.", e);
    }
  }
}
