package dev.lifeboat.junit;

import dev.lifeboat.Location;
import dev.lifeboat.crypto.KeyPairFiles;
import dev.lifeboat.crypto.PrivateKey;
import dev.lifeboat.spi.SecretResolver;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One {@link Restored} annotation with its placeholders resolved.
 *
 * @param server the server attribute as written (resolved), empty when the default applies
 * @param privateKey the private key file of an encrypted snapshot (resolved), empty when none is given
 */
record RestoredSettings(String target, String snapshot, String server, Scope scope, String privateKey) {
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
    return new RestoredSettings(target, snapshot, server, r.scope(), privateKey);
  }

  /**
   * The private key named by {@code privateKey}, read with the passphrase in
   * {@code LIFEBOAT_KEY_PASSPHRASE} when the file is protected by one.
   */
  Optional<PrivateKey> key() {
    if (privateKey.isEmpty()) {
      return Optional.empty();
    }
    char[] passphrase = SecretResolver.ENVIRONMENT.resolve("LIFEBOAT_KEY_PASSPHRASE").filter(s -> !s.isEmpty())
        .map(String::toCharArray).orElse(null);
    return Optional.of(KeyPairFiles.readPrivate(Path.of(privateKey), passphrase));
  }

  /** How messages name the annotation: locations without passwords. */
  String describe() {
    return "@Restored(target = " + Location.redact(target) + ", snapshot = " + snapshot
        + (server.isEmpty() ? "" : ", server = " + Location.redact(server)) + ")";
  }
}
