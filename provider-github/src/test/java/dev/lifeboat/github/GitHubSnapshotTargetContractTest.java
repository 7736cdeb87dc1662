package dev.lifeboat.github;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.spi.SnapshotTarget;
import dev.lifeboat.tck.SnapshotTargetContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's commit protocol over GitHub releases, through a fake GitHub on real HTTP servers. Assets
 * are at most 1 MiB here, so the contract's 3 MiB archive is stored in numbered parts, and the
 * fake answers 7 items a page, so every listing follows {@code Link} headers.
 */
class GitHubSnapshotTargetContractTest extends SnapshotTargetContract {
  private static final AtomicInteger N = new AtomicInteger();
  private static FakeGitHub gh;
  @TempDir static Path scratch;

  @BeforeAll
  static void start() {
    gh = new FakeGitHub(GitHubStores.TOKEN).pageSize(7);
  }

  @AfterAll
  static void stop() {
    gh.close();
  }

  @Override
  protected SnapshotTarget newTarget() {
    String repo = "acme/contract-" + N.incrementAndGet();
    gh.repo(repo, true);
    return SnapshotTarget.over(GitHubStores.store(gh, repo, scratch, Map.of("github.partSize", String.valueOf(1 << 20))));
  }

  private static FakeGitHub.Release release(SnapshotTarget target, String id) {
    String repo = target.location().raw().substring("github-release://".length());
    return gh.releases(repo).stream().filter(r -> r.tag.equals("lifeboat-" + id)).findFirst().orElseThrow();
  }

  @Override
  protected void corruptStoredBytes(SnapshotTarget target, String id) {
    FakeGitHub.Asset archive = release(target, id).assets.stream().filter(a -> a.name.startsWith("archive")).findFirst().orElseThrow();
    byte[] bytes = archive.bytes.clone();
    bytes[bytes.length / 2] ^= (byte) 0xFF;
    gh.replaceBytes(archive, bytes, false);
  }

  @Override
  protected void alterStoredManifest(SnapshotTarget target, String id) {
    FakeGitHub.Asset manifest = release(target, id).assets.stream().filter(a -> a.name.equals("manifest.json")).findFirst().orElseThrow();
    try {
      ObjectMapper json = new ObjectMapper();
      ObjectNode tree = (ObjectNode) json.readTree(manifest.bytes);
      tree.put("size", tree.get("size").asLong() + 1);
      gh.replaceBytes(manifest, json.writeValueAsBytes(tree), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
