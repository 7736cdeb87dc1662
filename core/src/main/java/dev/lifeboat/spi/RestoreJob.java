package dev.lifeboat.spi;

import dev.lifeboat.Location;
import dev.lifeboat.ProgressListener;
import dev.lifeboat.RestoreOptions;
import java.util.Objects;

/**
 * One restore handed to a {@link Restorer}.
 *
 * @param archive the checked archive
 * @param destination where to load it
 * @param options replace, confirmation, tables, jobs
 * @param progress where to report progress
 */
public record RestoreJob(Archive archive, Location destination, RestoreOptions options, ProgressListener progress) {
  public RestoreJob {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(options, "options");
    progress = progress == null ? ProgressListener.NONE : progress;
  }
}
