package dev.lifeboat.junit;

import dev.lifeboat.LifeboatListener;
import dev.lifeboat.Redactor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The JUnit 5 extension behind {@link LifeboatTest}: resolves {@link Restored} parameters and
 * injects {@link Restored} fields (static ones before all tests, instance ones before each).
 *
 * <p>Copies live in the store of the context their {@link Scope} names (the test method's, or the
 * test class's), so JUnit drops them when that context closes, after a failed test too. The run's
 * state (templates, MongoDB clients, Neon branch handles, the embedded server) lives in the root
 * store and is closed when the run ends; PostgreSQL templates are kept for later runs unless
 * {@value #KEEP_TEMPLATES_PROPERTY} is {@code false}. A copy that cannot be
 * made fails the test with one line saying which annotation and why.
 */
public final class LifeboatExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  /** The system property naming the default server. */
  public static final String SERVER_PROPERTY = "lifeboat.test.server";
  /** The environment variable naming the default server when the property is not set. */
  public static final String SERVER_VARIABLE = "LIFEBOAT_TEST_SERVER";
  /** The system property saying how old a killed run's leftovers must be before they are dropped (ISO-8601, default PT6H). */
  public static final String SWEEP_PROPERTY = "lifeboat.test.sweepAfter";

  /**
   * The system property that says whether templates outlive the run. By default (unset or
   * {@code true}) a template is named after its snapshot ({@code lifeboat_tpl_<snapshot id>}) and
   * kept, so that later runs on the same server copy it without restoring again while its marker
   * names the same snapshot and Lifeboat version; {@code false} restores into a template of this
   * run only and drops it when the run ends.
   */
  public static final String KEEP_TEMPLATES_PROPERTY = "lifeboat.test.keepTemplates";

  /**
   * The JUnit configuration parameter (or system property) naming a {@link dev.lifeboat.LifeboatListener}
   * class with a public no-argument constructor, registered with the run's Lifeboat instance: it
   * sees every restore and verification the extension makes, e.g. for metrics.
   */
  public static final String LISTENER_PARAMETER = "lifeboat.test.listener";

  /**
   * The prefix of system properties passed to the run's Lifeboat instance as provider settings:
   * {@code -Dlifeboat.setting.neon.apiUrl=…} sets {@code neon.apiUrl}. Secrets such as
   * {@code NEON_API_KEY} come from the environment, as for the CLI.
   */
  public static final String SETTING_PREFIX = "lifeboat.setting.";

  /** The driver type a MongoDB copy is injected as. */
  static final String MONGO_DATABASE = "com.mongodb.client.MongoDatabase";

  private static final Namespace NAMESPACE = Namespace.create(LifeboatExtension.class);
  private static final Set<Class<?>> INJECTABLE = Set.of(DataSource.class, Connection.class, String.class, RestoredDatabase.class);

  /** Created by JUnit through {@link LifeboatTest} or {@code @ExtendWith}. */
  public LifeboatExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.isAnnotated(Restored.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Restored restored = parameter.findAnnotation(Restored.class).orElseThrow();
    try {
      return value(restored, parameter.getParameter().getType(), context);
    } catch (RuntimeException e) {
      throw new ParameterResolutionException(message(restored, e), e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    for (Field field : fields(context.getRequiredTestClass(), true)) {
      inject(field, null, context);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      for (Field field : fields(instance.getClass(), false)) {
        inject(field, instance, context);
      }
    }
  }

  private static List<Field> fields(Class<?> type, boolean statics) {
    return AnnotationSupport.findAnnotatedFields(type, Restored.class,
        f -> Modifier.isStatic(f.getModifiers()) == statics, HierarchyTraversalMode.TOP_DOWN);
  }

  private void inject(Field field, Object instance, ExtensionContext context) {
    Restored restored = field.getAnnotation(Restored.class);
    try {
      if (Modifier.isFinal(field.getModifiers())) {
        throw new IllegalArgumentException("field " + field.getName() + " is final; a @Restored field must be assignable");
      }
      if (instance == null && restored.scope() != Scope.CLASS) {
        throw new IllegalArgumentException("static field " + field.getName() + " lives as long as the class; give it"
            + " scope = Scope.CLASS, or make it an instance field for a fresh copy per test");
      }
      Object value = value(restored, field.getType(), context);
      field.setAccessible(true);
      field.set(instance, value);
    } catch (RuntimeException | IllegalAccessException e) {
      throw new ExtensionConfigurationException(message(restored, e), e);
    }
  }

  /** The value of one injection point: the copy its scope holds, as the type asked for. */
  private Object value(Restored restored, Class<?> type, ExtensionContext context) {
    boolean mongoType = type.getName().equals(MONGO_DATABASE);
    if (!INJECTABLE.contains(type) && !mongoType) {
      throw new IllegalArgumentException("cannot inject " + type.getName() + "; use DataSource, Connection, String (a JDBC URL)"
          + ", RestoredDatabase or, for a MongoDB snapshot, " + MONGO_DATABASE);
    }
    RestoredSettings settings = RestoredSettings.of(restored, Placeholders.system());
    ExtensionContext owner = owner(settings.scope(), context);
    // The owner's id is part of the key because stores look up their parents' values: without it a
    // METHOD-scoped injection would find its class's CLASS-scoped copy, and a nested class its outer class's.
    RestoredDatabase copy = owner.getStore(NAMESPACE).getOrComputeIfAbsent("copy\n" + owner.getUniqueId() + "\n" + settings.target() + "\n"
        + settings.snapshot() + "\n" + settings.server() + "\n" + settings.branch() + "\n" + settings.at(), k -> {
          CopySource source = run(context).source(settings);
          return new Lease(source, source.copy());
        }, Lease.class).copy();
    if (type == RestoredDatabase.class) {
      return copy;
    }
    if (copy instanceof MongoHandle mongo) {
      if (mongoType) {
        return mongo.database();
      }
      if (type == String.class) {
        return mongo.connectionString();
      }
      throw new IllegalArgumentException("snapshot " + copy.snapshotId() + " is a MongoDB archive; inject " + MONGO_DATABASE
          + ", RestoredDatabase or String (a connection string), not " + type.getName());
    }
    if (mongoType) {
      throw new IllegalArgumentException(MONGO_DATABASE + " needs a MongoDB snapshot and a mongodb:// server; copies of snapshot "
          + copy.snapshotId() + " are PostgreSQL databases");
    }
    if (type == DataSource.class) {
      return copy.dataSource();
    }
    if (type == String.class) {
      return copy.jdbcUrl();
    }
    try {
      Connection connection = copy.dataSource().getConnection();
      // Closed when the context it was injected in ends: after the test, or after the class for a static field.
      context.getStore(NAMESPACE).put(new Object(), (ExtensionContext.Store.CloseableResource) connection::close);
      return connection;
    } catch (SQLException e) {
      throw new IllegalStateException("could not connect to copy " + copy.name() + ": " + e.getMessage(), e);
    }
  }

  /** The context whose end drops the copy: the test method's for {@link Scope#METHOD}, the class's for {@link Scope#CLASS}. */
  private static ExtensionContext owner(Scope scope, ExtensionContext context) {
    if (scope == Scope.METHOD) {
      if (context.getTestMethod().isEmpty()) {
        throw new IllegalArgumentException("scope METHOD needs a test method, and this is injected for the whole class"
            + " (@BeforeAll, a constructor or a static field); use scope = Scope.CLASS");
      }
      return context;
    }
    Optional<ExtensionContext> at = Optional.of(context);
    while (at.isPresent() && !(at.get().getElement().orElse(null) instanceof Class<?>)) {
      at = at.get().getParent();
    }
    return at.orElse(context);
  }

  private static TestRun run(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(TestRun.class,
        k -> new TestRun(System::getProperty, System::getenv, listener(context)), TestRun.class);
  }

  /** The listener named by {@value #LISTENER_PARAMETER}, if any. */
  private static Optional<LifeboatListener> listener(ExtensionContext context) {
    Optional<String> name = context.getConfigurationParameter(LISTENER_PARAMETER).map(String::trim).filter(n -> !n.isEmpty());
    if (name.isEmpty()) {
      return Optional.empty();
    }
    try {
      Class<?> type = Class.forName(name.get(), true, Thread.currentThread().getContextClassLoader() == null
          ? LifeboatExtension.class.getClassLoader() : Thread.currentThread().getContextClassLoader());
      return Optional.of((LifeboatListener) type.getDeclaredConstructor().newInstance());
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new ExtensionConfigurationException(LISTENER_PARAMETER + "=" + name.get() + " is not a LifeboatListener class with a"
          + " public no-argument constructor (" + e + ")", e);
    }
  }

  /** One line: which annotation, and why it could not be served; no secret, no line break. */
  static String message(Restored restored, Throwable e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (why.startsWith("@Restored(")) {
      // The cause already names the attribute (an unset placeholder, privateKey).
      return Redactor.redact(why).replaceAll("\\s*\\R\\s*", " ");
    }
    String what;
    try {
      what = RestoredSettings.of(restored, Placeholders.system()).describe();
    } catch (RuntimeException unresolved) {
      what = "@Restored(target = " + restored.target() + ", snapshot = " + restored.snapshot() + ")";
    }
    return Redactor.redact(what + ": " + why).replaceAll("\\s*\\R\\s*", " ");
  }

  /** A copy held by a context's store: dropped when the context closes. */
  private record Lease(CopySource source, RestoredDatabase copy) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      source.drop(copy);
    }
  }
}
