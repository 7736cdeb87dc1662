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

  /** How many unexpected collections or tables a refusal names. */
  static final int NAMED = 10;

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

  /**
   * Refuses, with {@code DESTINATION_NOT_EMPTY}, to replace into a destination that holds
   * {@code extras} the snapshot does not have: dropping only what the snapshot restores would leave
   * them beside it, and the destination would not equal the snapshot. Names the first
   * {@value #NAMED} of them and how many more.
   *
   * @param what {@code collections} or {@code tables in schema public}, say
   */
  static void refuseExtras(List<String> extras, String what, Object destination, Manifest manifest) {
    if (extras.isEmpty()) {
      return;
    }
    List<String> named = extras.stream().sorted().limit(NAMED).toList();
    String more = extras.size() > NAMED ? " and " + (extras.size() - NAMED) + " more" : "";
    throw new LifeboatException(ErrorCode.DESTINATION_NOT_EMPTY, "Replacing would not make " + destination + " equal snapshot "
        + manifest.id() + ": it holds " + extras.size() + " " + what + " the snapshot does not have (" + String.join(", ", named)
        + more + "). Nothing was changed. Drop them first, or restore into an empty database.");
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
