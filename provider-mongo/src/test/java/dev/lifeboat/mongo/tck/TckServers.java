package dev.lifeboat.mongo.tck;

/**
 * The servers the TCK contract classes share: one seeded MongoDB source and one PostgreSQL for
 * JSONB standbys, each started on first use and stopped when the JVM exits. Every contract writes
 * to destinations of its own ({@code fresh()} hands out a new one each call) and leaves the source
 * and the busy destinations as they were, so one server serves them all.
 */
final class TckServers {
  private static MongoSeed mongo;
  private static StandbySeed standby;

  private TckServers() {}

  static synchronized MongoSeed mongo() {
    if (mongo == null) {
      mongo = new MongoSeed();
      Runtime.getRuntime().addShutdownHook(new Thread(mongo::close));
    }
    return mongo;
  }

  static synchronized StandbySeed standby() {
    if (standby == null) {
      standby = new StandbySeed();
      Runtime.getRuntime().addShutdownHook(new Thread(standby::close));
    }
    return standby;
  }
}
