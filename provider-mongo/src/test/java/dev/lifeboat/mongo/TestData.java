package dev.lifeboat.mongo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** The shared sample archives. A missing shared folder fails the test loudly. */
final class TestData {
  private TestData() {}

  static Path dir() {
    String shared = System.getProperty("lifeboat.shared.dir");
    if (shared == null) {
      throw new IllegalStateException("The system property lifeboat.shared.dir is not set; run the tests through Maven, "
          + "which points it at ../shared beside the project.");
    }
    Path p = Path.of(shared, "testdata", "mongo");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("Sample archives not found at " + p + " (set -Dlifeboat.shared.dir)");
    }
    return p;
  }

  static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(dir().resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] gzip(byte[] data) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(data);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
