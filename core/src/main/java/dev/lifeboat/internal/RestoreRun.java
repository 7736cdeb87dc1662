package dev.lifeboat.internal;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import dev.lifeboat.RestoreOptions;
import dev.lifeboat.RestoreRequest;
import dev.lifeboat.RestoreResult;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotKind;
import dev.lifeboat.crypto.Encryption;
import dev.lifeboat.crypto.PrivateKey;
import dev.lifeboat.spi.NativeSnapshots;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreJob;
import dev.lifeboat.spi.Restorer;
import dev.lifeboat.spi.SnapshotCatalog;
import dev.lifeboat.spi.SnapshotTarget;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restore: the snapshot is found (a damaged one refused), the restorer chosen for its format
 * and the destination (a platform location resolved once to its direct database), the archive
 * read once and checked ({@link VerifiedArchive}), its format checked by the restorer, and only
 * then is the destination touched — or, for a loader that commits only at the end of its input,
 * checked during that one read, before the loader can commit. A native snapshot is restored by its platform.
 */
public final class RestoreRun {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreRun.class);
  private final ProviderRegistry registry;
  private final ProviderContext context;
  private final VerifyRun verify;

  public RestoreRun(ProviderRegistry registry, ProviderContext context, VerifyRun verify) {
    this.registry = registry;
    this.context = context;
    this.verify = verify;
  }

  public RestoreResult run(RestoreRequest request, Events.Scope scope) {
    long started = System.nanoTime();
    try (SnapshotCatalog catalog = registry.snapshots(request.target())) {
      Snapshot snapshot = CatalogRun.intact(catalog, request.snapshot());
      scope.snapshot(snapshot.id());
      Manifest manifest = snapshot.manifest();
      RestoreResult result;
      Destination destination;
      if (manifest.kind() == SnapshotKind.BRANCH) {
        if (!(catalog instanceof NativeSnapshots natively)) {
          throw new LifeboatException(ErrorCode.UNSUPPORTED, "Snapshot " + snapshot.id() + " is a platform's own snapshot, but "
              + catalog.location() + " is not that platform; restore it from where it was taken.");
        }
        result = natively.restore(snapshot, request.destination(), request.options());
        destination = request.verify() ? Destination.of(registry, request.destination()) : null;
      } else {
        // A missing or wrong key is refused before the destination is even looked at.
        Optional<PrivateKey> key = Encryption.keyFor(manifest, request.privateKey());
        destination = Destination.of(registry, request.destination());
        result = restoreArchive(archiveTarget(catalog, snapshot), manifest, destination, request, key);
      }
      if (request.verify()) {
        result = result.withVerification(verify.verifyDestination(manifest, destination,
            request.options().tables(), request.expectations()));
      }
      return result.withElapsed(Duration.ofNanos(System.nanoTime() - started));
    }
  }

  private RestoreResult restoreArchive(SnapshotTarget target, Manifest manifest, Destination destination, RestoreRequest request,
      Optional<PrivateKey> key) {
    Restorer restorer = registry.restorer(manifest.format(), destination.direct());
    RestoreOptions options = destination.restoreOptions(manifest, request.options());
    try (VerifiedArchive archive = new VerifiedArchive(target, manifest, context, key)) {
      switch (restorer.reading(manifest, options)) {
        case STREAM_COMMITTING_AT_END:
          // One read: checked while the loader reads it, which cannot commit before the check passed.
          archive.checkWhileReading();
          break;
        case SEEKABLE_FILE:
          archive.verifyIntoFile(dump -> restorer.seekableCopy(manifest, dump));
          restorer.checkArchive(archive);
          break;
        default:
          archive.verify();
          restorer.checkArchive(archive);
      }
      LOG.info("Restoring snapshot {} into {}", manifest.id(), request.destination());
      return destination.describe(restorer.restore(new RestoreJob(archive, destination.direct(), options, context.progress())));
    }
  }

  static SnapshotTarget archiveTarget(SnapshotCatalog catalog, Snapshot snapshot) {
    if (catalog instanceof SnapshotTarget target) {
      return target;
    }
    throw new LifeboatException(ErrorCode.UNSUPPORTED, "Snapshot " + snapshot.id() + " in " + catalog.location()
        + " is an archive (" + snapshot.manifest().format() + "), but " + catalog.location() + " holds no archives to read.");
  }
}
