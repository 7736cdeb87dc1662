package dev.lifeboat.internal;

import dev.lifeboat.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Test help: rewrites a folder store's manifest.json, validly sealed, to record an archive's current
 * size and SHA-256, as someone who can write to the store could.
 */
public final class TestReseal {
  private TestReseal() {}

  public static void toArchive(Path manifestFile, Path archive) throws IOException {
    try {
      Manifest manifest = SealedManifest.read(Files.readAllBytes(manifestFile));
      byte[] bytes = Files.readAllBytes(archive);
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      Files.write(manifestFile, SealedManifest.write(manifest.toBuilder().size(bytes.length).sha256(sha).build()));
    } catch (SealedManifest.Untrusted | NoSuchAlgorithmException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
