package dev.lifeboat.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.lifeboat.Snapshot;
import dev.lifeboat.junit.samples.ClassScopeSample;
import dev.lifeboat.junit.samples.DefaultServerSample;
import dev.lifeboat.junit.samples.EncryptedSample;
import dev.lifeboat.junit.samples.FailingSample;
import dev.lifeboat.junit.samples.MethodScopeSample;
import dev.lifeboat.junit.samples.MisusedScopeSample;
import dev.lifeboat.junit.samples.MixedScopeSample;
import dev.lifeboat.junit.samples.ParallelSample;
import dev.lifeboat.junit.samples.PasswordSample;
import dev.lifeboat.junit.samples.Seen;
import dev.lifeboat.junit.samples.TemplateReuseASample;
import dev.lifeboat.junit.samples.TemplateReuseBSample;
import dev.lifeboat.junit.samples.WrongInputSample;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs the sample test classes through JUnit's own engine ({@link EngineTestKit}) against a real
 * embedded PostgreSQL and a real snapshot made by {@code Lifeboat.backup}, and checks what the
 * samples saw, how they ended, and what was left on the server.
 */
class LifeboatExtensionTest {
  private static Snapshot snapshot;

  @BeforeAll
  static void snapshot() {
    snapshot = Fixture.snapshot();
  }

  @BeforeEach
  void clear() {
    Seen.clear();
  }

  /** Engine configuration that counts the extension's restores with {@link RestoreCounter}. */
  private static final Map<String, String> COUNTED = Map.of(LifeboatExtension.LISTENER_PARAMETER, RestoreCounter.class.getName());

  private static EngineExecutionResults run(Map<String, String> config, DiscoverySelector... selectors) {
    return EngineTestKit.engine("junit-jupiter").configurationParameters(config).selectors(selectors).execute();
  }

  private static EngineExecutionResults run(Class<?>... classes) {
    DiscoverySelector[] selectors = new DiscoverySelector[classes.length];
    for (int i = 0; i < classes.length; i++) {
      selectors[i] = selectClass(classes[i]);
    }
    return run(Map.of(), selectors);
  }

  private static String failure(EngineExecutionResults results, String method) {
    Event event = results.testEvents().failed().stream()
        .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(method + "("))
        .findFirst().orElseThrow(() -> new AssertionError(method + " did not fail"));
    return event.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage();
  }

  @Test
  void everyInjectableTypeWorksAndEachMethodGetsAFreshCopy() throws SQLException {
    EngineExecutionResults results = run(MethodScopeSample.class);

    results.testEvents().assertStatistics(s -> s.started(2).succeeded(2).failed(0));
    List<Object> names = Seen.get("method.names");
    assertThat(names).hasSize(2).doesNotHaveDuplicates().allSatisfy(n -> assertThat((String) n).startsWith("lifeboat_t_"));
    // The second test's copy still holds every order although the first deleted them all in its own.
    assertThat(Seen.get("method.orders")).containsExactly(Fixture.ORDERS);
    // Parameters and the field of one test share that test's copy.
    assertThat(Seen.get("method.handle")).containsExactly(names.get(0));
    assertThat(Seen.get("method.field")).containsExactly(names.get(0));
    assertThat(Seen.get("method.snapshot")).containsExactly(snapshot.id());
    assertThat((String) Seen.get("method.uri").get(0)).startsWith("postgresql://postgres@localhost:" + Fixture.port() + "/lifeboat_t_");
    // The injected connection was closed after the test.
    assertThat(((Connection) Seen.get("method.connection").get(0)).isClosed()).isTrue();
    // The source was never touched, and nothing of the run is left on the server.
    try (Connection c = Fixture.connect(Fixture.SOURCE)) {
      assertThat(Fixture.orders(c)).isEqualTo(Fixture.ORDERS);
    }
    assertThat(Fixture.copies()).isEmpty();
  }

  @Test
  void classScopeSharesOneCopyAcrossTheClassAndItsStaticField() throws SQLException {
    EngineExecutionResults results = run(ClassScopeSample.class);

    results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
    List<Object> names = Seen.get("class.names");
    assertThat(names).hasSize(2);
    assertThat(names.get(0)).isEqualTo(names.get(1));
    assertThat(Seen.get("class.static")).containsExactly(names.get(0));
    assertThat(Seen.get("class.beforeAll")).containsExactly(names.get(0));
    assertThat(Seen.get("class.orders")).containsExactly(Fixture.ORDERS / 2);
    assertThat(Fixture.copies()).isEmpty();
  }

  @Test
  void theSourceDatabaseIsNeverHandedOut() {
    run(MethodScopeSample.class, ClassScopeSample.class, FailingSample.class).testEvents()
        .assertStatistics(s -> s.succeeded(4).failed(1));

    for (String key : List.of("method.names", "class.names", "failing.name")) {
      assertThat(Seen.get(key)).isNotEmpty().noneMatch(n -> n.equals(Fixture.SOURCE) || n.equals("postgres")
          || n.equals("template1"));
    }
  }

  @Test
  void aFailedTestsCopyIsDroppedToo() throws SQLException {
    EngineExecutionResults results = run(FailingSample.class);

    results.testEvents().assertStatistics(s -> s.failed(1));
    assertThat(failure(results, "fails")).isEqualTo("failed on purpose");
    assertThat(Seen.get("failing.name")).hasSize(1);
    assertThat(Fixture.copies()).isEmpty();
  }

  @Test
  void parallelMethodsEachGetTheirOwnCopy() throws SQLException {
    EngineExecutionResults results = run(Map.of(
        "junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.config.strategy", "fixed",
        "junit.jupiter.execution.parallel.config.fixed.parallelism", "3"), selectClass(ParallelSample.class));

    // Each test waits at a barrier for the two others: all three pass only if they held their copies at once.
    results.testEvents().assertStatistics(s -> s.succeeded(3).failed(0));
    assertThat(new HashSet<>(Seen.get("parallel.names"))).hasSize(3);
    assertThat(Fixture.copies()).isEmpty();
  }

  @Test
  void aSecondClassReusesTheTemplateInsteadOfRestoringAgain() throws SQLException {
    Fixture.dropTemplate(PgTemplateCopies.keptName(snapshot.id()));
    RestoreCounter.takeCount();
    EngineExecutionResults results = run(COUNTED, selectClass(TemplateReuseASample.class), selectClass(TemplateReuseBSample.class));

    results.testEvents().assertStatistics(s -> s.succeeded(2));
    // One restore made the template; the second class copied it rather than restoring again.
    assertThat(RestoreCounter.takeCount()).isEqualTo(1);
    assertThat(Seen.get("reuse.names")).hasSize(2).doesNotHaveDuplicates();
    assertThat(Fixture.copies()).isEmpty();
  }

  @Test
  void wrongInputFailsTheTestWithOneClearLine() throws SQLException {
    EngineExecutionResults results = run(WrongInputSample.class);

    results.testEvents().assertStatistics(s -> s.failed(7).succeeded(0));
    Map<String, String> messages = results.testEvents().failed().stream().collect(Collectors.toMap(
        e -> e.getTestDescriptor().getDisplayName().replaceAll("\\(.*", ""),
        e -> e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage()));
    assertThat(messages.values()).allSatisfy(m -> assertThat(m).doesNotContain("\n").startsWith("@Restored("));
    assertThat(messages.get("missingTarget")).contains("/nonexistent/lifeboat-junit-store");
    assertThat(messages.get("missingSnapshot")).contains("20200101T000000.000Z-00000000");
    assertThat(messages.get("unreachableServer")).contains("127.0.0.1:1").doesNotContain("hunter2secret");
    assertThat(messages.get("unsetPlaceholder")).contains("LIFEBOAT_JUNIT_SURELY_UNSET").contains("environment variable");
    assertThat(messages.get("unsupportedType")).contains("java.lang.Integer").contains("DataSource");
    assertThat(messages.get("missingKeyFile")).contains("/nonexistent/lifeboat-private-key.json");
    assertThat(messages.get("encryptedWithoutKey")).contains("encrypted").contains("privateKey");
    assertThat(Fixture.copies()).isEmpty();
  }

  @Test
  void anEncryptedSnapshotIsRestoredWithThePrivateKeyNamedByTheAnnotation() throws SQLException {
    EngineExecutionResults results = run(EncryptedSample.class);

    results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    assertThat(Seen.get("encrypted.orders")).containsExactly(Fixture.ORDERS);
    assertThat(Fixture.copies()).isEmpty();
  }

  @Test
  void thePasswordOfTheServerShowsOnlyWhereAConnectionNeedsIt() {
    String password = "pw-" + Long.toHexString(System.nanoTime());
    System.setProperty("lifeboat.sample.password", password);
    System.setProperty("lifeboat.sample.port", Integer.toString(Fixture.port()));
    try {
      run(PasswordSample.class).testEvents().assertStatistics(s -> s.succeeded(1));
    } finally {
      System.clearProperty("lifeboat.sample.password");
    }
    assertThat((String) Seen.get("password.toString").get(0)).contains("lifeboat_t_").doesNotContain(password);
    assertThat((String) Seen.get("password.uri").get(0)).startsWith("postgresql://postgres@localhost:").doesNotContain(password);
    assertThat((String) Seen.get("password.raw").get(0)).contains(":" + password + "@");
    assertThat((String) Seen.get("password.jdbcUrl").get(0)).contains("password=" + password);
    assertThat(Seen.get("password.connected")).containsExactly(true);
  }

  @Test
  void leftoversOfAKilledRunAreSweptAndAnotherRunsAreKept() throws SQLException {
    String old = "lifeboat_t_20200101000000_abcdef_1";
    String oldTemplate = "lifeboat_tpl_20200101000000_abcdef_3";
    String young = "lifeboat_t_" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
        + "_abcdef_2";
    try (Connection c = Fixture.connect("postgres"); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + old);
      s.execute("CREATE DATABASE " + young);
      s.execute("CREATE DATABASE " + oldTemplate + " IS_TEMPLATE true ALLOW_CONNECTIONS false");
    }
    try {
      run(Map.of(), selectMethod(MethodScopeSample.class, "seesEveryOrderAgain", "java.lang.String,javax.sql.DataSource"))
          .testEvents().assertStatistics(s -> s.succeeded(1));

      assertThat(Fixture.copies()).containsExactly(young);
      assertThat(Fixture.lifeboatDatabases()).doesNotContain(old, oldTemplate);
    } finally {
      try (Connection c = Fixture.connect("postgres"); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + old);
        s.execute("DROP DATABASE IF EXISTS " + young);
        if (Fixture.lifeboatDatabases().contains(oldTemplate)) {
          s.execute("ALTER DATABASE " + oldTemplate + " IS_TEMPLATE false");
          s.execute("DROP DATABASE " + oldTemplate);
        }
      }
    }
  }

  @Test
  void withoutAServerTheExtensionStartsAnEmbeddedOne() throws SQLException {
    assertThat(System.getProperty(LifeboatExtension.SERVER_PROPERTY)).isNull();
    EngineExecutionResults results = run(DefaultServerSample.class);

    results.testEvents().assertStatistics(s -> s.succeeded(1));
    String uri = (String) Seen.get("default.uri").get(0);
    assertThat(uri).startsWith("postgresql://postgres@localhost:").doesNotContain(":" + Fixture.port() + "/");
    assertThat(Seen.get("default.orders")).containsExactly(Fixture.ORDERS);
    assertThat(Fixture.copies()).isEmpty();
  }

  @Test
  void methodScopeWhereOnlyTheClassLivesFailsWithOneLineAndNestedClassesWork() {
    EngineExecutionResults results = run(MisusedScopeSample.StaticField.class, MisusedScopeSample.BeforeAllParameter.class,
        MisusedScopeSample.Outer.class);

    List<String> classFailures = results.containerEvents().failed().stream()
        .map(e -> e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage())
        .collect(Collectors.toList());
    assertThat(classFailures).hasSize(2).allSatisfy(m -> assertThat(m).doesNotContain("\n"));
    assertThat(classFailures).anySatisfy(m -> assertThat(m).contains("static field db").contains("scope = Scope.CLASS"));
    assertThat(classFailures).anySatisfy(m -> assertThat(m).contains("scope METHOD needs a test method"));
    results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    assertThat(Seen.get("nested.name")).hasSize(1);
  }

  @Test
  void aMethodOrNestedClassScopeGetsItsOwnCopyBesideAnEnclosingClassScope() throws SQLException {
    run(MixedScopeSample.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));

    assertThat(Seen.get("mixed.method")).hasSize(1).doesNotContainAnyElementsOf(Seen.get("mixed.class"));
    assertThat(Seen.get("mixed.outer")).isEqualTo(Seen.get("mixed.class"));
    assertThat(Seen.get("mixed.inner")).hasSize(1).doesNotContainAnyElementsOf(Seen.get("mixed.class"));
    assertThat(Fixture.copies()).isEmpty();
  }

  @Test
  void theServerPropertyIsTheDefaultServerAndMayBeAJdbcUrl() throws SQLException {
    // The form a Testcontainers JdbcDatabaseContainer hands out, with the user as a parameter.
    System.setProperty(LifeboatExtension.SERVER_PROPERTY, "jdbc:postgresql://localhost:" + Fixture.port() + "/postgres?user=postgres");
    try {
      run(DefaultServerSample.class).testEvents().assertStatistics(s -> s.succeeded(1));
    } finally {
      System.clearProperty(LifeboatExtension.SERVER_PROPERTY);
    }
    assertThat((String) Seen.get("default.uri").get(0)).startsWith("postgresql://postgres@localhost:" + Fixture.port() + "/lifeboat_t_");
  }

  @Test
  void theTemplateIsKeptByDefaultAndTheNextRunDoesNotRestoreAgain() throws SQLException {
    String template = PgTemplateCopies.keptName(snapshot.id());
    Fixture.dropTemplate(template);
    RestoreCounter.takeCount();

    run(COUNTED, selectClass(MethodScopeSample.class)).testEvents().assertStatistics(s -> s.succeeded(2));
    assertThat(RestoreCounter.takeCount()).isEqualTo(1);
    assertThat(Fixture.lifeboatDatabases()).contains(template);
    assertThat(Fixture.copies()).isEmpty();
    assertThat(comment(template)).startsWith("lifeboat-junit template of snapshot " + snapshot.id() + " (Lifeboat "
        + dev.lifeboat.Version.current() + ")");
    long oid = oid(template);

    run(COUNTED, selectClass(MethodScopeSample.class), selectClass(ClassScopeSample.class))
        .testEvents().assertStatistics(s -> s.succeeded(4));

    // No restore at all: the same database, not a new restore under the same name; the copies of both runs are gone.
    assertThat(RestoreCounter.takeCount()).isZero();
    assertThat(oid(template)).isEqualTo(oid);
    assertThat(Fixture.copies()).isEmpty();
    assertThat(Seen.get("method.orders")).containsExactly(Fixture.ORDERS, Fixture.ORDERS);
  }

  @Test
  void aTemplateWhoseMarkerNamesAnotherLifeboatVersionOrSnapshotIsReplaced() throws SQLException {
    String template = PgTemplateCopies.keptName(snapshot.id());
    for (String stale : List.of("lifeboat-junit template of snapshot " + snapshot.id() + " (Lifeboat 0.0.1); kept for later test runs",
        "lifeboat-junit template of snapshot " + snapshot.id().toUpperCase(java.util.Locale.ROOT) + "-OTHER (Lifeboat "
            + dev.lifeboat.Version.current() + "); kept for later test runs")) {
      Fixture.dropTemplate(template);
      try (Connection c = Fixture.connect("postgres"); Statement s = c.createStatement()) {
        // An empty database where the template should be: a reuse would hand tests a database without orders.
        s.execute("CREATE DATABASE " + template + " IS_TEMPLATE true ALLOW_CONNECTIONS false");
        s.execute("COMMENT ON DATABASE " + template + " IS '" + stale + "'");
      }
      long staleOid = oid(template);
      RestoreCounter.takeCount();
      Seen.clear();

      run(COUNTED, selectClass(MethodScopeSample.class)).testEvents().assertStatistics(s -> s.succeeded(2));

      assertThat(RestoreCounter.takeCount()).as(stale).isEqualTo(1);
      assertThat(oid(template)).isNotEqualTo(staleOid);
      assertThat(comment(template)).contains("(Lifeboat " + dev.lifeboat.Version.current() + ")").contains(snapshot.id());
      assertThat(Seen.get("method.orders")).containsExactly(Fixture.ORDERS);
    }
  }

  @Test
  void aDatabaseWithTheTemplatesNameThatLifeboatDidNotMakeIsLeftAlone() throws SQLException {
    String template = PgTemplateCopies.keptName(snapshot.id());
    Fixture.dropTemplate(template);
    try (Connection c = Fixture.connect("postgres"); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + template);
      s.execute("COMMENT ON DATABASE " + template + " IS 'the reporting team''s database'");
    }
    long oid = oid(template);
    try {
      EngineExecutionResults results = run(MethodScopeSample.class);

      results.testEvents().assertStatistics(s -> s.succeeded(0).failed(2));
      assertThat(failure(results, "seesEveryOrderAgain")).contains(template).contains("was not made by lifeboat-junit");
      assertThat(oid(template)).isEqualTo(oid);
    } finally {
      Fixture.dropTemplate(template);
    }
  }

  @Test
  void keepTemplatesFalseDropsTheRunsTemplateAtItsEnd() throws SQLException {
    List<String> before = Fixture.lifeboatDatabases();
    System.setProperty(LifeboatExtension.KEEP_TEMPLATES_PROPERTY, "false");
    try {
      RestoreCounter.takeCount();
      run(COUNTED, selectClass(MethodScopeSample.class)).testEvents().assertStatistics(s -> s.succeeded(2));
    } finally {
      System.clearProperty(LifeboatExtension.KEEP_TEMPLATES_PROPERTY);
    }
    // A template of the run's own was restored (a kept one is not used) and dropped again.
    assertThat(RestoreCounter.takeCount()).isEqualTo(1);
    assertThat(Fixture.lifeboatDatabases()).isEqualTo(before);
  }

  private static String comment(String database) throws SQLException {
    try (Connection c = Fixture.connect("postgres"); Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '"
            + database + "'")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  private static long oid(String database) throws SQLException {
    try (Connection c = Fixture.connect("postgres"); Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT oid FROM pg_database WHERE datname = '" + database + "'")) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }
}
