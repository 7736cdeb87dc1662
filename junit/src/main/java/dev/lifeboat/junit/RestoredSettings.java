package dev.lifeboat.junit;

import dev.lifeboat.Location;
import dev.lifeboat.Redactor;
import dev.lifeboat.crypto.KeyPairFiles;
import dev.lifeboat.crypto.PrivateKey;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One {@link Restored} annotation with its placeholders resolved.
 *
 * @param server the server attribute as written (resolved), empty when the default applies
 * @param privateKey the private key file of an encrypted snapshot (resolved), empty when none is given
 * @param branch the branch to copy instead of a snapshot (resolved), empty when a snapshot is copied
 * @param at the instant of the branch to copy (ISO-8601, checked), empty for now
 */
record RestoredSettings(String target, String snapshot, String server, Scope scope, String privateKey, String branch, String at) {
  static RestoredSettings of(Restored r, Placeholders placeholders) {
    String target = placeholders.resolve("target", r.target()).trim();
    if (target.isEmpty()) {
      throw new IllegalArgumentException("@Restored(target) is empty; name the snapshot store, e.g. target = \"file:/backups/shop\"");
    }
    String snapshot = placeholders.resolve("snapshot", r.snapshot()).trim();
    if (snapshot.isEmpty()) {
      throw new IllegalArgumentException("@Restored(snapshot) is empty; name a snapshot id or leave the default, latest");
    }
    String server = placeholders.resolve("server", r.server()).trim();
    String privateKey = placeholders.resolve("privateKey", r.privateKey()).trim();
    String branch = placeholders.resolve("branch", r.branch()).trim();
    String at = placeholders.resolve("at", r.at()).trim();
    if (!at.isEmpty() && branch.isEmpty()) {
      throw new IllegalArgumentException("@Restored(at) needs a branch: name the branch to copy as it was, e.g. branch = \"main\"");
    }
    if (!branch.isEmpty() && !snapshot.equals("latest")) {
      throw new IllegalArgumentException("@Restored names both snapshot = " + snapshot + " and branch = " + branch
          + "; copy either a snapshot or a branch");
    }
    if (!at.isEmpty()) {
      try {
        Instant.parse(at);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("@Restored(at) '" + at + "' is not a UTC instant; use ISO-8601, e.g. 2026-03-01T12:00:00Z");
      }
    }
    return new RestoredSettings(target, snapshot, server, r.scope(), privateKey, branch, at);
  }

  /**
   * The private key named by {@code privateKey}, read with the passphrase in
   * {@code LIFEBOAT_KEY_PASSPHRASE} when the file is protected by one.
   */
  Optional<PrivateKey> key() {
    if (privateKey.isEmpty()) {
      return Optional.empty();
    }
    char[] passphrase = Optional.ofNullable(System.getenv("LIFEBOAT_KEY_PASSPHRASE")).filter(s -> !s.isEmpty())
        .map(p -> {
          Redactor.register(p);
          return p.toCharArray();
        }).orElse(null);
    return Optional.of(KeyPairFiles.readPrivate(Path.of(privateKey), passphrase));
  }

  /** The instant of {@link #at}, or {@code null} for now. */
  Instant atInstant() {
    return at.isEmpty() ? null : Instant.parse(at);
  }

  /** How messages name the annotation: locations without passwords. */
  String describe() {
    return "@Restored(target = " + Location.redact(target) + (branch.isEmpty() ? ", snapshot = " + snapshot : ", branch = " + branch)
        + (at.isEmpty() ? "" : ", at = " + at) + (server.isEmpty() ? "" : ", server = " + Location.redact(server)) + ")";
  }
}
