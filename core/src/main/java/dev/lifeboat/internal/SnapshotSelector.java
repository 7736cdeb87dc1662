package dev.lifeboat.internal;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.util.Locale;

/**
 * The rules for naming the snapshot an operation works on: an id, or the literal {@code latest}
 * (any case). An empty or blank name is refused rather than read as {@code latest}: a script that
 * runs {@code ID=$(lifeboat backup …)} and then restores {@code "$ID"} must fail when the backup
 * failed, not restore an older snapshot.
 */
public final class SnapshotSelector {
  static final String LATEST = "latest";

  private SnapshotSelector() {}

  /** {@code idOrLatest} itself, or a {@code CONFIGURATION} error when it is missing or blank. */
  public static String require(String idOrLatest) {
    if (idOrLatest == null || idOrLatest.isBlank()) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          "No snapshot named (the snapshot id is empty). Give a snapshot id (see 'lifeboat list') or 'latest'; "
              + "an empty id never means the latest snapshot.");
    }
    return idOrLatest;
  }

  /** Whether {@code idOrLatest} asks for the newest snapshot. */
  public static boolean isLatest(String idOrLatest) {
    return LATEST.equals(idOrLatest.toLowerCase(Locale.ROOT));
  }
}
