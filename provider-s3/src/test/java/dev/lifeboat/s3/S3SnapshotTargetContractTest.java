package dev.lifeboat.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.Json;
import dev.lifeboat.spi.SnapshotTarget;
import dev.lifeboat.tck.SnapshotTargetContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's commit protocol over {@link S3BlobStore} against the snapshot target contract, on a real
 * S3 API server (s3proxy); each test gets its own prefix of one bucket. Stored bytes are damaged
 * in the server's files, as a faulty disk or a stray writer would.
 */
class S3SnapshotTargetContractTest extends SnapshotTargetContract {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final String BUCKET = "contract";
  static S3ProxyServer server;
  @TempDir static Path data;

  @BeforeAll
  static void start() throws Exception {
    server = S3ProxyServer.start(data.resolve("s3"));
    server.createBucket(BUCKET);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Override
  protected SnapshotTarget newTarget() {
    // Small parts: the 5 MiB part minimum, so larger archives of the contract go multipart.
    return SnapshotTarget.over(S3Stores.open(server, BUCKET, "backups/t" + PREFIXES.incrementAndGet(), 5 << 20));
  }

  @Override
  protected void corruptStoredBytes(SnapshotTarget target, String id) {
    Path file = archiveFile(target, id);
    try {
      byte[] all = Files.readAllBytes(file);
      all[all.length / 2] ^= (byte) 0xFF;
      Files.write(file, all);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected void alterStoredManifest(SnapshotTarget target, String id) {
    Path manifest = folder(target, id).resolve("manifest.json");
    try {
      ObjectNode json = (ObjectNode) Json.mapper().readTree(manifest.toFile());
      json.put("size", json.get("size").asLong() + 1);
      Files.write(manifest, Json.mapper().writeValueAsBytes(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path folder(SnapshotTarget target, String id) {
    S3Location where = S3Location.parse(target.location());
    return server.dataDir().resolve(where.bucket()).resolve(where.prefix()).resolve(id);
  }

  static Path archiveFile(SnapshotTarget target, String id) {
    try (Stream<Path> files = Files.list(folder(target, id))) {
      List<Path> archives = files.filter(p -> p.getFileName().toString().startsWith("archive")).toList();
      if (archives.size() != 1) {
        throw new AssertionError("expected one archive file in " + folder(target, id) + ", found " + archives);
      }
      return archives.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
