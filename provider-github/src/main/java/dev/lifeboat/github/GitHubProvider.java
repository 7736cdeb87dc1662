package dev.lifeboat.github;

import dev.lifeboat.Location;
import dev.lifeboat.spi.BlobStore;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * Serves {@code github-release://OWNER/REPO} as an archive store: each snapshot is one release of
 * the repository (tag {@code lifeboat-ID}) holding the archive and the sealed manifest as assets
 * ({@link ReleaseBlobStore}). Needs a token in {@code GITHUB_TOKEN} or {@code GH_TOKEN}; the API
 * base is {@code GITHUB_API_URL} (GitHub Enterprise) or the public API. A public repository takes
 * no unencrypted snapshot.
 */
public final class GitHubProvider implements LifeboatProvider {
  private static final String SHARED_HTTP_KEY = "okhttp.client";

  /** Created by {@link java.util.ServiceLoader}. */
  public GitHubProvider() {
    // Stateless: each store is opened per call from its location.
  }

  @Override
  public String name() {
    return "github";
  }

  @Override
  public Set<String> schemes() {
    return Set.of(GitHubLocation.SCHEME);
  }

  @Override
  public Set<String> settingKeys() {
    return GitHubSettings.KEYS;
  }

  @Override
  public Optional<BlobStore> store(Location location, ProviderContext context) {
    GitHubLocation repo = GitHubLocation.parse(location);
    GitHubSettings settings = GitHubSettings.from(context);
    return Optional.of(new ReleaseBlobStore(location, repo, settings, new GitHubHttp(settings, sharedHttp(context))));
  }

  /** The OkHttp client every provider of one Lifeboat instance shares (its pool and threads). */
  private static OkHttpClient sharedHttp(ProviderContext context) {
    return context.shared(SHARED_HTTP_KEY, OkHttpClient.class, () -> new OkHttpClient.Builder()
        .connectTimeout(10, TimeUnit.SECONDS)
        .readTimeout(60, TimeUnit.SECONDS)
        .writeTimeout(60, TimeUnit.SECONDS)
        .retryOnConnectionFailure(false)
        .build());
  }
}
