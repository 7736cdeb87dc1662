package dev.lifeboat.pgdump;

import dev.lifeboat.Location;
import dev.lifeboat.tck.BackupSourceContract;
import java.util.Map;

/** The TCK's source contract against {@link PgBackupSource}. */
class PgBackupSourceContractTest extends BackupSourceContract {
  @Override
  protected Location sourceLocation() {
    return TckServer.source();
  }

  @Override
  protected Map<String, Long> expectedCounts() {
    return TckServer.expectedCounts();
  }

  @Override
  protected String expectedKind() {
    return "postgresql";
  }

  @Override
  protected Location unreachableSource() {
    return Location.parse("postgresql://postgres:" + TckServer.PASSWORD + "@localhost:1/tck_src");
  }
}
