package dev.lifeboat.crypto;

import com.google.crypto.tink.HybridEncrypt;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * The public half of a Lifeboat key pair: what a backup host needs to encrypt snapshots, and not
 * enough to read them. Read one with {@link KeyPairFiles#readPublic}.
 */
public final class PublicKey {
  private final KeysetHandle keyset;
  private final String fingerprint;

  PublicKey(KeysetHandle keyset) {
    this.keyset = Objects.requireNonNull(keyset, "keyset");
    this.fingerprint = Fingerprints.of(keyset);
  }

  /** The key's fingerprint, recorded in the manifest of every snapshot encrypted to it. */
  public String fingerprint() {
    return fingerprint;
  }

  KeysetHandle keyset() {
    return keyset;
  }

  HybridEncrypt hybridEncrypt() throws GeneralSecurityException {
    Encryption.register();
    return keyset.getPrimitive(RegistryConfiguration.get(), HybridEncrypt.class);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicKey other && other.fingerprint.equals(fingerprint);
  }

  @Override
  public int hashCode() {
    return fingerprint.hashCode();
  }

  @Override
  public String toString() {
    return "public key " + fingerprint;
  }
}
