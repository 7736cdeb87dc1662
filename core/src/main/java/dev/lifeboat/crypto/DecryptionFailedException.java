package dev.lifeboat.crypto;

import java.io.IOException;

/**
 * Thrown while reading a decrypting stream when the ciphertext does not decrypt: another key, a
 * changed or truncated ciphertext, or bytes that are not an encrypted archive. An
 * {@link IOException} so that it travels through decompressors and loaders like any read failure;
 * callers that check the stored bytes first report it as {@code DECRYPTION_FAILED}.
 */
public final class DecryptionFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  public DecryptionFailedException(String message) {
    super(message);
  }

  public DecryptionFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
