package dev.lifeboat.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored object of a {@link BlobStore}.
 *
 * @param key its key, {@code /}-separated, e.g. {@code 20260101T000000.000Z-1a2b3c4d/manifest.json}
 * @param size its size in bytes
 * @param modifiedAt when it was last written
 */
public record Blob(String key, long size, Instant modifiedAt) {
  public Blob {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(modifiedAt, "modifiedAt");
  }
}
