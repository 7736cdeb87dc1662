package dev.lifeboat.internal;

import dev.lifeboat.Check;
import dev.lifeboat.Expectation;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotKind;
import dev.lifeboat.Verification;
import dev.lifeboat.VerifyRequest;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.SnapshotCatalog;
import java.util.ArrayList;
import java.util.List;

/**
 * A verification. Without a destination: the archive's size and SHA-256 (one read,
 * {@link VerifiedArchive}) and a full read through its format; for a native snapshot, that it
 * still exists. With a destination (a platform location resolved once): the format's verifier
 * against the manifest and the user's expectations.
 */
public final class VerifyRun {
  private final ProviderRegistry registry;
  private final ProviderContext context;

  public VerifyRun(ProviderRegistry registry, ProviderContext context) {
    this.registry = registry;
    this.context = context;
  }

  public Verification run(VerifyRequest request, Events.Scope scope) {
    try (SnapshotCatalog catalog = registry.snapshots(request.target())) {
      Snapshot snapshot = CatalogRun.intact(catalog, request.snapshot());
      scope.snapshot(snapshot.id());
      if (request.destination().isPresent()) {
        return verifyDestination(snapshot.manifest(), Destination.of(registry, request.destination().get()), request.tables(),
            request.expectations());
      }
      return verifyArchive(catalog, snapshot);
    }
  }

  /** Checks a restored database (resolved once by the caller) against the manifest and the expectations. */
  Verification verifyDestination(Manifest manifest, Destination destination, List<String> tables, List<Expectation> expectations) {
    Verification v = registry.verifier(manifest.format(), destination.direct())
        .verify(manifest, destination.direct(), tables, expectations);
    return destination.describe(v);
  }

  Verification verifyArchive(SnapshotCatalog catalog, Snapshot snapshot) {
    Manifest manifest = snapshot.manifest();
    List<Check> checks = new ArrayList<>();
    String subject = catalog.location().redacted() + "/" + manifest.id();
    if (manifest.kind() == SnapshotKind.BRANCH) {
      catalog.get(manifest.id()).ifPresentOrElse(
          s -> checks.add(Check.passed("branch exists", manifest.id())),
          () -> checks.add(Check.failed("branch exists", "the snapshot's branch is gone")));
      return new Verification(manifest.id(), subject, checks);
    }
    try (VerifiedArchive archive = new VerifiedArchive(RestoreRun.archiveTarget(catalog, snapshot), manifest, context)) {
      try {
        long bytes = archive.verify();
        checks.add(Check.passed("size and sha256", bytes + " bytes, sha256 " + manifest.sha256()));
      } catch (LifeboatException e) {
        checks.add(Check.failed("size and sha256", e.getMessage()));
        return new Verification(manifest.id(), subject, checks);
      }
      String readable = "archive readable as " + manifest.format();
      registry.restorerFor(manifest.format()).ifPresentOrElse(r -> {
        try {
          checks.add(Check.passed(readable, r.readArchive(archive)));
        } catch (LifeboatException e) {
          checks.add(Check.failed(readable, e.getMessage()));
        }
      }, () -> checks.add(Check.skipped(readable, "no installed provider reads this format")));
    }
    return new Verification(manifest.id(), subject, checks);
  }
}
