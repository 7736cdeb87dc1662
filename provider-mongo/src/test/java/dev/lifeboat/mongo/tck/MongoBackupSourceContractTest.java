package dev.lifeboat.mongo.tck;

import dev.lifeboat.Location;
import dev.lifeboat.tck.BackupSourceContract;
import java.util.Map;

/** The TCK's source contract for MongoDB sources. */
class MongoBackupSourceContractTest extends BackupSourceContract {
  @Override
  protected Location sourceLocation() {
    return TckServers.mongo().source();
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("mongo.serverSelectionTimeoutMs", "500");
  }

  @Override
  protected Map<String, Long> expectedCounts() {
    return MongoSeed.COUNTS;
  }

  @Override
  protected String expectedKind() {
    return "mongodb";
  }

  @Override
  protected Location unreachableSource() {
    return Location.parse("mongodb://lifeboat:tck-secret@127.0.0.1:1/shop");
  }
}
