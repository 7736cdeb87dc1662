package dev.lifeboat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.spi.BackupSource;
import dev.lifeboat.spi.LifeboatProvider;
import dev.lifeboat.spi.ProviderContext;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which provider serves a scheme several serve: the highest priority, then those given to the builder, then by name. */
class ProviderOrderTest {
  @TempDir
  java.nio.file.Path dir;

  @Test
  void providersAreAskedByPriorityThenBuilderThenName() {
    try (Lifeboat lifeboat = Lifeboat.builder()
        .provider(new Named("zeta", 0))
        .provider(new Named("beta", 0))
        .provider(new Named("low", -1))
        .provider(new Named("high", 10))
        .build()) {
      List<String> names = lifeboat.providers().stream().map(LifeboatProvider::name).toList();
      assertThat(names.subList(0, 3)).containsExactly("high", "beta", "zeta");
      assertThat(names.get(names.size() - 1)).isEqualTo("low");
      assertThat(names).as("discovered providers of priority 0 come after the builder's, by name")
          .containsSubsequence("zeta", "fake", "file", "low");
    }
  }

  @Test
  void theFirstProviderInThatOrderThatOffersThePartServesIt() {
    try (Lifeboat lifeboat = Lifeboat.builder().provider(new Named("nothing", 5)).build()) {
      // "nothing" serves fake: too and comes first, but offers no source: the fake provider's is used.
      Snapshot s = lifeboat.backup(BackupRequest.builder("fake://db.local/shop?rows=3", "file:" + dir).build());
      assertThat(s.manifest().source().kind()).isEqualTo("fake");
    }
  }

  /** A provider of the {@code fake} scheme that offers nothing. */
  private record Named(String name, int priority) implements LifeboatProvider {
    @Override
    public Set<String> schemes() {
      return Set.of("fake");
    }

    @Override
    public Optional<BackupSource> source(Location location, ProviderContext context) {
      return Optional.empty();
    }
  }
}
