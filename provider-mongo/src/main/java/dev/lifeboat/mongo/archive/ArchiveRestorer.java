package dev.lifeboat.mongo.archive;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.Formats;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import dev.lifeboat.spi.Archive;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.Restorer;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every restorer of {@code mongo-archive} snapshots shares, whatever it loads into: the
 * format it reads, the archive check before a restore (framing, CRC-64, counts against the
 * manifest), the full read of {@code verify} without a destination (the same, every document
 * decoded too), and the refusals and wording around loading.
 */
public abstract class ArchiveRestorer implements Restorer {
  /** How many unexpected collections or tables a refusal names. */
  protected static final int NAMED = 10;

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveRestorer.class);

  /** The settings, secrets and progress listener of the Lifeboat instance. */
  protected final ProviderContext context;

  /** A restorer working with {@code context}. */
  protected ArchiveRestorer(ProviderContext context) {
    this.context = context;
  }

  @Override
  public final Set<String> formats() {
    return Set.of(Formats.MONGO_ARCHIVE);
  }

  @Override
  public final String checkArchive(Archive archive) {
    return ArchiveCheck.check(archive);
  }

  /** Every block and CRC, and every document decoded: see {@link ArchiveCheck#readWhole}. */
  @Override
  public final String readArchive(Archive archive) {
    return ArchiveCheck.readWhole(archive);
  }

  /**
   * Refuses a destination that already holds {@code clashes} with {@code DESTINATION_NOT_EMPTY}
   * unless {@code replace}; with it, drops each of them.
   *
   * @param refusal the error message when refusing; it says what to do next
   * @param where the destination, for the log
   */
  protected static <E extends Exception> void refuseOrDrop(List<String> clashes, boolean replace, String refusal, Object where,
      Drop<E> drop) throws E {
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
  protected static void refuseExtras(List<String> extras, String what, Object destination, Manifest manifest) {
    if (extras.isEmpty()) {
      return;
    }
    List<String> named = extras.stream().sorted().limit(NAMED).toList();
    String more = extras.size() > NAMED ? " and " + (extras.size() - NAMED) + " more" : "";
    throw new LifeboatException(ErrorCode.DESTINATION_NOT_EMPTY, "Replacing would not make " + destination + " equal snapshot "
        + manifest.id() + ": it holds " + extras.size() + " " + what + " the snapshot does not have (" + String.join(", ", named)
        + more + "). Nothing was changed. Drop them first, or restore into an empty database.");
  }

  /** The error for an archive that could not be read while restoring it. */
  protected static LifeboatException readFailure(Manifest manifest, IOException e) {
    return new LifeboatException(ErrorCode.RESTORE_FAILED, "Reading snapshot " + manifest.id() + " failed: " + e.getMessage(), e);
  }

  /** Drops one clashing collection or table. */
  @FunctionalInterface
  protected interface Drop<E extends Exception> {
    /** Drops {@code name}. */
    void drop(String name) throws E;
  }
}
