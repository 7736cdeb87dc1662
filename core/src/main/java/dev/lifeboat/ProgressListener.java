package dev.lifeboat;

/** Receives progress reports. Called on the working thread: keep it quick. */
@FunctionalInterface
public interface ProgressListener {
  /** A listener that ignores everything. */
  ProgressListener NONE = p -> {};

  void onProgress(Progress progress);
}
