package dev.lifeboat.cli;

import dev.lifeboat.Redactor;
import dev.lifeboat.crypto.KeyPairFiles;
import dev.lifeboat.crypto.PrivateKey;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The private key for an encrypted snapshot, shared by {@code restore}, {@code verify} and {@code drill}. */
final class KeyOptions {
  /** Names the private key file when {@code --private-key} is not given. */
  static final String PRIVATE_KEY_ENV = "LIFEBOAT_PRIVATE_KEY";
  /** The passphrase of a protected private key file (also used by {@code keys generate}). */
  static final String PASSPHRASE_ENV = "LIFEBOAT_KEY_PASSPHRASE";

  @Option(names = "--private-key", paramLabel = "FILE",
      description = "The private key file for an encrypted snapshot (default: the file " + PRIVATE_KEY_ENV + " names;"
          + " its passphrase, if any, from " + PASSPHRASE_ENV + ").")
  Path privateKey;

  /** The private key given on the command line or in the environment; empty when neither names one. */
  Optional<PrivateKey> read() {
    Optional<Path> file = Optional.ofNullable(privateKey)
        .or(() -> Optional.ofNullable(System.getenv(PRIVATE_KEY_ENV)).filter(s -> !s.isBlank()).map(Path::of));
    return file.map(f -> KeyPairFiles.readPrivate(f, passphrase()));
  }

  /** The passphrase from the environment, registered as a secret so that no output shows it; null when unset. */
  static char[] passphrase() {
    Optional<String> value = Optional.ofNullable(System.getenv(PASSPHRASE_ENV)).filter(s -> !s.isEmpty());
    value.ifPresent(Redactor::register);
    return value.map(String::toCharArray).orElse(null);
  }
}
