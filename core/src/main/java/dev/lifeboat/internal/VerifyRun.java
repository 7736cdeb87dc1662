package dev.lifeboat.internal;

import dev.lifeboat.Check;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import dev.lifeboat.Snapshot;
import dev.lifeboat.SnapshotKind;
import dev.lifeboat.Verification;
import dev.lifeboat.VerifyRequest;
import dev.lifeboat.crypto.Encryption;
import dev.lifeboat.crypto.PrivateKey;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.SnapshotCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
      return verifyArchive(catalog, snapshot, request.privateKey());
    }
  }

  /** Checks a restored database (resolved once by the caller) against the manifest and the expectations. */
  Verification verifyDestination(Manifest manifest, Destination destination, List<String> tables, List<Expectation> expectations) {
    Verification v = registry.verifier(manifest.format(), destination.direct())
        .verify(manifest, destination.direct(), tables, expectations);
    return destination.describe(v);
  }

  Verification verifyArchive(SnapshotCatalog catalog, Snapshot snapshot) {
    return verifyArchive(catalog, snapshot, Optional.empty());
  }

  /**
   * {@link #verifyArchive(SnapshotCatalog, Snapshot)} with the private key for an encrypted archive:
   * without it only the ciphertext's size and SHA-256 are checked, and the format check is skipped
   * naming the key it needs.
   */
  Verification verifyArchive(SnapshotCatalog catalog, Snapshot snapshot, Optional<PrivateKey> given) {
    Manifest manifest = snapshot.manifest();
    List<Check> checks = new ArrayList<>();
    String subject = catalog.location().redacted() + "/" + manifest.id();
    if (manifest.kind() == SnapshotKind.BRANCH) {
      catalog.get(manifest.id()).ifPresentOrElse(
          s -> checks.add(Check.passed("branch exists", manifest.id())),
          () -> checks.add(Check.failed("branch exists", "the snapshot's branch is gone")));
      return new Verification(manifest.id(), subject, checks);
    }
    boolean encrypted = Encryption.isEncrypted(manifest);
    // A wrong key throws here (exit 3) before anything is read; no key is fine for the stored bytes.
    Optional<PrivateKey> key = encrypted && given.isPresent() ? Encryption.keyFor(manifest, given) : Optional.empty();
    String readable = "archive readable as " + manifest.format();
    try (VerifiedArchive archive = new VerifiedArchive(RestoreRun.archiveTarget(catalog, snapshot), manifest, context, key)) {
      try {
        long bytes = archive.verify();
        checks.add(Check.passed("size and sha256", bytes + " bytes, sha256 " + manifest.sha256()));
      } catch (LifeboatException e) {
        if (e.code() == ErrorCode.DECRYPTION_FAILED) {
          // Decryption runs only once the stored bytes matched their checksum.
          checks.add(Check.passed("size and sha256", manifest.size() + " bytes, sha256 " + manifest.sha256()));
          checks.add(Check.failed("decrypts", e.getMessage()));
        } else {
          checks.add(Check.failed("size and sha256", e.getMessage()));
        }
        return new Verification(manifest.id(), subject, checks);
      }
      if (encrypted && key.isEmpty()) {
        checks.add(Check.skipped(readable, "the archive is encrypted: the format check needs the private key with fingerprint "
            + Encryption.keyFingerprint(manifest).orElse("(not recorded)") + " (--private-key FILE)"));
        return new Verification(manifest.id(), subject, checks);
      }
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
