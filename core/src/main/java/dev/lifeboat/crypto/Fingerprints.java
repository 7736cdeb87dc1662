package dev.lifeboat.crypto;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.hybrid.HpkeParameters;
import com.google.crypto.tink.hybrid.HpkePublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Fingerprints of public keys: short, stable, safe to print and to store in manifests. */
final class Fingerprints {
  /** Hex digits shown: 128 bits of SHA-256, enough to tell keys apart, short enough to compare by eye. */
  private static final int HEX_DIGITS = 32;

  private Fingerprints() {}

  /**
   * SHA-256 over the algorithm name and the raw X25519 public key, not over Tink's serialized
   * key set: the same key keeps its fingerprint whatever key id or encoding a file uses.
   */
  static String of(KeysetHandle publicKeyset) {
    if (publicKeyset.size() != 1 || !(publicKeyset.getPrimary().getKey() instanceof HpkePublicKey key)
        || key.getParameters().getKemId() != HpkeParameters.KemId.DHKEM_X25519_HKDF_SHA256) {
      throw new IllegalArgumentException("not a Lifeboat key: expected one HPKE X25519 key");
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("lifeboat-hpke-x25519:".getBytes(StandardCharsets.US_ASCII));
      sha.update(key.getPublicKeyBytes().toByteArray());
      return HexFormat.of().formatHex(sha.digest()).substring(0, HEX_DIGITS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
