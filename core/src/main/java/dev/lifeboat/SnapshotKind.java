package dev.lifeboat;

/** How a snapshot is kept. */
public enum SnapshotKind {
  /** Bytes of a dump plus a manifest, in a store such as a folder. */
  ARCHIVE,
  /** A platform-native copy, such as a Neon branch. */
  BRANCH
}
