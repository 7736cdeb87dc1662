package dev.lifeboat.spi;

import dev.lifeboat.Expectation;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Verification;
import java.util.List;

/**
 * Checks a restored database against a snapshot's manifest and the user's expectations. Returns
 * one check per fact, never a bare boolean.
 */
public interface RestoreVerifier {

  /** Whether this verifier checks {@code format} restored into {@code destination}. */
  boolean accepts(String format, Location destination);

  /**
   * Checks the destination.
   *
   * @param manifest the snapshot's manifest (counts, columns, indexes)
   * @param destination the restored database
   * @param tables when only some tables were restored, those; empty for all
   * @param expectations the user's extra checks; any it cannot evaluate is a failed check
   */
  Verification verify(Manifest manifest, Location destination, List<String> tables, List<Expectation> expectations);
}
