package dev.lifeboat.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.lifeboat.Snapshot;
import dev.lifeboat.junit.samples.MongoClassScopeSample;
import dev.lifeboat.junit.samples.MongoMethodScopeSample;
import dev.lifeboat.junit.samples.MongoWrongInputSample;
import dev.lifeboat.junit.samples.Seen;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * MongoDB snapshots through JUnit's own engine: a real archive made by {@code Lifeboat.backup}
 * of a database on mongo-java-server, restored into scratch databases on the same server.
 */
class MongoCopiesTest {
  private static Snapshot snapshot;

  @BeforeAll
  static void snapshot() {
    snapshot = MongoFixture.snapshot();
    Fixture.snapshot();
  }

  @BeforeEach
  void clear() {
    Seen.clear();
  }

  private static EngineExecutionResults run(Class<?>... classes) {
    return EngineTestKit.engine("junit-jupiter").selectors(java.util.Arrays.stream(classes)
        .map(c -> selectClass(c)).toArray(org.junit.platform.engine.DiscoverySelector[]::new)).execute();
  }

  @Test
  void eachMethodGetsAFreshScratchDatabaseInjectedAsMongoDatabase() {
    assertThat(snapshot.manifest().format()).isEqualTo("mongo-archive");
    EngineExecutionResults results = run(MongoMethodScopeSample.class);

    results.testEvents().assertStatistics(s -> s.started(2).succeeded(2).failed(0));
    List<Object> names = Seen.get("mongo.names");
    assertThat(names).hasSize(2).doesNotHaveDuplicates().allSatisfy(n -> assertThat((String) n).startsWith("lifeboat_t_"));
    assertThat(Seen.get("mongo.before")).containsExactly((long) MongoFixture.ORDERS);
    // The second test's database holds every order although the first deleted them all in its own.
    assertThat(Seen.get("mongo.orders")).containsExactly((long) MongoFixture.ORDERS);
    // The parameters and the field of one test share that test's database.
    assertThat(Seen.get("mongo.handle")).containsExactly(names.get(0));
    assertThat(Seen.get("mongo.field")).containsExactly(names.get(0), names.get(1));
    assertThat(Seen.get("mongo.snapshot")).containsExactly(snapshot.id());
    assertThat((String) Seen.get("mongo.uri").get(0)).startsWith("mongodb://").endsWith("/" + names.get(0));
    // The source is untouched and no scratch database is left.
    assertThat(MongoFixture.client().getDatabase(MongoFixture.SOURCE).getCollection("orders").countDocuments())
        .isEqualTo(MongoFixture.ORDERS);
    assertThat(MongoFixture.lifeboatDatabases()).isEmpty();
  }

  @Test
  void classScopeSharesOneDatabaseAndAFailedTestsDatabaseIsDroppedToo() {
    EngineExecutionResults results = run(MongoClassScopeSample.class);

    results.testEvents().assertStatistics(s -> s.succeeded(2).failed(1));
    List<Object> names = Seen.get("mongoClass.names");
    assertThat(names).hasSize(2);
    assertThat(names.get(0)).isEqualTo(names.get(1));
    assertThat(Seen.get("mongoClass.orders")).containsExactly((long) MongoFixture.ORDERS - 15);
    assertThat(Seen.get("mongoClass.failing")).hasSize(1).doesNotContain(names.get(0));
    assertThat(MongoFixture.lifeboatDatabases()).isEmpty();
  }

  @Test
  void mixingUpMongoAndPostgresFailsWithOneClearLine() {
    EngineExecutionResults results = run(MongoWrongInputSample.class);

    results.testEvents().assertStatistics(s -> s.failed(4).succeeded(0));
    Map<String, String> messages = results.testEvents().failed().stream().collect(Collectors.toMap(
        e -> e.getTestDescriptor().getDisplayName().replaceAll("\\(.*", ""),
        e -> e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage()));
    assertThat(messages.values()).allSatisfy(m -> assertThat(m).doesNotContain("\n").startsWith("@Restored("));
    assertThat(messages.get("dataSourceOfAMongoSnapshot")).contains("MongoDB archive").contains("MongoDatabase");
    assertThat(messages.get("mongoSnapshotOnAPostgresServer")).contains("MongoDB archive").contains("mongodb://");
    assertThat(messages.get("postgresSnapshotOnAMongoServer")).contains("is a MongoDB server").contains("PostgreSQL server");
    assertThat(messages.get("mongoDatabaseOfAPostgresSnapshot")).contains("needs a MongoDB snapshot");
    assertThat(MongoFixture.lifeboatDatabases()).isEmpty();
  }

  @Test
  void scratchDatabasesOfAKilledRunAreSweptAndYoungOnesKept() {
    String old = "lifeboat_t_20200101000000_abcdef_1";
    String young = "lifeboat_t_" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
        + "_abcdef_2";
    MongoFixture.client().getDatabase(old).getCollection("x").insertOne(new Document("a", 1));
    MongoFixture.client().getDatabase(young).getCollection("x").insertOne(new Document("a", 1));
    try {
      run(MongoMethodScopeSample.class).testEvents().assertStatistics(s -> s.succeeded(2));

      assertThat(MongoFixture.lifeboatDatabases()).containsExactly(young);
    } finally {
      MongoFixture.client().getDatabase(old).drop();
      MongoFixture.client().getDatabase(young).drop();
    }
  }

  @Test
  void locateReplacesTheDatabaseAndKeepsWhereCredentialsWereChecked() {
    assertThat(MongoCopies.locate("mongodb://h:1", "x")).isEqualTo("mongodb://h:1/x");
    assertThat(MongoCopies.locate("mongodb://h:1/app?tls=true", "x")).isEqualTo("mongodb://h:1/x?tls=true");
    assertThat(MongoCopies.locate("mongodb://u:p@h:1/app", "x")).isEqualTo("mongodb://u:p@h:1/x?authSource=app");
    assertThat(MongoCopies.locate("mongodb://u:p@h:1", "x")).isEqualTo("mongodb://u:p@h:1/x?authSource=admin");
    assertThat(MongoCopies.locate("mongodb+srv://u:p@c.example/?authSource=z", "x")).isEqualTo("mongodb+srv://u:p@c.example/x?authSource=z");
  }
}
