package dev.lifeboat.mongo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** The shared sample archives. A missing shared folder fails the test loudly. */
public final class TestData {
  /** mongorestore's test archive of one collection, {@code test.bar}. */
  public static final String BAR = "mongo-tools/mongorestore/testdata/test.bar.archive";
  /** mongorestore's test archive with an oplog. */
  public static final String OPLOG = "mongo-tools/mongorestore/testdata/dump-w-oplog.archive";
  /** mongorestore's test archive of time series collections. */
  public static final String TIMESERIES = "mongo-tools/mongorestore/testdata/timeseries_tests/dump.archive";
  /** A dump of a recent server (users and roles included). */
  public static final String MODERN = "mongodump-parser/test.dump";
  /** mongorestore's test archive in a bad format. */
  public static final String BAD = "mongo-tools/mongorestore/testdata/bad-format.archive";

  private TestData() {}

  public static Path dir() {
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

  public static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(dir().resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] gzip(byte[] data) {
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
