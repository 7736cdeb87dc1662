package dev.lifeboat.junit;

import dev.lifeboat.Location;
import javax.sql.DataSource;

/**
 * A throwaway copy of a restored snapshot, handed to a test by {@link Restored}. It lives as long
 * as its {@link Scope} and is dropped afterwards, also when the test fails.
 */
public interface RestoredDatabase {
  /**
   * The copy's database name, e.g. {@code lifeboat_t_20250101120000_3f9a1c_7}; for a Neon copy,
   * the branch's name (its database keeps the backup branch's database name).
   */
  String name();

  /**
   * A JDBC URL of the copy that connects on its own: user and password travel as parameters, so
   * do not print it. A MongoDB copy has none and throws {@link UnsupportedOperationException}.
   */
  String jdbcUrl();

  /**
   * The copy as a Lifeboat {@code postgresql://} (or {@code mongodb://}) location, e.g. for {@code Lifeboat.verify}; its
   * {@code toString()} leaves the password out, {@link Location#raw()} keeps it.
   */
  Location uri();

  /** The id of the snapshot the copy was restored from ({@code latest} resolved). */
  String snapshotId();

  /**
   * A data source for the copy (pgjdbc's simple data source: a new connection per call). A
   * MongoDB copy has none and throws {@link UnsupportedOperationException}.
   */
  DataSource dataSource();
}
