package dev.lifeboat.cli;

import dev.lifeboat.crypto.KeyPairFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lifeboat keys}: key pairs for encrypted backups. */
@Command(name = "keys", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Manage key pairs for encrypted backups (backup --encrypt-to, restore --private-key).",
    subcommands = {KeysCommand.Generate.class})
final class KeysCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Without a command: a usage error in two lines, as for {@code branch}, rather than the whole usage. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Name a keys command: generate.");
  }

  /** {@code lifeboat keys generate}: writes a new key pair. */
  @Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = {
          "Write a new key pair into a folder: " + KeyPairFiles.PUBLIC_FILE + " (give it to backup --encrypt-to; safe to share)"
              + " and " + KeyPairFiles.PRIVATE_FILE + " (mode 0600; the only way to read the backups: keep a copy off the backup host).",
          "With " + KeyOptions.PASSPHRASE_ENV + " set, the private key file is encrypted with a key derived from that passphrase"
              + " (PBKDF2-HMAC-SHA256). Existing key files are never replaced."
      })
  static final class Generate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to write the key files into (created when missing).")
    Path out;

    @Override
    public Integer call() {
      KeyPairFiles.Written written = KeyPairFiles.generate(out, KeyOptions.passphrase());
      var o = spec.commandLine().getOut();
      o.println("Public key:  " + written.publicFile() + "  (backup --encrypt-to " + written.publicFile() + ")");
      o.println("Private key: " + written.privateFile() + (written.passphraseProtected()
          ? "  (protected by the passphrase in " + KeyOptions.PASSPHRASE_ENV + ")" : "  (not protected by a passphrase)"));
      o.println("Fingerprint: " + written.fingerprint());
      o.println("Keep a copy of the private key away from the backup host: without it no encrypted backup can be restored.");
      return LifeboatCli.OK;
    }
  }
}
