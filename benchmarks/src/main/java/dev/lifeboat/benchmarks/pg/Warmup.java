package dev.lifeboat.benchmarks.pg;

import dev.lifeboat.Json;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Manifest;
import java.io.IOException;

/**
 * Brings a fresh JVM to the state of a service that has run Lifeboat before: providers discovered
 * and manifests read and written once, so a timed call measures the work, not class loading.
 */
final class Warmup {
  private Warmup() {}

  static void run(Lifeboat lifeboat, String target) throws IOException {
    lifeboat.list(target);
    Manifest sample = Manifest.builder().id("20260101T000000.000Z-00000000").format("pg-custom").build();
    Json.mapper().readValue(Json.write(sample), Manifest.class);
  }
}
