package dev.lifeboat.mongo;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the MongoDB and JSONB standby restorers do alike before and around loading. */
final class RestoreSupport {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreSupport.class);

  private RestoreSupport() {}

  /**
   * Refuses a destination that already holds {@code clashes} with {@code DESTINATION_NOT_EMPTY}
   * unless {@code replace}; with it, drops each of them.
   *
   * @param refusal the error message when refusing; it says what to do next
   * @param where the destination, for the log
   */
  static <E extends Exception> void refuseOrDrop(List<String> clashes, boolean replace, String refusal, Object where, Drop<E> drop)
      throws E {
    if (clashes.isEmpty()) {
      return;
    }
    if (!replace) {
      throw new LifeboatException(ErrorCode.DESTINATION_NOT_EMPTY, refusal);
    }
    for (String name : clashes) {
      LOG.info("Dropping {} in {} before restoring it", name, where);
      drop.drop(name);
    }
  }

  /** Drops one clashing collection or table. */
  @FunctionalInterface
  interface Drop<E extends Exception> {
    void drop(String name) throws E;
  }

  /** The error for an archive that could not be read while restoring it. */
  static LifeboatException readFailure(Manifest manifest, IOException e) {
    return new LifeboatException(ErrorCode.RESTORE_FAILED, "Reading snapshot " + manifest.id() + " failed: " + e.getMessage(), e);
  }
}
