package dev.lifeboat.github;

import dev.lifeboat.Location;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Stores on a {@link FakeGitHub}, with short waits so that retries take milliseconds. */
final class GitHubStores {
  /** Shaped like a real token, so that a leak cannot hide behind a short value. */
  static final String TOKEN = "ghp_T0kenThatMustNeverBePrinted0123456789";

  private GitHubStores() {}

  static Map<String, String> settings(Path scratch, Map<String, String> extra) {
    Map<String, String> s = new HashMap<>();
    s.put("lifeboat.scratchDir", scratch.toString());
    s.put("github.retry.initialBackoff", "1ms");
    s.put("github.retry.rateLimitPause", "20ms");
    s.put("github.retry.maxTime", "20s");
    // GitHub's pace would make the contract's hundreds of writes take minutes; CreationPacerTest checks it.
    s.put("github.pace.perMinute", "100000");
    s.put("github.pace.perHour", "1000000");
    s.putAll(extra);
    return s;
  }

  static ReleaseBlobStore store(FakeGitHub gh, String repo, Path scratch, Map<String, String> extra) {
    TestContext context = new TestContext(settings(scratch, extra), Map.of("GITHUB_TOKEN", TOKEN, "GITHUB_API_URL", gh.apiUrl()));
    return (ReleaseBlobStore) new GitHubProvider().store(Location.parse("github-release://" + repo), context).orElseThrow();
  }
}
