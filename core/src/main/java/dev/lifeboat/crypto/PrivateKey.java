package dev.lifeboat.crypto;

import com.google.crypto.tink.HybridDecrypt;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * The private half of a Lifeboat key pair: the only thing that decrypts snapshots encrypted to
 * its {@link PublicKey}. Read one with {@link KeyPairFiles#readPrivate}; its {@link #toString()}
 * shows the fingerprint only, never key material.
 */
public final class PrivateKey {
  private final KeysetHandle keyset;
  private final String fingerprint;

  PrivateKey(KeysetHandle keyset) throws GeneralSecurityException {
    this.keyset = Objects.requireNonNull(keyset, "keyset");
    this.fingerprint = Fingerprints.of(keyset.getPublicKeysetHandle());
  }

  /** The fingerprint of the matching public key: the one snapshots encrypted to it record. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The matching public key. */
  public PublicKey publicKey() {
    try {
      return new PublicKey(keyset.getPublicKeysetHandle());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("A private key without its public key: " + e.getMessage(), e);
    }
  }

  KeysetHandle keyset() {
    return keyset;
  }

  HybridDecrypt hybridDecrypt() throws GeneralSecurityException {
    Encryption.register();
    return keyset.getPrimitive(RegistryConfiguration.get(), HybridDecrypt.class);
  }

  @Override
  public String toString() {
    return "private key for " + fingerprint;
  }
}
