/**
 * Client-side encryption of archives to a public key: {@link dev.lifeboat.crypto.KeyPairFiles}
 * writes and reads key files, {@link dev.lifeboat.crypto.PublicKey} encrypts a snapshot's stored
 * bytes, and only the matching {@link dev.lifeboat.crypto.PrivateKey} decrypts them
 * ({@link dev.lifeboat.crypto.Encryption} holds the stream format).
 *
 * <p>Each snapshot gets a fresh 256-bit data key. The data is encrypted with Tink's segmented
 * streaming AEAD ({@code AES256_GCM_HKDF_1MB}: AES-256-GCM in 1 MiB segments, each authenticated,
 * the last marked as last so that a truncation is detected); the data key is wrapped with HPKE
 * (RFC 9180: DHKEM X25519 HKDF-SHA256, HKDF-SHA256, AES-256-GCM) for the public key. A host that
 * holds only the public key can write backups but cannot read them.
 */
package dev.lifeboat.crypto;
