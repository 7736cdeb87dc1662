/**
 * Lifeboat's GitHub Releases provider: {@code github-release://OWNER/REPO} as a snapshot store,
 * one release per snapshot (tag {@code lifeboat-ID}) holding the archive and the sealed manifest
 * as assets, under core's commit protocol.
 */
module dev.lifeboat.provider.github {
  requires transitive dev.lifeboat.core;
  requires com.fasterxml.jackson.databind;
  requires okhttp3;
  requires io.github.resilience4j.retry;
  requires io.github.resilience4j.core;
  requires org.slf4j;

  exports dev.lifeboat.github;

  provides dev.lifeboat.spi.LifeboatProvider with dev.lifeboat.github.GitHubProvider;
}
