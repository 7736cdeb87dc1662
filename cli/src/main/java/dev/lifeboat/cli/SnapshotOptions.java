package dev.lifeboat.cli;

import picocli.CommandLine.Option;

/** Which stored snapshot a command works on, shared by {@code restore} and {@code verify}. */
final class SnapshotOptions {
  @Option(names = "--target", required = true, paramLabel = "URI", description = "The snapshot target, e.g. file:/backups.")
  String target;

  @Option(names = "--snapshot", required = true, paramLabel = "ID|latest", description = "The snapshot id, or latest.")
  String snapshot;
}
