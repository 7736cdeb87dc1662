package dev.lifeboat.junit;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Redactor;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Verification;
import dev.lifeboat.crypto.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies of a MongoDB snapshot: every copy is its own restore (through {@link Lifeboat#restore},
 * verified against the manifest) into a new scratch database {@code lifeboat_t_<run>_<n>} on the
 * named server, dropped when its scope ends. MongoDB has no database templates, and copying
 * collections server-side would read and write every document as a restore does, so a restore
 * per copy is the simpler of two equally costly ways. A database of that name that already exists
 * is never used.
 */
final class MongoCopies implements CopySource {
  private static final Logger LOG = LoggerFactory.getLogger(MongoCopies.class);

  private final Lifeboat lifeboat;
  private final Location target;
  private final String snapshotId;
  private final Optional<PrivateKey> key;
  private final Location server;
  private final CopyNames names;
  private final MongoClient client;

  private MongoCopies(Lifeboat lifeboat, Location target, String snapshotId, Optional<PrivateKey> key, Location server,
      CopyNames names, MongoClient client) {
    this.lifeboat = lifeboat;
    this.target = target;
    this.snapshotId = snapshotId;
    this.key = key;
    this.server = server;
    this.names = names;
    this.client = client;
  }

  /**
   * Connects to {@code server} and drops the scratch databases that runs killed before their end
   * left there, once older than {@code sweepAfter}.
   */
  static MongoCopies prepare(Lifeboat lifeboat, Location target, String snapshotId, Optional<PrivateKey> key, Location server,
      CopyNames names, Duration sweepAfter) {
    if (!lifeboat.schemes().contains(server.scheme().toLowerCase(Locale.ROOT))) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "copies of MongoDB snapshots need dev.lifeboat:lifeboat-provider-mongo"
          + " on the test class path");
    }
    server.password().ifPresent(Redactor::register);
    MongoClient client;
    try {
      client = MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(server.raw()))
          .applyToClusterSettings(b -> b.serverSelectionTimeout(10, TimeUnit.SECONDS)).build());
    } catch (RuntimeException e) {
      throw new LifeboatException(ErrorCode.CONFIGURATION, "server '" + server.redacted() + "' is not a usable MongoDB connection"
          + " string: " + Redactor.redact(e.getMessage()));
    }
    MongoCopies copies = new MongoCopies(lifeboat, target, snapshotId, key, server, names, client);
    try {
      copies.sweep(sweepAfter);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return copies;
  }

  private List<String> databases() {
    try {
      return client.listDatabaseNames().into(new ArrayList<>());
    } catch (RuntimeException e) {
      throw new LifeboatException(ErrorCode.CONNECTION, "could not list the databases of MongoDB server " + server.redacted()
          + ": " + Redactor.redact(e.getMessage()));
    }
  }

  private void sweep(Duration age) {
    Instant now = Instant.now();
    for (String name : databases()) {
      if (name.startsWith(CopyNames.COPY_PREFIX) && !names.isOwn(name) && CopyNames.isLeftover(name, now, age)) {
        try {
          client.getDatabase(name).drop();
          LOG.info("Dropped {}, left on {} by an earlier test run that did not end", name, server.redacted());
        } catch (RuntimeException e) {
          LOG.warn("Could not drop {}, left by an earlier test run: {}", name, Redactor.redact(e.getMessage()));
        }
      }
    }
  }

  @Override
  public String snapshotId() {
    return snapshotId;
  }

  @Override
  public RestoredDatabase copy() {
    String name = names.copy();
    if (databases().contains(name)) {
      // Names are unique per run; a database of this name is someone else's and is never handed out.
      throw new LifeboatException(ErrorCode.PROTECTED_DESTINATION, "database " + name + " already exists on "
          + server.redacted() + "; it is not a copy of this run and is left alone");
    }
    Location at = Location.parse(locate(server.raw(), name));
    Instant started = Instant.now();
    try {
      RestoreRequest.Builder request = RestoreRequest.builder(target, snapshotId, at).verify();
      key.ifPresent(request::privateKey);
      RestoreResult result = lifeboat.restore(request.build());
      Verification verification = result.verified().orElseThrow(() -> new LifeboatException(ErrorCode.VERIFICATION_FAILED,
          "the restore of snapshot " + snapshotId + " into " + name + " was not verified"));
      if (!verification.passed()) {
        throw new LifeboatException(ErrorCode.VERIFICATION_FAILED, "snapshot " + snapshotId + " restored into " + name
            + " does not match its manifest: " + verification.failures().stream()
                .map(c -> c.name() + (c.detail() == null ? "" : " (" + c.detail() + ")")).collect(Collectors.joining("; ")));
      }
    } catch (RuntimeException e) {
      try {
        client.getDatabase(name).drop();
      } catch (RuntimeException dropFailed) {
        e.addSuppressed(dropFailed);
      }
      throw e;
    }
    LOG.debug("Restored snapshot {} into {} in {} ms", snapshotId, name, Duration.between(started, Instant.now()).toMillis());
    return new MongoCopy(at, snapshotId, client.getDatabase(name));
  }

  /**
   * The server's connection string with its database replaced by {@code database}. Credentials
   * that were checked against the original database (or {@code admin} when none was named) keep
   * it as their {@code authSource}.
   */
  static String locate(String raw, String database) {
    int hostsStart = raw.indexOf("://") + 3;
    int query = raw.indexOf('?', hostsStart);
    int slash = raw.indexOf('/', hostsStart);
    if (slash >= 0 && query >= 0 && slash > query) {
      slash = -1;
    }
    int hostsEnd = slash >= 0 ? slash : query >= 0 ? query : raw.length();
    String hosts = raw.substring(0, hostsEnd);
    String original = slash < 0 ? "" : raw.substring(slash + 1, query >= 0 ? query : raw.length());
    String options = query < 0 ? "" : raw.substring(query + 1);
    if (hosts.substring(hostsStart).contains("@") && !options.toLowerCase(Locale.ROOT).contains("authsource=")) {
      options = (options.isEmpty() ? "" : options + "&") + "authSource=" + (original.isEmpty() ? "admin" : original);
    }
    return hosts + "/" + database + (options.isEmpty() ? "" : "?" + options);
  }

  @Override
  public void drop(RestoredDatabase copy) {
    client.getDatabase(copy.name()).drop();
  }

  @Override
  public void close() {
    client.close();
  }
}
