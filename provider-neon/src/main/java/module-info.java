/**
 * Lifeboat's Neon provider: branch snapshots, point-in-time restore branches, throwaway branches
 * and health checks on the Neon API v2. A branch resolves to its direct {@code postgresql://}
 * location, which core dumps, restores and verifies with whichever provider serves it.
 */
module dev.lifeboat.provider.neon {
  requires dev.lifeboat.core;
  requires dev.lifeboat.postgres;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires okhttp3;
  requires io.github.resilience4j.retry;
  requires io.github.resilience4j.core;
  requires org.slf4j;

  exports dev.lifeboat.neon;
  exports dev.lifeboat.neon.api;

  opens dev.lifeboat.neon.api to com.fasterxml.jackson.databind;

  provides dev.lifeboat.spi.LifeboatProvider with dev.lifeboat.neon.NeonProvider;
}
